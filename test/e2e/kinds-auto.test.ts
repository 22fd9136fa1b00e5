// reflect-controller --kinds auto on a real control plane: KubeMirror's behaviour of mirroring every discovered kind,
// including a CRD installed after the controller started, with the denied kinds left alone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import { Labels } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient } from './support/controller-harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';
import { CRDS, installCrd } from './support/crd.ts';
import { eventually } from './support/eventually.ts';

describe('reflect-controller --kinds auto', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const prefix = `auto-${randomBytes(3).toString('hex')}`;
  const src = `${prefix}-src`;
  const app = `${prefix}-app`;
  const group = `${prefix}.example.com`;
  const middlewares: ResourceType = {
    group,
    version: 'v1',
    resource: 'middlewares',
    kind: 'Middleware',
    namespaced: true,
  };

  before(async () => {
    buildController();
    cp = await useTestControlPlane();
    client = await adminClient();
    for (const name of [src, app])
      await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  after(async () => {
    for (const name of [src, app]) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
    await client.delete(CRDS, undefined, `middlewares.${group}`).catch(() => undefined);
    client.close();
  });

  it("mirrors a KubeMirror source of a CRD installed after start (KubeMirror's Middleware example)", async (t) => {
    const proc = await startControllerProcess(cp.kubeconfigPath, ['--kinds', 'auto', '--discovery-interval', '1s']);
    try {
      await proc.ready();
      const discovered = proc.logs.find((l) => l.msg === 'kinds discovered')?.kinds as string[] | undefined;
      t.diagnostic(`kinds at start: ${discovered?.length ?? 0}`);
      assert.ok(discovered?.includes('secrets') && discovered.includes('configmaps'), String(discovered));
      assert.ok(!discovered?.some((k) => k === 'pods' || k === 'events' || k.startsWith('leases.')), 'denied kinds');
      assert.ok(!discovered?.some((k) => k.startsWith('rolebindings.')), 'access kinds need an administrator');
      await installCrd(client, { group, plural: 'middlewares', singular: 'middleware', kind: 'Middleware' });
      await client.create(middlewares, {
        apiVersion: `${group}/v1`,
        kind: 'Middleware',
        metadata: {
          name: 'compression',
          namespace: src,
          labels: { 'kubemirror.raczylo.com/enabled': 'true' },
          annotations: {
            'kubemirror.raczylo.com/sync': 'true',
            'kubemirror.raczylo.com/target-namespaces': `${prefix}-a*`,
          },
        },
        spec: { compress: { excludedContentTypes: ['text/event-stream'] } },
      });
      let mirror: KubeObject | undefined;
      await eventually('the Middleware mirrored', async () => {
        mirror = await client.get<KubeObject>(middlewares, app, 'compression').catch(() => undefined);
        return mirror !== undefined;
      });
      assert.equal(mirror?.metadata.labels?.[Labels.mirror], 'true');
      assert.deepEqual(mirror?.spec, { compress: { excludedContentTypes: ['text/event-stream'] } });
      const added = proc.logs.find((l) => l.msg === 'kinds rediscovered')?.added as string[] | undefined;
      assert.deepEqual(added, [`middlewares.${group}`]);
    } finally {
      await proc.kill('SIGTERM');
    }
  });
});
