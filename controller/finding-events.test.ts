import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../core/index.ts';
import { SECRETS } from '../kube/resource-type.ts';
import { eventsFor } from './finding-events.ts';
import type { ReconcileOutcome } from './reconcile.ts';

const ref = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });

function outcome(findings: Finding[], writes: ReconcileOutcome['writes'] = []): ReconcileOutcome {
  return {
    plan: { apply: [], delete: [], release: [], findings, mirrors: [], sources: [] },
    writes,
    findings,
    retry: false,
  };
}

const blocked: Finding = {
  severity: 'warning',
  reason: 'TargetBlocked',
  message: 'kube-system/db: not written for source tenant/db: a Secret of type kubernetes.io/tls is there',
  object: ref('kube-system', 'db'),
  source: ref('tenant', 'db'),
};

// The planner reports a blocked target on the source itself, with the target in its detail.
const blockedOnSource: Finding = {
  severity: 'warning',
  reason: 'TargetBlocked',
  message: 'Secret tenant/db: not written to kube-system/db: an object that is not a mirror of this source is there',
  object: ref('tenant', 'db'),
  detail: { namespace: 'kube-system', mirror: ref('kube-system', 'db'), blockedBy: 'foreign-object' },
};

describe('eventsFor', () => {
  it('sums up a blocked target reported on the source itself, naming neither its namespace nor its object', () => {
    const events = eventsFor(SECRETS, 'tenant/db', outcome([blockedOnSource]));
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.namespace]),
      [['TargetsNotWritten', 'tenant']],
    );
    assert.doesNotMatch(events[0]!.note, /kube-system/);
  });

  it('writes nothing into a target namespace and tells the source only that targets were skipped', () => {
    const events = eventsFor(SECRETS, 'tenant/db', outcome([blocked]));
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.namespace, e.related]),
      [['TargetsNotWritten', 'tenant', undefined]],
    );
    // Nothing about where, what type, or which object: the tenant could not read kube-system.
    assert.doesNotMatch(events[0]!.note, /kube-system|tls|Secret/);
  });

  it('tells a blocker in the source namespace in full: its owner can read it anyway', () => {
    const here: Finding = { ...blocked, object: ref('tenant', 'db-copy'), message: 'tenant/db-copy: not written' };
    const events = eventsFor(SECRETS, 'tenant/db', outcome([here]));
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.namespace, e.related?.name, e.note]),
      [['TargetBlocked', 'tenant', 'db-copy', 'tenant/db-copy: not written']],
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
      { action: 'apply', object: 'Secret/team-a/db', reason: 'create', outcome: 'failed', error: 'denied by webhook' },
      { action: 'apply', object: 'Secret/platform/db-2', reason: 'create', outcome: 'failed', error: '403 Forbidden' },
      { action: 'apply', object: 'Secret/team-b/db', reason: 'create', outcome: 'conflict' },
    ];
    const events = eventsFor(SECRETS, 'platform/db', outcome(findings, writes));
    assert.deepEqual(
      events.map((e) => [e.reason, e.note]),
      [
        ['InvalidAnnotation', 'bad pattern (annotation kube-reflect.io/to)'],
        ['WriteFailed', 'apply Secret/platform/db-2 failed: 403 Forbidden'],
        ['WriteFailed', "1 write(s) of mirrors in other namespaces failed; the controller's log names them"],
      ],
    );
  });

  it('tells a pull mirror the same thing whether its source is missing or refuses, and nothing to the source', () => {
    const denied: Finding = {
      severity: 'warning',
      reason: 'PullDenied',
      message: 'team-a/copy: its source platform/db is of a kind or type that is never mirrored',
      object: ref('team-a', 'copy'),
      source: ref('platform', 'db'),
    };
    const missing: Finding = { ...denied, reason: 'SourceNotFound', message: 'its source does not exist' };
    const [a, b] = [denied, missing].map((f) => eventsFor(SECRETS, 'platform/db', outcome([f])));
    assert.deepEqual(a, b);
    assert.deepEqual(
      a!.map((e) => [e.reason, e.regarding.namespace, e.regarding.name]),
      [['PullDenied', 'team-a', 'copy']],
    );
  });
});
