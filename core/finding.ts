import type { ObjectRef } from './kube-object.ts';
import { printable } from './printable.ts';

/** How bad a finding is: an error stops the source, a warning skips one mirror, info explains. */
export type Severity = 'error' | 'warning' | 'info';

/** Why a finding was raised; stable codes that Events, KRM results and the plugin all show. */
export type FindingReason =
  | 'InvalidAnnotation'
  | 'UnknownAnnotation'
  | 'MixedDialects'
  | 'DeniedKind'
  | 'DeniedSecretType'
  | 'AccessKindNotAllowed'
  | 'PushSourceNotAllowed'
  | 'TooManyTargets'
  | 'TargetBlocked'
  | 'SourceNotFound'
  | 'PullDenied'
  | 'Paused'
  | 'Orphaned'
  | 'InvalidMirror'
  | 'UnsupportedAnnotation'
  | 'TransformFailed'
  | 'PullCycle'
  | 'InvalidName';

/** What stands at a target a source may not write. */
export type BlockedBy =
  /** An object that is no mirror of any source (or a pull mirror of another source). */
  | 'foreign-object'
  /** The mirror of another source that still exists and still wants it. */
  | 'owned-mirror'
  /** Nothing yet, and other sources want the same mirror too: none of them gets it until only one wants it. */
  | 'contested'
  /** The mirror of a deleted source, kept as that source asked (on-source-delete: orphan). */
  | 'orphan';

/** What each BlockedBy means, in the words findings and explanations use. */
export const BLOCKED_WORDS: Readonly<Record<BlockedBy, string>> = {
  'foreign-object': 'an object that is not a mirror of this source is there',
  'owned-mirror': 'it is the mirror of another source, which still wants it',
  contested: 'other sources want the same mirror; none gets it until only one wants it',
  orphan: 'it is the mirror of a deleted source that asked for its mirrors to be kept',
};

/**
 * Structured facts behind a finding, so no surface parses a message. `holder` names another tenant's source: show it
 * to administrators, never in an Event a tenant can read.
 */
export interface FindingDetail {
  /** The target (or pull mirror) namespace the finding concerns. */
  namespace?: string;
  /** The mirror (wanted or existing) the finding concerns. */
  mirror?: ObjectRef;
  /** What stands at a blocked target. */
  blockedBy?: BlockedBy;
  /** The source that holds a blocked target (owner of the mirror there, or the first other source contesting it). */
  holder?: ObjectRef;
  /** The members of a pull cycle, in pull order, starting with the finding's object. */
  cycle?: ObjectRef[];
  /** The metadata field at fault, for InvalidName ("metadata.name", "metadata.namespace"). */
  field?: string;
}

/** One observation of the planner about an object, naming the annotation when one is at fault. */
export interface Finding {
  severity: Severity;
  reason: FindingReason;
  message: string;
  /** The object the finding is about (the source, or the mirror or blocking object). */
  object: ObjectRef;
  /** The annotation at fault, when there is one. */
  annotation?: string;
  /** The source the finding concerns, when the object is a mirror or a blocker. */
  source?: ObjectRef;
  /** Structured facts for explanations and metrics; never parse the message. */
  detail?: FindingDetail;
}

/** Compares findings for a stable, readable order: by object, then reason, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.object.namespace, b.object.namespace) ||
    cmp(a.object.name, b.object.name) ||
    cmp(a.object.kind, b.object.kind) ||
    cmp(a.reason, b.reason) ||
    cmp(a.annotation ?? '', b.annotation ?? '') ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Returns the finding with its message printable (see printable): what every plan hands to the surfaces. */
export function printableFinding(f: Finding): Finding {
  const message = printable(f.message);
  return message === f.message ? f : { ...f, message };
}
