import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, world } from '../test/fixtures.ts';
import type { KubeObject, World } from './index.ts';
import { applyPlanToWorld, planReflection } from './index.ts';

const from = (key: string, allowed = 'all') => ({
  annotations: { 'kube-reflect.io/from': key, 'kube-reflect.io/allowed-namespaces': allowed },
});

function dataOf(w: World, ns: string, name: string): unknown {
  return w.objects.find((o: KubeObject) => o.metadata.namespace === ns && o.metadata.name === name)?.data;
}

describe('pull chains and cycles (trust break 7)', () => {
  it('reports every member of a two-cycle, names the cycle, and writes nothing', () => {
    const w = world(
      ['ns1', 'ns2'],
      [configMap('ns1', 'a', { k: '1' }, from('ns2/b')), configMap('ns2', 'b', { k: '2' }, from('ns1/a'))],
    );
    const plan = planReflection(w);
    assert.deepEqual([plan.apply, plan.delete], [[], []]);
    assert.deepEqual(
      plan.findings.map((f) => [
        f.reason,
        f.severity,
        f.object.name,
        f.annotation,
        f.detail?.cycle?.map((r) => r.name),
      ]),
      [
        ['PullCycle', 'error', 'a', 'kube-reflect.io/from', ['a', 'b']],
        ['PullCycle', 'error', 'b', 'kube-reflect.io/from', ['b', 'a']],
      ],
    );
    assert.match(plan.findings[0]?.message ?? '', /ns1\/a <- ns2\/b <- ns1\/a/);
  });

  it('reports a three-cycle and leaves a chain hanging off it alone', () => {
    const w = world(
      ['ns1', 'ns2', 'ns3', 'ns4'],
      [
        configMap('ns1', 'a', { k: '1' }, from('ns3/c')),
        configMap('ns2', 'b', { k: '2' }, from('ns1/a')),
        configMap('ns3', 'c', { k: '3' }, from('ns2/b')),
        configMap('ns4', 'd', { k: '4' }, from('ns1/a')),
      ],
    );
    const plan = planReflection(w);
    assert.deepEqual(
      plan.findings.filter((f) => f.reason === 'PullCycle').map((f) => f.object.name),
      ['a', 'b', 'c'],
    );
    // d copies a as it stands (a is never written), so the plan is a fixed point after one apply.
    assert.deepEqual(
      plan.apply.map((a) => a.object.metadata.name),
      ['d'],
    );
    const after = applyPlanToWorld(w, plan);
    assert.deepEqual(planReflection(after).apply, []);
  });

  it('fills a chain c <- b <- a in one plan, each from its source as the plan leaves it', () => {
    const a = configMap('ns1', 'a', { k: 'A' }, { annotations: { 'kube-reflect.io/allowed-namespaces': 'all' } });
    const w = world(
      ['ns1', 'ns2', 'ns3', 'ns4'],
      [
        configMap('ns4', 'd', {}, from('ns3/c')),
        configMap('ns3', 'c', {}, from('ns2/b')),
        configMap('ns2', 'b', {}, from('ns1/a')),
        a,
      ],
    );
    const after = applyPlanToWorld(w, planReflection(w));
    assert.deepEqual(
      ['b', 'c', 'd'].map((n, i) => dataOf(after, `ns${i + 2}`, n)),
      [{ k: 'A' }, { k: 'A' }, { k: 'A' }],
    );
    assert.deepEqual(planReflection(after).apply, []);
  });

  it('pushes what a source that also pulls will hold after the plan', () => {
    const a = configMap('ns1', 'a', { k: 'A' }, { annotations: { 'kube-reflect.io/allowed-namespaces': 'all' } });
    const b = configMap(
      'ns2',
      'b',
      { k: 'old' },
      { annotations: { 'kube-reflect.io/from': 'ns1/a', 'kube-reflect.io/to': 'team-a' } },
    );
    const w = world(['ns1', 'ns2', 'team-a'], [a, b]);
    const after = applyPlanToWorld(w, planReflection(w));
    assert.deepEqual(dataOf(after, 'team-a', 'b'), { k: 'A' });
    assert.deepEqual(planReflection(after).apply, []);
  });
});

describe('invalid names (weak spot)', () => {
  it('never targets a namespace with an invalid name, and reports it', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, { annotations: { 'kube-reflect.io/to': 'all' } });
    const plan = planReflection(world(['platform', 'team-a', '../escape', 'UPPER'], [src]));
    assert.deepEqual(
      plan.apply.map((a) => a.object.metadata.namespace),
      ['team-a'],
    );
    assert.deepEqual(
      plan.findings.map((f) => [f.reason, f.object.kind, f.object.name]),
      [
        ['InvalidName', 'Namespace', '../escape'],
        ['InvalidName', 'Namespace', 'UPPER'],
      ],
    );
  });

  it('ignores an object whose own name or namespace is invalid, with a finding naming the field', () => {
    const badName = configMap('platform', '../../x', { a: '1' }, { annotations: { 'kube-reflect.io/to': 'all' } });
    const badNs = configMap('Plat form', 'cfg', { a: '1' }, { annotations: { 'kube-reflect.io/to': 'all' } });
    const puller = configMap('team-a', '..', {}, { annotations: { 'kube-reflect.io/from': 'platform/ok' } });
    const plan = planReflection(world(['platform', 'team-a'], [badName, badNs, puller]));
    assert.deepEqual([plan.apply, plan.delete], [[], []]);
    assert.deepEqual(
      plan.findings.map((f) => [f.reason, f.object.name, f.detail?.field]),
      [
        ['InvalidName', 'cfg', 'metadata.namespace'],
        ['InvalidName', '../../x', 'metadata.name'],
        ['InvalidName', '..', 'metadata.name'],
      ],
    );
  });

  it('accepts RBAC-style names with colons for kinds that allow them', () => {
    const src: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'system:reader', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
      rules: [],
    };
    const plan = planReflection(world(['platform', 'team-a'], [src]), { accessKindSourceNamespaces: ['platform'] });
    assert.deepEqual(
      plan.apply.map((a) => a.object.metadata.name),
      ['system:reader'],
    );
  });
});
