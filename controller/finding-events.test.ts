import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../core/index.ts';
import { SECRETS } from '../kube/resource-type.ts';
import { eventsFor } from './finding-events.ts';
import type { ReconcileOutcome } from './reconcile.ts';

const ref = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });

function outcome(findings: Finding[], writes: ReconcileOutcome['writes'] = []): ReconcileOutcome {
  return { plan: { apply: [], delete: [], findings, mirrors: [] }, writes, findings, retry: false };
}

describe('eventsFor', () => {
  it('puts a blocked target on both the blocker and the source', () => {
    const f: Finding = {
      severity: 'warning',
      reason: 'TargetBlocked',
      message: 'team-a/db: not written',
      object: ref('team-a', 'db'),
      source: ref('platform', 'db'),
    };
    const events = eventsFor(SECRETS, 'platform/db', outcome([f]));
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.namespace, e.related?.namespace]),
      [
        ['TargetBlocked', 'team-a', 'platform'],
        ['TargetBlocked', 'platform', 'team-a'],
      ],
    );
  });

  it('reports source findings once, names the annotation, skips info, and reports failed writes only', () => {
    const findings: Finding[] = [
      {
        severity: 'error',
        reason: 'InvalidAnnotation',
        message: 'bad pattern',
        object: ref('platform', 'db'),
        annotation: 'kube-reflect.io/to',
      },
      { severity: 'info', reason: 'Paused', message: 'paused', object: ref('platform', 'db') },
    ];
    const writes: ReconcileOutcome['writes'] = [
      { action: 'apply', object: 'Secret/team-a/db', reason: 'create', outcome: 'failed', error: '403 Forbidden' },
      { action: 'apply', object: 'Secret/team-b/db', reason: 'create', outcome: 'conflict' },
    ];
    const events = eventsFor(SECRETS, 'platform/db', outcome(findings, writes));
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.name, e.note]),
      [
        ['InvalidAnnotation', 'db', 'bad pattern (annotation kube-reflect.io/to)'],
        ['WriteFailed', 'db', 'apply Secret/team-a/db failed: 403 Forbidden'],
      ],
    );
  });

  it('puts a pull denial on the pull mirror, not on a source it may not see', () => {
    const f: Finding = {
      severity: 'warning',
      reason: 'PullDenied',
      message: 'denied',
      object: ref('team-a', 'copy'),
      source: ref('platform', 'db'),
    };
    const events = eventsFor(SECRETS, 'platform/db', outcome([f]));
    // The source is this reconcile's key, so it also hears about it.
    assert.deepEqual(
      events.map((e) => e.regarding.namespace),
      ['team-a', 'platform'],
    );
  });
});
