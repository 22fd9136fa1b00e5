import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, secret, world } from '../../test/fixtures.ts';
import { applyPlanToWorld, planReflection } from '../index.ts';
import type { KubeObject } from '../index.ts';
import { K8sReplicator, Labels, Mittwald, Provenance } from '../names.ts';
import { parseObject } from '../parse-object.ts';

const ann = (annotations: Record<string, string>) => ({ annotations });
const find = (objects: readonly KubeObject[], ns: string, name: string) =>
  objects.find((o) => o.metadata.namespace === ns && o.metadata.name === name);

describe('peer dialects through the planner', () => {
  it('k8s-replicator: a pull of our pushed copy is allowed by the first source, and cleared when that source goes', () => {
    const source = secret(
      'default',
      'db',
      { p: 'x' },
      ann({
        [K8sReplicator.replicateToNamespaces]: 'team-a',
        [K8sReplicator.replicationAllowedNamespaces]: 'team-.*',
      }),
    );
    const pull = secret('team-b', 'db', {}, ann({ [K8sReplicator.replicateFrom]: 'team-a/db' }));
    const other = secret('other', 'db', {}, ann({ [K8sReplicator.replicateFrom]: 'team-a/db' }));
    let w = world(['default', 'team-a', 'team-b', 'other'], [source, pull, other]);
    for (let i = 0; i < 3; i++) w = applyPlanToWorld(w, planReflection(w));
    assert.deepEqual(find(w.objects, 'team-b', 'db')?.data, source.data);
    assert.deepEqual(find(w.objects, 'other', 'db')?.data ?? {}, {});
    // The chain breaks: the first source goes, its copy is deleted, and the pull of the copy is cleared.
    w = { ...w, objects: w.objects.filter((o) => !(o.metadata.namespace === 'default')) };
    for (let i = 0; i < 3; i++) w = applyPlanToWorld(w, planReflection(w));
    assert.equal(find(w.objects, 'team-a', 'db'), undefined);
    assert.equal(find(w.objects, 'team-b', 'db')?.metadata.annotations?.[Provenance.contentHash], 'cleared');
  });

  it('k8s-replicator and mittwald: --allow-all lets a pull copy an object without annotations, except replication-allowed=false', () => {
    const open = configMap('src', 'open', { a: '1' });
    const closed = configMap('src', 'closed', { a: '1' }, ann({ [K8sReplicator.replicationAllowed]: 'false' }));
    const pulls = [
      configMap('dst', 'open', {}, ann({ [K8sReplicator.replicateFrom]: 'src/open' })),
      configMap('dst', 'closed', {}, ann({ [K8sReplicator.replicateFrom]: 'src/closed' })),
      configMap('dst', 'mw', {}, ann({ [Mittwald.replicateFrom]: 'src/open' })),
    ];
    const w = world(['src', 'dst'], [open, closed, ...pulls]);
    const denied = planReflection(w);
    assert.deepEqual(
      denied.apply.filter((a) => a.reason === 'fill'),
      [],
    );
    const allowed = planReflection(w, { allowAll: true });
    assert.deepEqual(
      allowed.apply.filter((a) => a.reason === 'fill').map((a) => a.object.metadata.name),
      ['mw', 'open'],
    );
  });

  it('k8s-replicator: --ignore-unknown lets an object with an unknown key act', () => {
    const src = configMap(
      'src',
      'cfg',
      { a: '1' },
      ann({
        [K8sReplicator.replicateToNamespaces]: 'dst',
        'k8s-replicator/future-key': 'x',
      }),
    );
    assert.equal(parseObject(src).spec, undefined);
    assert.ok(parseObject(src, { ignoreUnknown: true }).spec);
    assert.equal(planReflection(world(['src', 'dst'], [src]), { ignoreUnknown: true }).apply.length, 1);
  });

  it('clears a basic-auth pull target with an empty user and a password that is not empty, once', () => {
    const mirror = secret(
      'app',
      'login',
      { username: 'admin', password: 'secret' },
      ann({
        [K8sReplicator.replicateFrom]: 'src/gone',
        [Provenance.contentHash]: 'sha256:1',
      }),
      'kubernetes.io/basic-auth',
    );
    let w = world(['src', 'app'], [mirror]);
    w = applyPlanToWorld(w, planReflection(w));
    const cleared = find(w.objects, 'app', 'login')!;
    const data = cleared.data as Record<string, string>;
    assert.equal(data.username, '');
    assert.ok(data.password !== undefined && data.password.length >= 64);
    assert.notEqual(Buffer.from(data.password, 'base64').toString(), 'secret');
    assert.deepEqual(planReflection(w).apply, []);
  });

  it('clears an ssh-auth pull target with the word "empty"', () => {
    const mirror = secret(
      'app',
      'key',
      { 'ssh-privatekey': 'KEY' },
      ann({
        [K8sReplicator.replicateFrom]: 'src/gone',
        [Provenance.contentHash]: 'sha256:1',
      }),
      'kubernetes.io/ssh-auth',
    );
    const w = applyPlanToWorld(world(['src', 'app'], [mirror]), planReflection(world(['src', 'app'], [mirror])));
    assert.equal(
      Buffer.from(
        (find(w.objects, 'app', 'key')!.data as Record<string, string>)['ssh-privatekey']!,
        'base64',
      ).toString(),
      'empty',
    );
  });

  it('never adopts a peer copy made for another source', () => {
    const src = configMap('src', 'cfg', { a: '1' }, ann({ [K8sReplicator.replicateToNamespaces]: 'dst' }));
    const foreign = configMap('dst', 'cfg', { a: 'theirs' }, ann({ [K8sReplicator.replicatedBy]: 'elsewhere/cfg' }));
    const plan = planReflection(world(['src', 'dst'], [src, foreign]));
    assert.deepEqual(plan.apply, []);
    assert.equal(plan.findings[0]?.reason, 'TargetBlocked');
  });

  it('adopts a peer copy once: the next plan is empty', () => {
    const src = configMap(
      'src',
      'cfg',
      { a: '1' },
      {
        labels: { 'kubemirror.raczylo.com/enabled': 'true' },
        annotations: { 'kubemirror.raczylo.com/sync': 'true', 'kubemirror.raczylo.com/target-namespaces': 'dst' },
      },
    );
    const copy = configMap(
      'dst',
      'cfg',
      { a: '0' },
      {
        labels: { 'kubemirror.raczylo.com/mirror': 'true' },
        annotations: { 'kubemirror.raczylo.com/source-namespace': 'src', 'kubemirror.raczylo.com/source-name': 'cfg' },
      },
    );
    const w0 = world(['src', 'dst'], [src, copy]);
    const plan = planReflection(w0);
    assert.deepEqual(
      plan.apply.map((a) => a.reason),
      ['adopt'],
    );
    assert.deepEqual(plan.delete, []);
    const w1 = applyPlanToWorld(w0, plan);
    assert.equal(find(w1.objects, 'dst', 'cfg')?.metadata.labels?.[Labels.mirror], 'true');
    assert.deepEqual(planReflection(w1).apply, []);
  });

  it('adopts a k8s-replicator once-only copy with exactly its own content: an empty copy stays empty', () => {
    const once = { [K8sReplicator.replicateOnce]: 'true', [K8sReplicator.replicateOnceVersion]: 'v1' };
    const src = secret('app', 'pw-source', { password: 'new' }, ann({ [K8sReplicator.replicateTo]: 'pw', ...once }));
    const copy = secret(
      'app',
      'pw',
      {},
      ann({
        [K8sReplicator.replicatedBy]: 'app/pw-source',
        [K8sReplicator.replicatedFromVersion]: '7',
        ...once,
      }),
    );
    const w0 = world(['app'], [src, copy]);
    const plan = planReflection(w0);
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, a.object.data]),
      [['adopt', undefined]],
    );
    const w1 = applyPlanToWorld(w0, plan);
    assert.equal(find(w1.objects, 'app', 'pw')?.data, undefined);
    assert.deepEqual(planReflection(w1).apply, []);
  });
});

describe('KubeMirror transform', () => {
  it('applies kubemirror.raczylo.com/transform rules to each mirror, and migrate carries them to the native keys', async () => {
    const { migrateObject } = await import('./migrate.ts');
    const src = secret(
      'default',
      'app',
      { ADMIN_PASSWORD: 'super', DB_HOST: 'localhost' },
      {
        labels: { 'kubemirror.raczylo.com/enabled': 'true' },
        annotations: {
          'kubemirror.raczylo.com/sync': 'true',
          'kubemirror.raczylo.com/target-namespaces': 'app-1',
          'kubemirror.raczylo.com/transform': 'rules:\n  - path: data.ADMIN_PASSWORD\n    delete: true\n',
        },
      },
    );
    const w = world(['default', 'app-1'], [src]);
    const plan = planReflection(w);
    assert.deepEqual(
      plan.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.deepEqual(Object.keys((plan.apply[0]!.object.data ?? {}) as object), ['DB_HOST']);
    const migrated = migrateObject(src, w);
    assert.equal(migrated.status, 'migrated', migrated.status === 'refused' ? migrated.reason : '');
  });
});
