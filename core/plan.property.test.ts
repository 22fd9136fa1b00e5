import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject, NamespaceInfo, World } from './index.ts';
import {
  applyPlanToWorld,
  decidePull,
  identityOf,
  Labels,
  parseObject,
  planReflection,
  planRows,
  Provenance,
  rowsInOrder,
  rowsOf,
  pushTargets,
} from './index.ts';

// Small alphabets make collisions (same names, overlapping patterns, foreign objects) frequent.
const nsName = fc.constantFrom('team-a', 'team-b', 'app-1', 'platform', 'kube-system', 'default');
const objName = fc.constantFrom('db', 'cfg', 'tls');
const patternEntry = fc.constantFrom(
  'team-*',
  'all',
  '!team-b',
  'regex:^app-[0-9]+$',
  'platform',
  '!kube-*',
  'team-a',
  'zzz',
);
const reflectorEntry = fc.constantFrom('team-.*', '.*', 'app-1', '^(?!(?:default|kube-system)$).*', 'a|ab', '');
const labelsArb = fc.dictionary(
  fc.constantFrom('env', 'kube-reflect.io/accept-mirrors'),
  fc.constantFrom('prod', 'dev', 'true', 'false'),
  {
    maxKeys: 2,
  },
);

const namespaceArb: fc.Arbitrary<NamespaceInfo> = fc.record({ name: nsName, labels: labelsArb });

const nativeAnnotations = fc.record(
  {
    'kube-reflect.io/to': fc.array(patternEntry, { minLength: 1, maxLength: 3 }).map((a) => a.join(',')),
    'kube-reflect.io/to-selector': fc.constantFrom('env=prod', 'env in (dev)', '!env'),
    'kube-reflect.io/allowed-namespaces': fc
      .array(patternEntry, { minLength: 1, maxLength: 2 })
      .map((a) => a.join(',')),
    'kube-reflect.io/opt-in-only': fc.constantFrom('true', 'false'),
    'kube-reflect.io/paused': fc.constantFrom('true', 'false'),
    'kube-reflect.io/max-targets': fc.constantFrom('1', '3', '100'),
    'kube-reflect.io/mirror-name': objName,
  },
  { requiredKeys: ['kube-reflect.io/to'] },
);
const reflectorAnnotations = fc.record(
  {
    'reflector.v1.k8s.emberstack.com/reflection-allowed': fc.constantFrom('true', 'True', 'false'),
    'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': fc
      .array(reflectorEntry, { maxLength: 2 })
      .map((a) => a.join(',')),
    'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': fc.constantFrom('true', 'false'),
    'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': fc
      .array(reflectorEntry, { maxLength: 2 })
      .map((a) => a.join(',')),
    'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector': fc.constantFrom(
      'env=prod',
      'env notin (dev)',
    ),
  },
  { requiredKeys: ['reflector.v1.k8s.emberstack.com/reflection-allowed'] },
);

const kindArb = fc.constantFrom('Secret', 'ConfigMap');
const dataArb = fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('eA==', 'eQ=='), { maxKeys: 2 });

const sourceArb = fc.record({
  kind: kindArb,
  ns: nsName,
  name: objName,
  annotations: fc.oneof(nativeAnnotations, reflectorAnnotations),
  data: dataArb,
  type: fc.constantFrom(undefined, 'Opaque', 'kubernetes.io/service-account-token'),
});
// Foreign objects and pull mirrors share names with mirrors, so ownership is tested on every run.
const otherArb = fc.record({
  kind: kindArb,
  ns: nsName,
  name: objName,
  data: dataArb,
  pullFrom: fc.option(
    fc.tuple(nsName, objName).map(([n, m]) => `${n}/${m}`),
    { nil: undefined },
  ),
});

const worldArb: fc.Arbitrary<World> = fc
  .record({
    namespaces: fc.uniqueArray(namespaceArb, { selector: (n) => n.name, minLength: 1, maxLength: 6 }),
    sources: fc.array(sourceArb, { maxLength: 4 }),
    others: fc.array(otherArb, { maxLength: 4 }),
  })
  .map(({ namespaces, sources, others }) => {
    const objects = new Map<string, KubeObject>();
    for (const s of sources) {
      const obj: KubeObject = {
        apiVersion: 'v1',
        kind: s.kind,
        metadata: { name: s.name, namespace: s.ns, annotations: s.annotations },
        data: s.data,
      };
      if (s.kind === 'Secret' && s.type !== undefined) obj.type = s.type;
      objects.set(identityOf(obj), obj);
    }
    for (const o of others) {
      const annotations: Record<string, string> =
        o.pullFrom === undefined ? {} : { 'kube-reflect.io/from': o.pullFrom };
      const obj: KubeObject = {
        apiVersion: 'v1',
        kind: o.kind,
        metadata: { name: o.name, namespace: o.ns, annotations, uid: `uid-${o.ns}-${o.name}` },
        data: o.data,
      };
      if (!objects.has(identityOf(obj))) objects.set(identityOf(obj), obj);
    }
    return { namespaces, objects: [...objects.values()] };
  });

