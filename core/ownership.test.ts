import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { configMap, pushTo, secret, world } from '../test/fixtures.ts';
import type { KubeObject, World } from './index.ts';
import { applyPlanToWorld, identityOf, Labels, parseObject, planReflection, Provenance } from './index.ts';

/** Plans and applies once, as every surface does. */
function step(w: World): World {
  return applyPlanToWorld(w, planReflection(w));
}

function get(w: World, ns: string, name: string, kind = 'Secret'): KubeObject | undefined {
  return w.objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
}

const platform = secret('platform', 'registry', { token: 'PLATFORM' }, { ...pushTo('team-*'), uid: 'p-uid' });
const evil = secret(
  'aaa-tenant',
  'evil',
  { token: 'ATTACKER' },
  { ...pushTo('all', { 'kube-reflect.io/mirror-name': 'registry' }), uid: 'e-uid' },
);

describe('mirror ownership (trust break 1)', () => {
  it('keeps the platform mirror when a tenant source whose name sorts first asks for it', () => {
    const w1 = step(world(['platform', 'team-a', 'aaa-tenant'], [platform]));
    const plan = planReflection({ ...w1, objects: [...w1.objects, evil] });
    assert.deepEqual(
      plan.apply.filter((a) => a.object.metadata.namespace === 'team-a'),
      [],
    );
    assert.deepEqual(plan.delete, []);
    const blocked = plan.findings.filter((f) => f.reason === 'TargetBlocked');
    assert.deepEqual(
      blocked.map((f) => [f.object.namespace, f.object.name, f.detail?.namespace, f.detail?.blockedBy]),
      [
        ['aaa-tenant', 'evil', 'platform', 'foreign-object'],
        ['aaa-tenant', 'evil', 'team-a', 'owned-mirror'],
      ],
    );
    assert.equal(
      get(step({ ...w1, objects: [...w1.objects, evil] }), 'team-a', 'registry')?.data?.['token' as never],
      'UExBVEZPUk0=',
    );
  });

  it('keeps it whatever the planning scope: the tenant reconciled alone writes nothing there', () => {
    const w1 = step(world(['platform', 'team-a', 'aaa-tenant'], [platform]));
    const w2 = { ...w1, objects: [...w1.objects, evil] };
    const plan = planReflection(w2, {
      sources: [{ group: '', kind: 'Secret', namespace: 'aaa-tenant', name: 'evil' }],
    });
    assert.deepEqual([plan.apply.map((a) => a.object.metadata.namespace), plan.delete], [[], []]);
  });

  it('lets another source have it only once its recorded source is gone, deleting that very object first', () => {
    const w1 = step(world(['platform', 'team-a', 'other'], [platform]));
    const other = secret('other', 'registry', { token: 'OTHER' }, pushTo('team-a'));
    const gone = { ...w1, objects: [...w1.objects.filter((o) => o !== platform), other] };
    const plan = planReflection(gone, {
      sources: [{ group: '', kind: 'Secret', namespace: 'other', name: 'registry' }],
    });
    const mirrorUid = get(w1, 'team-a', 'registry')?.metadata.uid;
    assert.deepEqual(
      plan.delete.map((d) => [d.object.namespace, d.reason, d.uid]),
      [['team-a', 'source-deleted', mirrorUid]],
    );
    assert.deepEqual(
      plan.apply.map((a) => [a.object.metadata.namespace, a.reason]),
      [['team-a', 'create']],
    );
  });

  it('never hands over an orphan: a deleted source that asked to keep its mirrors keeps them', () => {
    const keep = secret(
      'platform',
      'registry',
      { token: 'PLATFORM' },
      pushTo('team-a', { 'kube-reflect.io/on-source-delete': 'orphan' }),
    );
    const w1 = step(world(['platform', 'team-a', 'other'], [keep]));
    const other = secret('other', 'registry', { token: 'OTHER' }, pushTo('team-a'));
    const plan = planReflection({ ...w1, objects: [...w1.objects.filter((o) => o !== keep), other] });
    assert.deepEqual([plan.apply, plan.delete], [[], []]);
    assert.ok(plan.findings.some((f) => f.reason === 'TargetBlocked' && f.detail?.blockedBy === 'orphan'));
  });

  it('treats a source recreated with another uid as gone: its orphan policy holds, the same identity may take it back', () => {
    const keep = secret(
      'platform',
      'registry',
      { token: 'A' },
      { ...pushTo('team-a', { 'kube-reflect.io/on-source-delete': 'orphan' }), uid: 'u1' },
    );
    const w1 = step(world(['platform', 'team-a'], [keep]));
    // Recreated without annotations: the old source is gone, so its orphan stays (a plain same-named object would
    // otherwise delete it as "source disabled").
    const plain = secret('platform', 'registry', { token: 'B' }, { uid: 'u2' });
    const orphaned = planReflection({ ...w1, objects: [...w1.objects.filter((o) => o !== keep), plain] });
    assert.deepEqual([orphaned.apply, orphaned.delete], [[], []]);
    // Recreated as a source again: the same identity updates its mirror.
    const again = secret('platform', 'registry', { token: 'B' }, { ...pushTo('team-a'), uid: 'u2' });
    const back = planReflection({ ...w1, objects: [...w1.objects.filter((o) => o !== keep), again] });
    assert.deepEqual(
      back.apply.map((a) => [
        a.object.metadata.namespace,
        a.reason,
        a.object.metadata.annotations?.[Provenance.sourceUid],
      ]),
      [['team-a', 'update', 'u2']],
    );
  });

  it('gives a free name that two sources want to neither of them, whatever their names', () => {
    const a = configMap('alpha', 'shared', { from: 'alpha' }, pushTo('team-a'));
    const b = configMap('beta', 'shared', { from: 'beta' }, pushTo('team-a'));
    const plan = planReflection(world(['alpha', 'beta', 'team-a'], [a, b]));
    assert.deepEqual(plan.apply, []);
    assert.deepEqual(
      plan.findings.map((f) => [f.object.namespace, f.detail?.blockedBy, f.detail?.holder?.namespace]),
      [
        ['alpha', 'contested', 'beta'],
        ['beta', 'contested', 'alpha'],
      ],
    );
  });
});

