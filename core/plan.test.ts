import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, namespace, pushTo, secret, world } from '../test/fixtures.ts';
import type { KubeObject } from './index.ts';
import {
  applyPlanToWorld,
  explainSource,
  Labels,
  planReflection,
  Provenance,
  renderMirror,
  parseObject,
} from './index.ts';

describe('planReflection', () => {
  it('renders byte-for-byte identical mirrors for the same source', () => {
    const src = configMap('platform', 'cfg', { b: '2', a: '1' }, pushTo('team-a'));
    const spec = parseObject(src).spec!;
    const a = JSON.stringify(renderMirror(src, spec, { namespace: 'team-a', name: 'cfg' }, 'push'));
    const b = JSON.stringify(renderMirror(structuredClone(src), spec, { namespace: 'team-a', name: 'cfg' }, 'push'));
    assert.equal(a, b);
    assert.doesNotMatch(a, /resourceVersion|creationTimestamp|uid"|ownerReferences|managedFields/);
  });

  it('strips server fields and owner references from the source', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    Object.assign(src.metadata, {
      uid: 'u1',
      resourceVersion: '9',
      creationTimestamp: 'x',
      ownerReferences: [{ uid: 'o' }],
      managedFields: [],
    });
    const plan = planReflection(world(['platform', 'team-a'], [src]));
    const m = plan.apply[0]!.object;
    assert.deepEqual(Object.keys(m.metadata).sort(), ['annotations', 'labels', 'name', 'namespace']);
    assert.equal(m.metadata.annotations?.[Provenance.sourceUid], 'u1');
  });

  it('changes nothing for a mirror that is in sync, and updates every mirror when the source changes', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-*'));
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a', 'team-b'], [src]),
      planReflection(world(['platform', 'team-a', 'team-b'], [src])),
    );
    assert.equal(planReflection(w1).apply.length, 0);
    const changed = { ...w1, objects: w1.objects.map((o) => (o === src ? { ...src, data: { a: '2' } } : o)) };
    const plan = planReflection(changed);
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, a.object.metadata.namespace]),
      [
        ['update', 'team-a'],
        ['update', 'team-b'],
      ],
    );
  });

  it('reverts a hand edit of a mirror as drift', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a'], [src]),
      planReflection(world(['platform', 'team-a'], [src])),
    );
    const edited = {
      ...w1,
      objects: w1.objects.map((o) => (o.metadata.namespace === 'team-a' ? { ...o, data: { a: 'hacked' } } : o)),
    };
    const plan = planReflection(edited);
    assert.deepEqual(
      plan.apply.map((a) => a.reason),
      ['drift'],
    );
    assert.deepEqual(
      plan.mirrors.map((m) => m.state),
      ['drifted'],
    );
  });

  it('tolerates extra labels and annotations others add to a mirror', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a'], [src]),
      planReflection(world(['platform', 'team-a'], [src])),
    );
    const tagged = {
      ...w1,
      objects: w1.objects.map((o) =>
        o.metadata.namespace === 'team-a'
          ? {
              ...o,
              metadata: {
                ...o.metadata,
                annotations: { ...o.metadata.annotations, 'reloader.stakater.com/match': 'true' },
              },
            }
          : o,
      ),
    };
    assert.deepEqual(planReflection(tagged).apply, []);
  });

  it('recreates a mirror once a blocking foreign object is deleted', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const foreign = configMap('team-a', 'cfg', { theirs: 'x' });
    assert.deepEqual(planReflection(world(['platform', 'team-a'], [src, foreign])).apply, []);
    const plan = planReflection(world(['platform', 'team-a'], [src]));
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, a.object.metadata.namespace]),
      [['create', 'team-a']],
    );
  });

  it('recreates a mirror deleted by hand', () => {
    const src = secret('platform', 'db', { p: 'x' }, pushTo('team-a'));
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a'], [src]),
      planReflection(world(['platform', 'team-a'], [src])),
    );
    const deleted = { ...w1, objects: w1.objects.filter((o) => o.metadata.namespace !== 'team-a') };
    assert.deepEqual(
      planReflection(deleted).apply.map((a) => a.reason),
      ['create'],
    );
  });

  it('leaves mirrors in a terminating namespace alone', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a'], [src]),
      planReflection(world(['platform', 'team-a'], [src])),
    );
    const terminating = {
      namespaces: [namespace('platform'), { name: 'team-a', labels: {}, terminating: true }],
      objects: w1.objects,
    };
    const plan = planReflection(terminating);
    assert.deepEqual([plan.apply, plan.delete], [[], []]);
  });

  it('recreates an immutable ConfigMap mirror whose content changed', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    src.immutable = true;
    const w1 = applyPlanToWorld(
      world(['platform', 'team-a'], [src]),
      planReflection(world(['platform', 'team-a'], [src])),
    );
    const changed = { ...w1, objects: w1.objects.map((o) => (o === src ? { ...src, data: { a: '2' } } : o)) };
    const plan = planReflection(changed);
    assert.deepEqual([plan.delete.map((d) => d.reason), plan.apply.map((a) => a.reason)], [['recreate'], ['recreate']]);
  });

  it('plans only the sources asked for', () => {
    const a = configMap('platform', 'a', { a: '1' }, pushTo('team-a'));
    const b = configMap('platform', 'b', { b: '1' }, pushTo('team-a'));
    const plan = planReflection(world(['platform', 'team-a'], [a, b]), {
      sources: [{ group: '', kind: 'ConfigMap', namespace: 'platform', name: 'b' }],
    });
    assert.deepEqual(
      plan.apply.map((x) => x.object.metadata.name),
      ['b'],
    );
  });

  it('treats Reflector mirrors as foreign when adoption is off', () => {
    const src = configMap(
      'platform',
      'cfg',
      { a: '1' },
      {
        annotations: {
          'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
          'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
        },
      },
    );
    const old = configMap(
      'team-a',
      'cfg',
      { a: '0' },
      {
        annotations: {
          'reflector.v1.k8s.emberstack.com/reflects': 'platform/cfg',
          'reflector.v1.k8s.emberstack.com/auto-reflects': 'True',
        },
      },
    );
    const plan = planReflection(world(['platform', 'team-a'], [src, old]), { adoptReflectorMirrors: false });
    assert.deepEqual([plan.apply, plan.findings.map((f) => f.reason)], [[], ['TargetBlocked']]);
  });

  it('folds stringData into data so manifests and clusters render the same mirror', () => {
    const fromManifest: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'p', ...pushTo('t') },
      stringData: { k: 'vé' },
    };
    const fromCluster = secret('p', 's', { k: 'vé' }, pushTo('t'));
    const a = planReflection(world(['p', 't'], [fromManifest])).apply[0]!.object;
    const b = planReflection(world(['p', 't'], [fromCluster])).apply[0]!.object;
    assert.deepEqual(a, b);
  });

  it('applies the global target cap on top of the source', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('all'));
    const plan = planReflection(world(['platform', 'a', 'b', 'c'], [src]), { maxTargets: 2 });
    assert.deepEqual([plan.apply, plan.findings.map((f) => f.reason)], [[], ['TooManyTargets']]);
  });

  it('holds a target cap in a plan focused on one namespace, whichever namespaces it decides', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('all'));
    const focused = (maxTargets: number) =>
      planReflection(world(['platform', 'a', 'b', 'c'], [src]), { maxTargets, namespaces: ['b'] });
    // Four namespaces, a cap of 2: over the cap, even though only b is planned.
    assert.deepEqual([focused(2).apply, focused(2).findings.map((f) => f.reason)], [[], ['TooManyTargets']]);
    // A cap no smaller than the namespaces: b alone is decided and written.
    for (const cap of [4, 10]) {
      const plan = focused(cap);
      assert.deepEqual(
        [plan.apply.map((a) => a.object.metadata.namespace), plan.findings.map((f) => f.reason)],
        [['b'], []],
      );
    }
  });

  it('labels pushed mirrors so they can be listed server-side by source', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const m = planReflection(world(['platform', 'team-a'], [src])).apply[0]!.object;
    assert.equal(m.metadata.labels?.[Labels.mirror], 'true');
    assert.match(m.metadata.labels?.[Labels.sourceHash] ?? '', /^[0-9a-f]{32}$/);
  });
});

