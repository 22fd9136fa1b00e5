import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, Plan, World } from '../core/index.ts';
import { planReflection } from '../core/index.ts';
import { executePlan } from './execute-plan.ts';
import { CONFIGMAPS } from './resource-type.ts';
import { MemoryCluster } from './test-support/memory-cluster.ts';

const NAMESPACES = ['platform', 'team-a', 'team-b'];

const configMap = (namespace: string, data: Record<string, string>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace, ...(annotations ? { annotations } : {}) },
  data,
});

async function cluster(to: string): Promise<MemoryCluster> {
  const c = new MemoryCluster();
  await c.create(CONFIGMAPS, configMap('platform', { k: 'v' }, { 'kube-reflect.io/to': to }), { fieldManager: 'user' });
  return c;
}

function read(c: MemoryCluster): World {
  return { namespaces: NAMESPACES.map((name) => ({ name, labels: {} })), objects: c.all(CONFIGMAPS) };
}

const live = (c: MemoryCluster, ns: string) => c.all(CONFIGMAPS).find((o) => o.metadata.namespace === ns);

async function run(c: MemoryCluster, plan: Plan) {
  const before = c.requests.length;
  const writes = await executePlan(c, plan, { typeOf: () => CONFIGMAPS });
  return { writes, requests: c.requests.slice(before) };
}

describe('executePlan writes under the precondition each write carries in the plan', () => {
  it('a create expects nothing there: an object someone made meanwhile is refused, never taken over', async () => {
    const c = await cluster('team-a, team-b');
    const plan = planReflection(read(c));
    assert.deepEqual(
      plan.apply.map((a) => a.expect),
      [{ absent: true }, { absent: true }],
    );
    await c.create(CONFIGMAPS, configMap('team-a', { k: 'mine' }), { fieldManager: 'tenant' });
    const { writes, requests } = await run(c, plan);
    assert.deepEqual(
      writes.map((w) => [w.object, w.outcome]),
      [
        ['ConfigMap/team-a/cfg', 'conflict'],
        ['ConfigMap/team-b/cfg', 'done'],
      ],
    );
    assert.equal(requests.length, 2, 'one request per write');
    assert.deepEqual(live(c, 'team-a')?.data, { k: 'mine' });
    assert.equal(live(c, 'team-a')?.metadata.annotations, undefined);
    // Planned again from fresh state: the tenant's object blocks the target, and nothing is written.
    const again = planReflection(read(c));
    assert.deepEqual(again.apply, []);
    assert.deepEqual(
      again.findings.map((f) => [f.reason, f.detail?.blockedBy]),
      [['TargetBlocked', 'foreign-object']],
    );
  });

  it('an update expects the very version it read: a write in between is a conflict, and the retry writes over the edit', async () => {
    const c = await cluster('team-a');
    await run(c, planReflection(read(c)));
    await c.apply(CONFIGMAPS, configMap('platform', { k: 'w' }), { fieldManager: 'user' });
    const plan = planReflection(read(c));
    const mirror = live(c, 'team-a')!;
    assert.deepEqual(plan.apply[0]?.expect, {
      absent: false,
      resourceVersion: mirror.metadata.resourceVersion,
      uid: mirror.metadata.uid,
    });
    await c.apply(CONFIGMAPS, configMap('team-a', { k: 'edited' }), { fieldManager: 'someone', force: true });
    const { writes } = await run(c, plan);
    assert.deepEqual(
      writes.map((w) => w.outcome),
      ['conflict'],
    );
    assert.deepEqual(live(c, 'team-a')?.data, { k: 'edited' });
    const retry = planReflection(read(c));
    assert.deepEqual(
      retry.apply.map((a) => a.reason),
      ['update'],
    );
    const { writes: done, requests } = await run(c, retry);
    assert.deepEqual(
      done.map((w) => w.outcome),
      ['done'],
    );
    assert.equal(requests.length, 1);
    assert.deepEqual(live(c, 'team-a')?.data, { k: 'w' });
  });

  it('removes keys another manager added to a mirror, conditional on the version just written', async () => {
    const c = await cluster('team-a');
    await run(c, planReflection(read(c)));
    await c.apply(CONFIGMAPS, configMap('team-a', { extra: 'x' }), { fieldManager: 'someone' });
    const { writes, requests } = await run(c, planReflection(read(c)));
    assert.deepEqual(
      writes.map((w) => [w.reason, w.outcome]),
      [['drift', 'done']],
    );
    assert.deepEqual(
      requests.map((r) => r.verb),
      ['apply', 'patch'],
    );
    assert.deepEqual(live(c, 'team-a')?.data, { k: 'v' });
    assert.deepEqual(writes[0]?.written?.data, { k: 'v' });
  });

  it('a delete expects the uid it read: an object made anew under the name is left alone', async () => {
    const c = await cluster('team-a, team-b');
    await run(c, planReflection(read(c)));
    await c.apply(CONFIGMAPS, configMap('platform', { k: 'v' }, { 'kube-reflect.io/to': 'team-a' }), {
      fieldManager: 'user',
    });
    const plan = planReflection(read(c));
    assert.deepEqual(
      plan.delete.map((d) => [d.object.namespace, d.uid]),
      [['team-b', live(c, 'team-b')?.metadata.uid]],
    );
    await c.delete(CONFIGMAPS, 'team-b', 'cfg');
    await c.create(CONFIGMAPS, configMap('team-b', { k: 'mine' }), { fieldManager: 'tenant' });
    const { writes } = await run(c, plan);
    assert.deepEqual(
      writes.map((w) => [w.action, w.outcome]),
      [['delete', 'conflict']],
    );
    assert.deepEqual(live(c, 'team-b')?.data, { k: 'mine' });
  });

  it('a recreate expects nothing after its delete, and is not attempted when the delete did not happen', async () => {
    const c = await cluster('team-a');
    await run(c, planReflection(read(c)));
    // An immutable mirror cannot be updated in place: the plan deletes it (by uid) and creates it again.
    const immutable = { ...configMap('platform', { k: 'w' }, { 'kube-reflect.io/to': 'team-a' }), immutable: true };
    await c.apply(CONFIGMAPS, immutable, { fieldManager: 'user' });
    await run(c, planReflection(read(c)));
    await c.apply(CONFIGMAPS, { ...immutable, data: { k: 'x' } }, { fieldManager: 'user' });
    const plan = planReflection(read(c));
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, a.expect]),
      [['recreate', { absent: true }]],
    );
    const stale: Plan = { ...plan, delete: plan.delete.map((d) => ({ ...d, uid: 'not-the-uid' })) };
    const { writes, requests } = await run(c, stale);
    assert.deepEqual(
      writes.map((w) => [w.action, w.outcome]),
      [
        ['delete', 'conflict'],
        ['apply', 'conflict'],
      ],
    );
    assert.equal(requests.length, 1, 'the apply was not sent');
    const { writes: done } = await run(c, plan);
    assert.deepEqual(
      done.map((w) => w.outcome),
      ['done', 'done'],
    );
    assert.deepEqual((live(c, 'team-a') as KubeObject).data, { k: 'x' });
  });
});
