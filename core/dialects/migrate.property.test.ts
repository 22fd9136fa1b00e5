import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject, NamespaceInfo, World } from '../index.ts';
import { canonicalJson, identityOf, planReflection } from '../index.ts';
import { migrateObject } from './migrate.ts';

// Small alphabets so sources, pull targets and namespaces collide often.
const nsName = fc.constantFrom('team-a', 'team-b', 'app-1', 'src', 'kube-system');
const name = fc.constantFrom('db', 'cfg');
const labels = fc.dictionary(
  fc.constantFrom('env', 'kubemirror.raczylo.com/allow-mirrors'),
  fc.constantFrom('prod', 'true', 'false'),
  { maxKeys: 2 },
);
const namespaces: fc.Arbitrary<NamespaceInfo[]> = fc
  .uniqueArray(fc.record({ name: nsName, labels }), { selector: (n) => n.name, minLength: 2, maxLength: 5 })
  .map((list) => (list.some((n) => n.name === 'src') ? list : [...list, { name: 'src', labels: {} }]));
const list = (entries: string[]) =>
  fc.array(fc.constantFrom(...entries), { minLength: 1, maxLength: 3 }).map((a) => a.join(','));

const dialects: Record<
  string,
  fc.Arbitrary<{ annotations: Record<string, string>; labels?: Record<string, string> }>
> = {
  reflector: fc
    .record(
      {
        'reflector.v1.k8s.emberstack.com/reflection-allowed': fc.constantFrom('true', 'false'),
        'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': list(['team-.*', 'app-1', 'a|ab', '']),
        'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': fc.constantFrom('true', 'false'),
        'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': list(['team-a', '.*', 'app-[0-9]']),
        'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector': fc.constantFrom('env=prod'),
      },
      { requiredKeys: ['reflector.v1.k8s.emberstack.com/reflection-allowed'] },
    )
    .map((annotations) => ({ annotations })),
  'k8s-replicator': fc
    .record(
      {
        'k8s-replicator/replicate-to': list(['copy', 'team-a/x', 'team-.*/db', 'cfg']),
        'k8s-replicator/replicate-to-namespaces': list(['team-a', 'app-[0-9]+', 'src']),
        'k8s-replicator/replication-allowed': fc.constantFrom('true', 'false'),
        'k8s-replicator/replication-allowed-namespaces': list(['team-b', 'team-.*', '.*']),
        'k8s-replicator/replicate-once': fc.constantFrom('true', 'false'),
        'k8s-replicator/replicate-once-version': fc.constantFrom('v1', ''),
      },
      { requiredKeys: [] },
    )
    .map((annotations) => ({ annotations })),
  mittwald: fc
    .record(
      {
        'replicator.v1.mittwald.de/replicate-to': list(['team-a', 'team-.*', 'app-1']),
        'replicator.v1.mittwald.de/replicate-to-matching': fc.constantFrom('env=prod', 'env!=prod'),
        'replicator.v1.mittwald.de/replication-allowed': fc.constantFrom('true', 'false'),
        'replicator.v1.mittwald.de/replication-allowed-namespaces': list(['team-b', '.*']),
        'replicator.v1.mittwald.de/strip-labels': fc.constantFrom('true'),
      },
      { requiredKeys: [] },
    )
    .map((annotations) => ({ annotations })),
  kubed: fc
    .record({ 'kubed.appscode.com/sync': fc.constantFrom('', 'true', 'env=prod', 'env notin (prod)') })
    .map((annotations) => ({ annotations })),
  kubemirror: fc
    .record({
      'kubemirror.raczylo.com/sync': fc.constantFrom('true', 'false'),
      'kubemirror.raczylo.com/target-namespaces': fc.constantFrom('all', 'all-labeled', 'team-*', 'app-1,team-?'),
    })
    .map((annotations) => ({ annotations, labels: { 'kubemirror.raczylo.com/enabled': 'true', app: 'x' } })),
};
const pullKeys = fc.constantFrom(
  'reflector.v1.k8s.emberstack.com/reflects',
  'k8s-replicator/replicate-from',
  'replicator.v1.mittwald.de/replicate-from',
);

const source: fc.Arbitrary<KubeObject> = fc
  .record({ name, dialect: fc.constantFrom(...Object.keys(dialects)) })
  .chain(({ name: n, dialect }) =>
    dialects[dialect]!.map((meta) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: n,
        namespace: 'src',
        annotations: meta.annotations,
        ...(meta.labels ? { labels: meta.labels } : {}),
      },
      data: { v: n },
    })),
  );
const pull: fc.Arbitrary<KubeObject> = fc.record({ ns: nsName, n: name, from: name, key: pullKeys }).map((p) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `pull-${p.n}`, namespace: p.ns, annotations: { [p.key]: `src/${p.from}` } },
}));
const worldArb: fc.Arbitrary<World> = fc
  .record({ namespaces, sources: fc.array(source, { maxLength: 3 }), pulls: fc.array(pull, { maxLength: 3 }) })
  .map(({ namespaces: ns, sources, pulls }) => {
    const byId = new Map<string, KubeObject>();
    for (const o of [...sources, ...pulls])
      if (ns.some((n) => n.name === o.metadata.namespace)) byId.set(identityOf(o), o);
    return { namespaces: ns, objects: [...byId.values()] };
  });

function mirrorsOf(world: World): string {
  const plan = planReflection(world);
  return canonicalJson({
    apply: plan.apply.map((a) => {
      const annotations = { ...a.object.metadata.annotations };
      delete annotations['reflector.v1.k8s.emberstack.com/reflects'];
      delete annotations['reflector.v1.k8s.emberstack.com/auto-reflects'];
      return { ...a.object, metadata: { ...a.object.metadata, annotations } };
    }),
    delete: plan.delete.map((d) => identityOf(d.object)),
    mirrors: plan.mirrors.map((m) => [identityOf(m.source), identityOf(m.mirror), m.state]),
  });
}

describe('migrating annotations to the native dialect', () => {
  it('plans exactly the same mirrors after every object of a world is migrated at once', () => {
    let migrated = 0;
    let refused = 0;
    fc.assert(
      fc.property(worldArb, (world) => {
        const after = world.objects.map((o) => {
          const result = migrateObject(o, world);
          if (result.status === 'migrated') migrated++;
          if (result.status === 'refused') {
            refused++;
            assert.ok(result.reason.length > 0);
          }
          return result.status === 'migrated' ? result.after : o;
        });
        assert.equal(mirrorsOf({ ...world, objects: after }), mirrorsOf(world));
        // Migrated objects carry no key of the old dialect that still acts.
        for (const o of after) {
          const again = migrateObject(o, { ...world, objects: after });
          assert.notEqual(again.status, 'migrated', `${identityOf(o)} migrated twice`);
        }
      }),
      { numRuns: 150, seed: 42 },
    );
    assert.ok(migrated > refused, `only ${migrated} migrated, ${refused} refused`);
  });
});
