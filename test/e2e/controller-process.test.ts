// The bundled reflect-controller as a real process: SIGKILL mid-fan-out, graceful stop, and a restart in sync.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CRDS, installCrd } from './support/crd.ts';
import { eventually } from './support/eventually.ts';
import type { KubeObject } from '../../core/index.ts';
import { Labels, sourceHashLabel } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS, NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient } from './support/controller-harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

describe('reflect-controller as a process', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const prefix = `proc-${randomBytes(3).toString('hex')}`;
  const namespaces = Array.from({ length: 150 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  const source = `${prefix}-src`;

  const mirrors = async () =>
    (
      await client.list<KubeObject>(CONFIGMAPS, {
        labelSelector: `${Labels.sourceHash}=${sourceHashLabel(`${source}/fanout`)}`,
      })
    ).items;

  before(async () => {
    buildController();
    cp = await useTestControlPlane();
    client = await adminClient();
    for (const name of [source, ...namespaces]) {
      await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    await client.create(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fanout', namespace: source, annotations: { 'kube-reflect.io/to': `${prefix}-[0-9]*` } },
      data: { payload: 'x'.repeat(512) },
    });
  });
  after(async () => {
    for (const name of [source, ...namespaces]) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
    client.close();
  });

  it('converges with no orphans and no duplicates after SIGKILL in the middle of a fan-out', async (t) => {
    const first = await startControllerProcess(cp.kubeconfigPath, ['--workers', '2', '--max-writes-in-flight', '4']);
    for (let i = 0; i < 400 && (await mirrors()).length < 20; i++) await sleep(25);
    const partial = (await mirrors()).length;
    await first.kill('SIGKILL');
    t.diagnostic(`killed with ${partial} of ${namespaces.length} mirrors written`);
    assert.ok(partial < namespaces.length, 'the kill landed mid-fan-out');
    const second = await startControllerProcess(cp.kubeconfigPath);
    try {
      await second.ready();
      for (let i = 0; i < 400 && (await mirrors()).length < namespaces.length; i++) await sleep(50);
      const all = await mirrors();
      assert.deepEqual(all.map((m) => m.metadata.namespace).sort(), namespaces);
      // Each mirror written about once across both processes: no duplicate reconciles, no write storms.
      const writes = cp
        .auditCounts({ namespacePrefix: prefix })
        .filter((c) => c.userAgent.startsWith('reflect-controller') && WRITE_VERBS.has(c.verb))
        .reduce((n, c) => n + c.count, 0);
      t.diagnostic(`${writes} writes for ${namespaces.length} mirrors`);
      assert.ok(writes <= namespaces.length + 10, `${writes} writes for ${namespaces.length} mirrors`);
      assert.ok(all.every((m) => (m.data as Record<string, string>).payload === 'x'.repeat(512)));
    } finally {
      assert.equal(await second.kill('SIGTERM'), 0, 'a graceful stop exits 0');
    }
  });

  it('makes zero writes when restarted with everything in sync', async (t) => {
    const since = new Date();
    const again = await startControllerProcess(cp.kubeconfigPath);
    await again.ready();
    // The positive marker: every source has been reconciled since the restart (writes would have happened by then).
    await eventually('the first reconcile of every source', () =>
      again.logs.some((l) => l.msg === 'first reconcile of every source done'),
    );
    await again.kill('SIGTERM');
    // Only this test's namespaces: earlier tests' namespaces may still be terminating, and their mirrors going.
    const counts = cp
      .auditCounts({ since, namespacePrefix: prefix })
      .filter((c) => c.userAgent.startsWith('reflect-controller'));
    const writes = counts.filter((c) => WRITE_VERBS.has(c.verb)).reduce((n, c) => n + c.count, 0);
    const elsewhere = cp
      .auditCounts({ since })
      .filter((c) => c.userAgent.startsWith('reflect-controller') && WRITE_VERBS.has(c.verb));
    t.diagnostic(
      `writes anywhere else in the cluster: ${elsewhere.map((c) => `${c.verb}=${c.count}`).join(' ') || 'none'}`,
    );
    t.diagnostic(`requests after restart: ${counts.map((c) => `${c.verb}=${c.count}`).join(' ')}`);
    assert.equal(writes, 0);
  });

  it('mirrors a custom resource given with --kinds, and refuses kinds that are never mirrored', async () => {
    const group = `${prefix}.example.com`;
    const gadgets = await installCrd(client, { group, plural: 'gadgets', singular: 'gadget', kind: 'Gadget' });
    await client.create(gadgets, {
      apiVersion: `${group}/v1`,
      kind: 'Gadget',
      metadata: { name: 'g', namespace: source, annotations: { 'kube-reflect.io/to': namespaces[0]! } },
      spec: { size: 3, colors: ['red'] },
      status: { ignored: true },
    });
    const proc = await startControllerProcess(cp.kubeconfigPath, ['--kinds', `gadgets.${group}`]);
    try {
      await proc.ready();
      let mirror: KubeObject | undefined;
      for (let i = 0; i < 200 && mirror === undefined; i++) {
        mirror = await client.get<KubeObject>(gadgets, namespaces[0], 'g').catch(() => undefined);
        if (mirror === undefined) await sleep(50);
      }
      assert.deepEqual(mirror?.spec, { size: 3, colors: ['red'] });
      assert.equal(mirror?.metadata.labels?.[Labels.mirror], 'true');
      assert.equal(mirror?.status, undefined, 'status is never copied');
    } finally {
      await proc.kill('SIGTERM');
      await client.delete(CRDS, undefined, `gadgets.${group}`).catch(() => undefined);
    }
    const refused = await startControllerProcess(cp.kubeconfigPath, ['--kinds', 'pods']);
    // It exits by itself once discovery answers; the bound is only there so a hang fails (a loaded machine starts slowly).
    for (let i = 0; i < 1200 && refused.child.exitCode === null; i++) await sleep(50);
    assert.notEqual(await refused.kill('SIGTERM'), 0);
    assert.ok(
      refused.logs.some((l) => String(l.msg).includes('Pod is never mirrored')),
      JSON.stringify(refused.logs),
    );
  });
});