describe('explainSource', () => {
  it('says for every namespace why it is or is not a target', () => {
    const src = configMap(
      'platform',
      'cfg',
      { a: '1' },
      pushTo('team-*, !team-b', { 'kube-reflect.io/opt-in-only': 'true' }),
    );
    const foreign = configMap('team-c', 'cfg', {});
    const w = world(
      [
        'platform',
        namespace('team-a', { [Labels.acceptMirrors]: 'true' }),
        'team-b',
        namespace('team-c', { [Labels.acceptMirrors]: 'true' }),
        'web',
        'team-d',
      ],
      [src, foreign],
    );
    const e = explainSource(w, src);
    const byNs = Object.fromEntries(e.namespaces.map((n) => [n.namespace, [n.code, n.state]]));
    assert.deepEqual(byNs, {
      platform: ['SourceNamespace', undefined],
      'team-a': ['Target', 'missing'],
      'team-b': ['Excluded', undefined],
      'team-c': ['Target', 'blocked'],
      'team-d': ['NotOptedIn', undefined],
      web: ['NotSelected', undefined],
    });
    assert.match(e.namespaces.find((n) => n.namespace === 'team-a')!.why, /glob "team-\*" in kube-reflect.io\/to/);
    assert.deepEqual(
      e.findings.map((f) => f.reason),
      ['TargetBlocked'],
    );
  });
});
