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

const owners = (obj: KubeObject | undefined) =>
  ((obj?.metadata.managedFields ?? []) as { manager: string; operation: string }[]).map(
    (e) => `${e.manager}:${e.operation}`,
  );

describe('executePlan creates Secrets and ConfigMaps with a POST and cleans after it what only its create set', () => {
  const source = (annotations: Record<string, string>, data: Record<string, string>) =>
    configMap('platform', data, {
      'kube-reflect.io/to': 'team-a',
      'kube-reflect.io/copy-labels': 'all',
      'kube-reflect.io/copy-annotations': 'note, ticket',
      ...annotations,
    });
  const withLabels = (obj: KubeObject, labels: Record<string, string>) => ({
    ...obj,
    metadata: { ...obj.metadata, labels },
  });

  it('a create is one POST, and anything already at the name is refused (409), even an object that sets no field of ours', async () => {
    const c = await cluster('team-a, team-b');
    const plan = planReflection(read(c));
    // The same data and nothing else: a server-side apply would have merged into it; a POST never does.
    await c.create(CONFIGMAPS, configMap('team-a', { k: 'v' }), { fieldManager: 'tenant' });
    const { writes, requests } = await run(c, plan);
    assert.deepEqual(
      requests.map((r) => r.verb),
      ['create', 'create'],
    );
    assert.deepEqual(
      writes.map((w) => [w.object, w.outcome]),
      [
        ['ConfigMap/team-a/cfg', 'conflict'],
        ['ConfigMap/team-b/cfg', 'done'],
      ],
    );
    assert.match(writes[0]?.error ?? '', /AlreadyExists/);
    assert.equal(live(c, 'team-a')?.metadata.annotations, undefined, 'the tenant object is not taken over');
    const mirror = live(c, 'team-b');
    assert.deepEqual(owners(mirror), ['kube-reflect:Update']);
    // The answer is what a cache records before the watch echoes it: the stored object, version and uid included.
    assert.deepEqual(writes[1]?.written, mirror);
  });

  it('the next update removes a label and an annotation the source dropped, and keeps those another manager set', async () => {
    const c = new MemoryCluster();
    const first = source({ note: 'hello', ticket: 'T-1' }, { k: 'v' });
    await c.apply(CONFIGMAPS, withLabels(first, { app: 'web', tier: 'gold' }), { fieldManager: 'user' });
    assert.deepEqual(
      (await run(c, planReflection(read(c)))).requests.map((r) => r.verb),
      ['create'],
    );
    // kubectl label (an Update entry of its own) adds a label; a GitOps tool applies one the mirror also copies.
    await c.jsonPatch(CONFIGMAPS, 'team-a', 'cfg', [{ op: 'add', path: '/metadata/labels/team', value: 'a' }], {
      fieldManager: 'kubectl-label',
    });
    await c.apply(CONFIGMAPS, withLabels(configMap('team-a', {}), { app: 'web' }), { fieldManager: 'argocd' });
    // The source drops the label tier, the label app, the annotation note, and changes its data.
    const next = source({ ticket: 'T-1' }, { k: 'w' });
    await c.apply(CONFIGMAPS, withLabels(next, {}), { fieldManager: 'user', force: true });
    const plan = planReflection(read(c));
    assert.deepEqual(
      plan.apply.map((a) => a.reason),
      ['update'],
    );
    const { writes, requests } = await run(c, plan);
    assert.deepEqual(
      requests.map((r) => r.verb),
      ['apply', 'patch'],
    );
    const mirror = live(c, 'team-a')!;
    assert.deepEqual(mirror.data, { k: 'w' });
    // Ours as rendered now, app (argocd set it too) and team (kubectl's); tier went, as only our create had set it.
    assert.deepEqual(mirror.metadata.labels, { ...plan.apply[0]?.object.metadata.labels, app: 'web', team: 'a' });
    assert.equal(mirror.metadata.annotations?.note, undefined);
    assert.equal(mirror.metadata.annotations?.ticket, 'T-1');
    assert.deepEqual(writes[0]?.written, mirror);
    // In sync now: nothing more to write.
    assert.deepEqual(planReflection(read(c)).apply, []);
  });

  it('a label another tool set under an Update entry of its own is never removed, even one the source dropped', async () => {
    const c = new MemoryCluster();
    await c.apply(CONFIGMAPS, withLabels(source({}, { k: 'v' }), { tier: 'gold' }), { fieldManager: 'user' });
    await run(c, planReflection(read(c)));
    // A peer replicator rewrote the mirror with its own value: its Update entry owns the label now.
    const mirror = live(c, 'team-a')!;
    await c.jsonPatch(CONFIGMAPS, 'team-a', 'cfg', [{ op: 'add', path: '/metadata/labels/tier', value: 'silver' }], {
      fieldManager: 'replicator',
    });
    assert.deepEqual(owners(live(c, 'team-a')).sort(), ['kube-reflect:Update', 'replicator:Update']);
    await c.apply(CONFIGMAPS, source({}, { k: 'w' }), { fieldManager: 'user', force: true });
    const { writes, requests } = await run(c, planReflection(read(c)));
    assert.deepEqual(
      writes.map((w) => [w.reason, w.outcome]),
      [['update', 'done']],
    );
    assert.deepEqual(
      requests.map((r) => r.verb),
      ['apply'],
    );
    assert.equal(live(c, 'team-a')?.metadata.labels?.tier, 'silver');
    assert.notEqual(live(c, 'team-a')?.metadata.resourceVersion, mirror.metadata.resourceVersion);
  });

  it('a dry run sends the POST as a dry run and writes nothing', async () => {
    const c = await cluster('team-a');
    const before = c.all(CONFIGMAPS);
    const writes = await executePlan(c, planReflection(read(c)), { typeOf: () => CONFIGMAPS, dryRun: true });
    assert.deepEqual(
      writes.map((w) => [w.reason, w.outcome, w.written]),
      [['create', 'done', undefined]],
    );
    assert.deepEqual(c.all(CONFIGMAPS), before);
    assert.deepEqual(
      c.requests.slice(-1).map((r) => r.verb),
      ['create'],
    );
  });

  it('other kinds are still created with an apply, whose entry owns only what was sent', async () => {
    const c = new MemoryCluster();
    const roles = {
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      resource: 'roles',
      kind: 'Role',
      namespaced: true,
    };
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    await c.create(roles, role, { fieldManager: 'user' });
    const world: World = { namespaces: NAMESPACES.map((name) => ({ name, labels: {} })), objects: c.all(roles) };
    const plan = planReflection(world, { accessKindSourceNamespaces: ['platform'] });
    assert.deepEqual(
      plan.apply.map((a) => [a.object.metadata.namespace, a.expect]),
      [['team-a', { absent: true }]],
    );
    const before = c.requests.length;
    const writes = await executePlan(c, plan, { typeOf: () => roles });
    assert.deepEqual(
      writes.map((w) => w.outcome),
      ['done'],
    );
    assert.deepEqual(
      c.requests.slice(before).map((r) => r.verb),
      ['apply'],
    );
  });
});
