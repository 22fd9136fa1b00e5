import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityOf } from '../core/index.ts';
import { configMap, pushTo, secret, world } from '../test/fixtures.ts';
import { buildStatusReport, pendingStatuses } from './status-report.ts';

const w = world(
  ['platform', 'team-a', 'team-b'],
  [
    secret('platform', 'db', { k: 'v' }, pushTo('team-*')),
    secret('platform', 'plain', { k: 'v' }),
    configMap('platform', 'bad', {}, { annotations: { 'kube-reflect.io/to': 'team-a', 'kube-reflect.io/typo': 'x' } }),
    secret('team-a', 'tls', { k: 'v' }, pushTo('team-b')),
    secret('team-b', 'pulled', {}, { annotations: { 'kube-reflect.io/from': 'platform/gone' } }),
  ],
);

describe('pendingStatuses', () => {
  it("lists a namespace's sources from its objects alone, each a row of the whole report, pending", () => {
    const platform = w.objects.filter((o) => o.metadata.namespace === 'platform');
    const pending = pendingStatuses(platform, { namespace: 'platform' });
    const whole = buildStatusReport(w, { namespace: 'platform' }).sources.map((s) => identityOf(s.source));
    assert.deepEqual(
      pending.map((s) => identityOf(s.source)),
      ['ConfigMap/platform/bad', 'Secret/platform/db'],
    );
    for (const s of pending) {
      assert.equal(s.pending, true);
      assert.ok(whole.includes(identityOf(s.source)));
    }
    // The deleted source a pull mirror names is a row only the whole world reveals.
    assert.ok(whole.includes('Secret/platform/gone'));
  });

  it('lists only the first of them when given a limit, the same rows in the same order', () => {
    const all = pendingStatuses(w.objects, { namespace: 'platform' });
    for (const limit of [0, 1, 2, 3])
      assert.deepEqual(pendingStatuses(w.objects, { namespace: 'platform' }, {}, limit), all.slice(0, limit));
  });

  it('applies the same filter as the report', () => {
    assert.deepEqual(
      pendingStatuses(w.objects, { namespace: 'team-a' }).map((s) => s.source.name),
      ['tls'],
    );
  });
});
