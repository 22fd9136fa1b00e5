// The controller's /metrics and Events, read back from a real process and the real API server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS, EVENTS, NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import { adminClient } from './support/controller-harness.ts';
import { eventually } from './support/eventually.ts';
import { buildController, freePort, startControllerProcess } from './support/controller-process.ts';

/** Returns the value of one series in a Prometheus text exposition, or undefined. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('reflect-controller metrics and Events', () => {
  let client: KubeClient;
  const prefix = `met-${randomBytes(3).toString('hex')}`;
  const [src, a, b] = [`${prefix}-src`, `${prefix}-a`, `${prefix}-b`];

  before(async () => {
    buildController();
    client = await adminClient();
    for (const name of [src, a, b])
      await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // A foreign object blocks the mirror in b: one mirror in sync, one blocked, one TargetBlocked finding.
    await client.create(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: b },
      data: { theirs: 'yes' },
    });
    await client.create(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: src, annotations: { 'kube-reflect.io/to': `${a},${b}` } },
      data: { v: '1' },
    });
  });
  after(async () => {
    for (const name of [src, a, b]) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
    client.close();
  });

  it('serves reconcile, mirror-state, finding, watch and leader series, and tells the source, not the blocker, by an Event', async () => {
    const cp = await useTestControlPlane();
    const port = await freePort();
    const proc = await startControllerProcess(cp.kubeconfigPath, ['--metrics-bind-address', `127.0.0.1:${port}`]);
    try {
      await proc.ready();
      let text = '';
      await eventually('a blocked mirror in kube_reflect_mirrors', async () => {
        text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
        return (series(text, 'kube_reflect_mirrors', { kind: 'configmaps', state: 'blocked' }) ?? 0) >= 1;
      });
      assert.ok((series(text, 'kube_reflect_reconcile_total', { kind: 'configmaps', result: 'success' }) ?? 0) >= 1);
      assert.ok((series(text, 'kube_reflect_findings', { kind: 'configmaps', reason: 'TargetBlocked' }) ?? 0) >= 1);
      assert.equal(series(text, 'kube_reflect_watch_stale', { resource: 'configmaps' }), 0);
      assert.equal(series(text, 'kube_reflect_leader'), 1);
      // ConfigMap mirrors are created with a POST (the create verb) and updated with server-side apply.
      assert.ok(
        (series(text, 'kube_reflect_api_requests_total', { verb: 'create', resource: 'configmaps', code: '201' }) ??
          0) >= 1,
        'a create of a ConfigMap mirror in kube_reflect_api_requests_total',
      );

      type Ev = { reason?: string; note?: string; regarding?: { name?: string } };
      const eventsIn = async (namespace: string) => (await client.list<Ev>(EVENTS, { namespace })).items;
      // The positive marker: the source hears that some target was not written, without where or what blocked it.
      let onSource: Ev[] = [];
      await eventually('a TargetsNotWritten Event on the source', async () => {
        onSource = (await eventsIn(src)).filter((e) => e.reason === 'TargetsNotWritten');
        return onSource.length > 0;
      });
      assert.doesNotMatch(onSource[0]?.note ?? '', new RegExp(b));
      // And the namespace of the blocker, which the source's owner may not read, got no Event from us.
      assert.deepEqual(await eventsIn(b), []);
    } finally {
      await proc.kill('SIGTERM');
    }
  });
});