// Random worlds of sources that want the same mirror names, some mirrors already standing, in any order and scope.
const nsName = fc.constantFrom('a-tenant', 'platform', 'team-a', 'team-b', 'z-tenant');
const sourceArb = fc.record({
  ns: nsName,
  name: fc.constantFrom('registry', 'evil', 'cfg'),
  to: fc.constantFrom('all', 'team-*', 'team-a', 'team-b,platform', '!team-a,all'),
  mirrorName: fc.constantFrom(undefined, 'registry', 'cfg'),
  paused: fc.boolean(),
  orphan: fc.boolean(),
});
// A standing mirror of one of the generated sources (by index), so most worlds start with contested mirrors.
const mirrorArb = fc.record({ ns: nsName, source: fc.nat() });

const worldArb = fc
  .record({ sources: fc.array(sourceArb, { maxLength: 5 }), mirrors: fc.array(mirrorArb, { maxLength: 4 }) })
  .map(({ sources, mirrors }) => {
    const objects = new Map<string, KubeObject>();
    for (const s of sources) {
      const extra: Record<string, string> = {};
      if (s.mirrorName !== undefined) extra['kube-reflect.io/mirror-name'] = s.mirrorName;
      if (s.paused) extra['kube-reflect.io/paused'] = 'true';
      if (s.orphan) extra['kube-reflect.io/on-source-delete'] = 'orphan';
      const obj = configMap(
        s.ns,
        s.name,
        { from: `${s.ns}/${s.name}` },
        { ...pushTo(s.to, extra), uid: `uid-${s.ns}-${s.name}` },
      );
      objects.set(identityOf(obj), obj);
    }
    for (const m of mirrors) {
      const s = sources[m.source % Math.max(sources.length, 1)];
      if (s === undefined) continue;
      const [sns, sname] = [s.ns, s.name];
      const obj = configMap(
        m.ns,
        s.mirrorName ?? s.name,
        { from: 'old' },
        {
          labels: { [Labels.mirror]: 'true' },
          annotations: {
            [Provenance.source]: `${sns}/${sname}`,
            [Provenance.sourceUid]: `uid-${sns}-${sname}`,
            [Provenance.contentHash]: 'sha256:0',
          },
          uid: `mirror-${m.ns}-${s.mirrorName ?? s.name}`,
        },
      );
      if (!objects.has(identityOf(obj))) objects.set(identityOf(obj), obj);
    }
    return {
      namespaces: ['a-tenant', 'platform', 'team-a', 'team-b', 'z-tenant'].map((name) => ({ name, labels: {} })),
      objects: [...objects.values()],
    };
  });

/** The mirrors that belong to an existing source that wants them: by identity, the key of that source. */
function heldMirrors(w: World): Map<string, string> {
  const held = new Map<string, string>();
  const byKey = new Map(w.objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  for (const o of w.objects) {
    const by = parseObject(o).pushedBy;
    if (by === undefined) continue;
    const source = byKey.get(by.sourceKey);
    const spec = source === undefined ? undefined : parseObject(source).spec;
    if (spec === undefined || spec.mirrorName !== o.metadata.name) continue;
    const full = planReflection({ ...w, objects: [source as KubeObject] }); // what the source wants on its own
    const wants =
      spec.paused ||
      full.apply.some((a) => a.object.metadata.namespace === o.metadata.namespace) ||
      full.findings.some((f) => f.reason === 'TooManyTargets');
    if (wants) held.set(identityOf(o), by.sourceKey);
  }
  return held;
}

describe('mirror ownership (property)', () => {
  it('never writes or deletes a mirror held by an existing source that wants it for another source, in any order or scope', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (w, seeds) => {
        const held = heldMirrors(w);
        const shuffled = { ...w, objects: [...w.objects].sort(() => (seeds.next().value % 3) - 1) };
        const scopes = [
          undefined,
          ...w.objects
            .filter((o) => parseObject(o).isSource)
            .map((o) => [
              { group: '', kind: 'ConfigMap', namespace: o.metadata.namespace ?? '', name: o.metadata.name },
            ]),
        ];
        for (const scope of scopes) {
          const plan = planReflection(shuffled, scope === undefined ? {} : { sources: scope });
          for (const a of plan.apply) {
            const holder = held.get(identityOf(a.object));
            if (holder !== undefined)
              assert.equal(
                `${a.source.namespace}/${a.source.name}`,
                holder,
                `${identityOf(a.object)} written for another source`,
              );
          }
          for (const d of plan.delete)
            assert.equal(
              held.has(identityOf(d.object)) && d.reason !== 'recreate',
              false,
              `${identityOf(d.object)} deleted while held`,
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});
