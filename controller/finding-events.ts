// Turns a reconcile's findings and failed writes into Kubernetes Events that tell a source's owner no more than it may know.
import type { Finding, ObjectRef } from '../core/index.ts';
import { splitIdentity } from '../core/index.ts';
import type { EventInput } from '../kube/event-recorder.ts';
import { apiVersionOf } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { parseObjectKey } from '../kube/store.ts';
import type { ReconcileOutcome } from './reconcile.ts';

/** Reason of the Event for a write the API server refused (RBAC, admission, validation). */
export const WRITE_FAILED = 'WriteFailed';

/** Reason of the Event telling a source that some targets were not written, without saying which (see below). */
export const TARGETS_NOT_WRITTEN = 'TargetsNotWritten';

/**
 * Returns the Events for one reconcile. An Event is only ever written into the namespace of the object it is about,
 * and only about objects whose owner made them: the source (for its own findings) and a pull mirror (for its own).
 * A finding about an object in another namespace (a blocker, a contested or orphaned mirror) never becomes an Event
 * there, and on the source it becomes one summary that names no namespace, object or type, so a tenant cannot use us
 * to learn what exists where it may not look (docs/security.md, "Events"); only a finding about an object in the
 * source's own namespace, which its owner can read anyway, is told in full. Pull mirrors hear one wording for "source
 * missing" and "source does not allow you", for the same reason. Info findings are not Events.
 */
export function eventsFor(type: ResourceType, sourceKey: string, outcome: ReconcileOutcome): EventInput[] {
  const { namespace, name } = parseObjectKey(sourceKey);
  const source: ObjectRef = { apiVersion: apiVersionOf(type), kind: type.kind, namespace, name };
  const out: EventInput[] = [];
  const hidden = new Set<string>();
  for (const f of outcome.findings) {
    if (f.severity === 'info') continue;
    const base = { type: 'Warning' as const, action: 'Reconcile' };
    // The namespace a finding speaks of: a blocked target is reported on the source, with the target in its detail.
    const about = f.detail?.namespace ?? f.object.namespace;
    if (same(f.object, source) && about === namespace) {
      out.push({ ...base, reason: f.reason, note: noteOf(f), regarding: source });
    } else if (f.reason === 'SourceNotFound' || f.reason === 'PullDenied') {
      // The pull mirror's owner named the source; whether it exists, and its kind or type, is not theirs to learn.
      const from = f.source ?? source;
      const note = `not filled from ${from.namespace}/${from.name}: it does not exist or does not allow namespace ${f.object.namespace}`;
      out.push({ ...base, reason: 'PullDenied', note, regarding: f.object });
    } else if (f.reason === 'InvalidMirror') {
      // Raised only on a pull mirror its source allows, so the owner may know the source: the whole finding.
      out.push({ ...base, reason: f.reason, note: noteOf(f), regarding: f.object });
    } else if (about === namespace) {
      out.push({
        ...base,
        reason: f.reason,
        note: noteOf(f),
        regarding: source,
        related: f.detail?.mirror ?? f.object,
      });
    } else {
      hidden.add(f.reason);
    }
  }
  if (hidden.size > 0) {
    out.push({
      type: 'Warning',
      reason: TARGETS_NOT_WRITTEN,
      action: 'Reconcile',
      note: `some targets were not written (${[...hidden].sort().join(', ')}); the controller's log and kubectl reflect explain, run with rights in the target namespaces, say where`,
      regarding: source,
    });
  }
  // A failed write into another namespace is told as a count: its error (admission, RBAC) may describe that namespace.
  const failed = outcome.writes.filter((w) => w.outcome === 'failed');
  const here = failed.filter((w) => splitIdentity(w.object).namespace === namespace);
  for (const w of here) {
    const note = `${w.action} ${w.object} failed: ${w.error ?? 'unknown error'}`;
    out.push({ type: 'Warning', reason: WRITE_FAILED, action: actionOf(w), note, regarding: source });
  }
  if (failed.length > here.length) {
    const note = `${failed.length - here.length} write(s) of mirrors in other namespaces failed; the controller's log names them`;
    out.push({ type: 'Warning', reason: WRITE_FAILED, action: actionOf(failed[0]!), note, regarding: source });
  }
  return out;
}

function actionOf(w: { action: 'apply' | 'delete' | 'release' }): string {
  return w.action === 'apply' ? 'Apply' : w.action === 'delete' ? 'Delete' : 'ReleaseFinalizer';
}

function noteOf(f: Finding): string {
  return f.annotation ? `${f.message} (annotation ${f.annotation})` : f.message;
}

function same(a: ObjectRef, b: ObjectRef): boolean {
  return a.namespace === b.namespace && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion;
}