const isOurs = (obj: KubeObject | undefined) => obj?.metadata.labels?.[Labels.mirror] === 'true';

describe('planner invariants (property tests)', () => {
  it('never plans a write or delete of an object that is not ours, except filling a pull mirror', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const plan = planReflection(world);
        const byId = new Map(world.objects.map((o) => [identityOf(o), o]));
        for (const d of plan.delete)
          assert.ok(isOurs(byId.get(identityOf(d.object))), `deletes foreign ${identityOf(d.object)}`);
        for (const a of plan.apply) {
          const live = byId.get(identityOf(a.object));
          if (live === undefined || isOurs(live)) continue;
          assert.ok(parseObject(live).pull !== undefined, `writes foreign ${identityOf(a.object)}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('pushes only into allowed, opted-in namespaces other than the source namespace, and never denied types', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const plan = planReflection(world);
        const nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
        for (const a of plan.apply) {
          const sourceNs = a.source.namespace;
          const target = a.object.metadata.namespace ?? '';
          assert.notEqual(
            target === sourceNs && a.object.metadata.name === a.source.name,
            true,
            'a source mirrored onto itself',
          );
          assert.notEqual(a.object.type, 'kubernetes.io/service-account-token');
          const source = world.objects.find((o) => identityOf(o) === identityOf(a.source));
          const spec = source === undefined ? undefined : parseObject(source).spec;
          assert.ok(spec !== undefined, 'applied without a valid source spec');
          const ns = nsByName.get(target) ?? { name: target, labels: {} };
          if (isOurs(a.object)) {
            assert.ok(pushTargets(spec, world.namespaces).includes(target), `${target} is not a push target`);
            assert.notEqual(ns.labels[Labels.acceptMirrors], 'false');
            if (spec.optInOnly) assert.equal(ns.labels[Labels.acceptMirrors], 'true');
          } else if (a.reason !== 'clear') {
            assert.ok(decidePull(spec, ns).allowed, `pull into ${target} not allowed`);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same world in any order gives the same plan', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (world, seeds) => {
        const shuffled = {
          namespaces: [...world.namespaces].reverse(),
          objects: [...world.objects].sort(() => (seeds.next().value % 3) - 1),
        };
        assert.deepEqual(planReflection(shuffled), planReflection(world));
      }),
      { numRuns: 200 },
    );
  });

  it('plans for one namespace exactly the writes the whole plan makes there', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const full = planReflection(world);
        for (const ns of world.namespaces) {
          const focused = planReflection(world, { namespaces: [ns.name] });
          const here = (n: string | undefined) => n === ns.name;
          assert.deepEqual(
            focused.apply,
            full.apply.filter((a) => here(a.object.metadata.namespace)),
          );
          assert.deepEqual(
            focused.delete,
            full.delete.filter((d) => here(d.object.namespace)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: after applying its plan, the next plan is empty', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const after = applyPlanToWorld(world, planReflection(world));
        const next = planReflection(after);
        assert.deepEqual(next.apply, []);
        assert.deepEqual(next.delete, []);
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * The world after its plan is carried out, then its sources edited: every other one deleted, the rest edited, and
 * some mirrors asked to be kept as orphans (deleted sources, orphans, outdated and drifted mirrors on every run).
 */
const laterWorldArb: fc.Arbitrary<World> = fc.tuple(worldArb, fc.infiniteStream(fc.nat())).map(([world, seeds]) => {
  const after = applyPlanToWorld(world, planReflection(world));
  const objects: KubeObject[] = [];
  for (const o of after.objects) {
    const roll = seeds.next().value % 4;
    const mirror = o.metadata.labels?.[Labels.mirror] === 'true';
    if (!mirror && roll === 0) continue;
    const annotations = { ...o.metadata.annotations };
    if (mirror && roll === 1) annotations[Provenance.onSourceDelete] = 'orphan';
    const data = roll === 2 ? { a: 'ZWRpdGVk' } : o.data;
    objects.push({ ...o, metadata: { ...o.metadata, annotations }, data });
  }
  return { namespaces: world.namespaces, objects };
});

describe('planRows (property tests)', () => {
  it("yields exactly planReflection's summary rows, with the mirrors and findings each counts", () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, laterWorldArb), (world) => {
        const plan = planReflection(world);
        const planned = planRows(world);
        const rows = [...planned.rows];
        const listed = new Set(planned.refs.map(identityOf));
        assert.ok(rows.every((r) => listed.has(identityOf(r.summary.source))));
        assert.deepEqual(
          rows.map((r) => r.summary),
          plan.sources,
        );
        for (const r of rows) {
          const id = identityOf(r.summary.source);
          assert.deepEqual(
            r.mirrors,
            plan.mirrors.filter((m) => identityOf(m.source) === id),
          );
          assert.deepEqual(
            r.findings,
            plan.findings.filter((f) => identityOf(f.source ?? f.object) === id),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it("lists from any part of the world only rows the whole plan has, and from all of it every source's", () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, laterWorldArb), nsName, (world, ns) => {
        const rows = new Set(planReflection(world).sources.map((s) => identityOf(s.source)));
        const part = world.objects.filter((o) => o.metadata.namespace === ns);
        for (const ref of rowsOf(part)) assert.ok(rows.has(identityOf(ref)), identityOf(ref));
        const all = rowsOf(world.objects);
        for (const s of planReflection(world).sources)
          if (s.exists && parseObject(world.objects.find((o) => identityOf(o) === identityOf(s.source))!).isSource)
            assert.ok(
              all.some((r) => identityOf(r) === identityOf(s.source)),
              identityOf(s.source),
            );
      }),
      { numRuns: 300 },
    );
  });

  it('yields, parsing in row order, the rows rowsOf lists, in its order', () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, laterWorldArb), (world) => {
        assert.deepEqual([...rowsInOrder(world.objects)], rowsOf(world.objects));
        const reversed = [...world.objects].reverse();
        assert.deepEqual([...rowsInOrder(reversed)], rowsOf(reversed));
      }),
      { numRuns: 300 },
    );
  });

  it('yields the rows it is asked for, as the whole plan has them', () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, laterWorldArb), nsName, (world, ns) => {
        const wanted = (r: { namespace: string }) => r.namespace === ns;
        assert.deepEqual(
          [...planRows(world, {}, wanted).rows].map((r) => r.summary),
          planReflection(world).sources.filter((s) => wanted(s.source)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('annotation parsing (fuzz)', () => {
  it('never throws on random annotation values', () => {
    const keys = [
      'kube-reflect.io/to',
      'kube-reflect.io/to-selector',
      'kube-reflect.io/allowed-namespaces',
      'kube-reflect.io/copy-labels',
      'kube-reflect.io/max-targets',
      'kube-reflect.io/from',
      'kube-reflect.io/once-version',
      'reflector.v1.k8s.emberstack.com/reflection-allowed',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector',
      'reflector.v1.k8s.emberstack.com/reflects',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.string({ maxLength: 300 })), (annotations) => {
        const obj: KubeObject = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'ns', annotations },
        };
        const parsed = parseObject(obj);
        assert.ok(Array.isArray(parsed.findings));
        planReflection({ namespaces: [{ name: 'team-a', labels: {} }], objects: [obj] });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bystanders', () => {
  it("plans the same when any of the world's objects are given as bystanders (one that is not plain, as an object)", () => {
    let moved = 0;
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(worldArb, laterWorldArb), fc.infiniteStream(fc.boolean()), (world, picks) => {
        // Plain objects where mirrors would go, or a source would be: foreign objects, and stand-ins for lost sources.
        const all = new Map(world.objects.map((o) => [identityOf(o), o]));
        for (const ns of world.namespaces) {
          for (const name of ['db', 'cfg']) {
            const obj: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns.name } };
            if (picks.next().value && !all.has(identityOf(obj))) all.set(identityOf(obj), obj);
          }
        }
        world = { namespaces: world.namespaces, objects: [...all.values()] };
        const objects: KubeObject[] = [];
        const bystanders = new Map<string, KubeObject>();
        for (const obj of world.objects) {
          if (picks.next().value) bystanders.set(identityOf(obj), obj);
          else objects.push(obj);
        }
        moved += bystanders.size;
        plain += [...bystanders.values()].filter((o) => Object.keys(o.metadata.annotations ?? {}).length === 0).length;
        const split = { namespaces: world.namespaces, objects, bystanders };
        assert.deepEqual(planReflection(split), planReflection(world));
        for (const ns of world.namespaces)
          assert.deepEqual(
            planReflection(split, { namespaces: [ns.name] }),
            planReflection(world, { namespaces: [ns.name] }),
          );
      }),
      { numRuns: 400 },
    );
    // Not vacuous: plain objects, and others, were given as bystanders.
    assert.ok(plain > 100 && moved - plain > 100, `moved ${moved}, plain ${plain}`);
  });
});
