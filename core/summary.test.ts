import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, pushTo, world } from '../test/fixtures.ts';
import type { Plan, SourceSummary } from './index.ts';
import { applyPlanToWorld, planReflection } from './index.ts';

const NAMESPACES = ['platform', 'team-a', 'team-b'];

/** The summary of the one source named, as the plan carries it. */
function summaryOf(plan: Plan, name: string): SourceSummary {
  const s = plan.sources.find((x) => x.source.name === name);
  assert.ok(s, `no summary for ${name}: ${JSON.stringify(plan.sources.map((x) => x.source.name))}`);
  return s;
}

describe('the plan summarizes each source', () => {
  it('targeting, mirror name, mirror states and health: out of sync until written, then in sync', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-*', { 'kube-reflect.io/mirror-name': 'copy' }));
    const before = planReflection(world(NAMESPACES, [src]));
    const s = summaryOf(before, 'cfg');
    assert.equal(s.exists, true);
    assert.equal(s.targeting, 'kube-reflect.io/to');
    assert.equal(s.mirrorName, 'copy');
    assert.equal(s.counts.missing, 2);
    assert.deepEqual(s.findingCounts, { error: 0, warning: 0, info: 0 });
    assert.equal(s.health, 'OutOfSync');
    const after = planReflection(applyPlanToWorld(world(NAMESPACES, [src]), before));
    assert.equal(summaryOf(after, 'cfg').counts['in-sync'], 2);
    assert.equal(summaryOf(after, 'cfg').health, 'InSync');
  });

  it('a foreign object at a target is Blocked, with the TargetBlocked warning counted on the source', () => {
    const src = configMap('platform', 'cfg', { a: '1' }, pushTo('team-a'));
    const s = summaryOf(planReflection(world(NAMESPACES, [src, configMap('team-a', 'cfg', { mine: 'x' })])), 'cfg');
    assert.equal(s.counts.blocked, 1);
    assert.equal(s.findingCounts.warning, 1);
    assert.equal(s.health, 'Blocked');
  });

  it('a paused source is Paused, one with a broken annotation is Error, a source with no target has NoMirrors', () => {
    const paused = configMap('platform', 'p', {}, pushTo('team-a', { 'kube-reflect.io/paused': 'true' }));
    const broken = configMap('platform', 'b', {}, pushTo('team-a', { 'kube-reflect.io/max-targets': 'many' }));
    const lonely = configMap('platform', 'l', {}, pushTo('nowhere'));
    const plan = planReflection(world(NAMESPACES, [paused, broken, lonely]));
    assert.equal(summaryOf(plan, 'p').health, 'Paused');
    assert.equal(summaryOf(plan, 'b').health, 'Error');
    assert.ok(summaryOf(plan, 'b').findingCounts.error > 0);
    assert.equal(summaryOf(plan, 'l').health, 'NoMirrors');
  });

  it('the mirrors a deleted source asked to keep are summed up under it, as SourceGone', () => {
    const src = configMap(
      'platform',
      'cfg',
      { a: '1' },
      pushTo('team-a', { 'kube-reflect.io/on-source-delete': 'orphan' }),
    );
    const written = applyPlanToWorld(world(NAMESPACES, [src]), planReflection(world(NAMESPACES, [src])));
    const gone = { ...written, objects: written.objects.filter((o) => o.metadata.namespace !== 'platform') };
    const s = summaryOf(planReflection(gone), 'cfg');
    assert.equal(s.exists, false);
    assert.equal(s.counts.orphaned, 1);
    assert.equal(s.health, 'SourceGone');
  });

  it('is sorted by namespace, name and kind, and holds only the sources a scoped plan is about', () => {
    const objects = ['b', 'a'].map((n) => configMap('platform', n, {}, pushTo('team-a')));
    assert.deepEqual(
      planReflection(world(NAMESPACES, objects)).sources.map((s) => s.source.name),
      ['a', 'b'],
    );
    const scoped = planReflection(world(NAMESPACES, objects), {
      sources: [{ group: '', kind: 'ConfigMap', namespace: 'platform', name: 'b' }],
    });
    assert.deepEqual(
      scoped.sources.map((s) => s.source.name),
      ['b'],
    );
  });
});
