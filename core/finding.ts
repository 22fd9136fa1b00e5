import type { ObjectRef } from './kube-object.ts';

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
  | 'TransformFailed';

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
