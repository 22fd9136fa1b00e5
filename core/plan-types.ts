import type { DialectOptions } from './dialects/index.ts';
import type { Finding, Severity } from './finding.ts';
import type { KubeObject, NamespaceInfo, ObjectRef } from './kube-object.ts';
import type { TransformLimits } from './transform/rules.ts';

/** Everything the planner may look at: namespaces, and the objects of the kinds being mirrored. */
export interface World {
  namespaces: readonly NamespaceInfo[];
  objects: readonly KubeObject[];
  /**
   * Objects that take part only by existing (no annotation, no label of any dialect), by identity (identityOf): the
   * planner looks them up when a mirror or a source would stand at their identity and reads nothing else of them. A
   * big package's Deployments, say. One that is not such an object after all is planned as one of `objects`.
   */
  bystanders?: ReadonlyMap<string, KubeObject>;
}

/** Names one source (existing or deleted) of one kind: the unit the controller reconciles and `sync` names. */
export interface SourceRef {
  /** API group; "" for the core group. */
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Options of one planning run (with the peer dialects' allowAll and ignoreUnknown, off by default). */
export interface PlanOptions extends DialectOptions {
  /**
   * Plan only for these sources (their pushed mirrors, and the pull mirrors that name them); everything else is left
   * alone. A source of another kind with the same namespace/name is out of scope.
   */
  sources?: readonly SourceRef[];
  /**
   * Plan writes only in these namespaces; targets are still computed over every namespace (so caps hold), and the world
   * need only hold the objects of these namespaces besides the sources.
   */
  namespaces?: readonly string[];
  /** Treat mirrors made by emberstack Reflector as ours to adopt (default true). */
  adoptReflectorMirrors?: boolean;
  /** A cap on targets per source applied on top of each source's own max-targets. */
  maxTargets?: number;
  /**
   * Namespaces never written (the controller's --exclude-namespaces): they are not targets, pull mirrors there are not
   * filled, nothing there is deleted, and they count towards no cap.
   */
  excludeNamespaces?: readonly string[];
  /**
   * When set, only sources in these namespaces may push; a pushing source elsewhere gets a PushSourceNotAllowed error
   * and nothing is written or deleted for its pushed mirrors. Pulls are unaffected.
   */
  pushSourceNamespaces?: readonly string[];
  /**
   * Kinds that grant access (ACCESS_KINDS: RBAC Roles and RoleBindings, ServiceAccounts) are mirrored only from
   * sources in these namespaces, push or pull; unset or empty, they are never mirrored.
   */
  accessKindSourceNamespaces?: readonly string[];
  /** Limits on each source's transform rules (default: 50 rules, 10 KiB of rule text). */
  transformLimits?: TransformLimits;
}

/** The state of one mirror (or one wanted mirror) of a source. */
export type MirrorState = 'in-sync' | 'outdated' | 'drifted' | 'missing' | 'blocked' | 'denied' | 'orphaned' | 'paused';

/** One mirror's relation to its source, for status views and metrics. */
export interface MirrorStatus {
  source: ObjectRef;
  mirror: ObjectRef;
  mode: 'push' | 'pull';
  state: MirrorState;
  /** Set when the source has transform rules: the numbers of the rules applied and failed in this namespace. */
  transform?: { applied: number[]; failed: number[] };
}

/** Why an object is applied: created, updated after a source change, reverted after drift, adopted, filled, cleared. */
export type ApplyReason = 'create' | 'update' | 'drift' | 'adopt' | 'recreate' | 'fill' | 'clear';

/**
 * What a write expects to find, as the plan saw the world: nothing there (a create, or a recreate after its delete), or
 * the very object the plan read (its resourceVersion and uid; absent from objects that never came from a server, such
 * as a KRM package). The write path turns it into the request's precondition, so it needs no lookup and no guess.
 */
export type WritePrecondition = { absent: true } | { absent: false; resourceVersion?: string; uid?: string };

/** An object to write with server-side apply, and what it expects to find there. */
export interface PlannedApply {
  object: KubeObject;
  source: ObjectRef;
  reason: ApplyReason;
  expect: WritePrecondition;
}

/** Why an object is deleted. */
export type DeleteReason = 'source-deleted' | 'not-targeted' | 'source-disabled' | 'recreate';

/** An object to delete, with the uid it must still have (so a newer object of the same name is never deleted). */
export interface PlannedDelete {
  object: ObjectRef;
  uid?: string;
  source: ObjectRef;
  reason: DeleteReason;
}

/**
 * A finalizer a stopped peer left on a source (PEER_SOURCE_FINALIZERS), removed once every copy of the source is ours:
 * with a JSON patch that tests the finalizer is still at `index`, so a list changed meanwhile is never cut wrong.
 */
export interface PlannedRelease {
  object: ObjectRef;
  /** The uid the source had when planned: a same-named successor is not touched. */
  uid?: string;
  finalizer: string;
  /** Its position in metadata.finalizers when planned. */
  index: number;
}

/** The planner's output: deletes run before applies, releases last; every list is sorted. */
export interface Plan {
  apply: PlannedApply[];
  delete: PlannedDelete[];
  /** Peer finalizers to remove from sources (see PlannedRelease). */
  release: PlannedRelease[];
  findings: Finding[];
  mirrors: MirrorStatus[];
  /** One summary per source the plan is about (targeting, mirror name, mirror states, finding counts, health). */
  sources: SourceSummary[];
}

/**
 * One word for a source, the first that holds: SourceGone (mirrors of a deleted source), Error (an error finding),
 * Paused, Blocked (a mirror blocked or denied), OutOfSync (missing, drifted, outdated or orphaned), NoMirrors, InSync.
 */
export type SourceHealth = 'InSync' | 'OutOfSync' | 'Blocked' | 'Error' | 'Paused' | 'NoMirrors' | 'SourceGone';

/** One source of a plan (or a deleted source that still has mirrors, or an object whose annotations are at fault). */
export interface SourceSummary {
  source: ObjectRef;
  exists: boolean;
  /** The annotation that selects its push targets, or its allowed list for pull-only sources ("" when neither). */
  targeting: string;
  /** The name its pushed mirrors get. */
  mirrorName: string;
  /** How many of its mirrors (pushed and pull) are in each state. */
  counts: Record<MirrorState, number>;
  /** How many findings (about it, or about its mirrors and blockers) it has of each severity. */
  findingCounts: Record<Severity, number>;
  health: SourceHealth;
}
