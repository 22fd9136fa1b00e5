// Turns a reconcile's findings and failed writes into Kubernetes Events on the objects users look at.
import type { Finding, ObjectRef } from '../core/index.ts';
import type { EventInput } from '../kube/event-recorder.ts';
import { apiVersionOf } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { ReconcileOutcome } from './reconcile.ts';

/** Reason of the Event for a write the API server refused (RBAC, admission, validation). */
export const WRITE_FAILED = 'WriteFailed';

/**
 * Returns the Events for one reconcile: a Warning per error or warning finding on the object it is about (the source,
 * a pull mirror, or a blocking object), plus one on the source when the finding is about another object, so
 * `kubectl describe` on either shows it; and a Warning on the source per write that failed for good (not conflicts,
 * which are retried). Info findings (Paused) are not Events. Repeats are the recorder's business.
 */
export function eventsFor(type: ResourceType, sourceKey: string, outcome: ReconcileOutcome): EventInput[] {
  const [namespace = '', name = ''] = sourceKey.split('/');
  const source: ObjectRef = { apiVersion: apiVersionOf(type), kind: type.kind, namespace, name };
  const out: EventInput[] = [];
  for (const f of outcome.findings) {
    if (f.severity === 'info') continue;
    const base = { type: 'Warning' as const, reason: f.reason, action: 'Reconcile', note: noteOf(f) };
    out.push({ ...base, regarding: f.object, ...(f.source && !same(f.source, f.object) ? { related: f.source } : {}) });
    const owner = f.source ?? source;
    if (!same(f.object, owner) && same(owner, source)) out.push({ ...base, regarding: source, related: f.object });
  }
  for (const w of outcome.writes) {
    if (w.outcome !== 'failed') continue;
    out.push({
      type: 'Warning',
      reason: WRITE_FAILED,
      action: w.action === 'apply' ? 'Apply' : 'Delete',
      note: `${w.action} ${w.object} failed: ${w.error ?? 'unknown error'}`,
      regarding: source,
    });
  }
  return out;
}

function noteOf(f: Finding): string {
  return f.annotation ? `${f.message} (annotation ${f.annotation})` : f.message;
}

function same(a: ObjectRef, b: ObjectRef): boolean {
  return a.namespace === b.namespace && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion;
}
