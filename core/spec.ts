import type { ObjectRef } from './kube-object.ts';
import type { NamespacePattern, LabelSelector } from './patterns/index.ts';
import type { TransformRule } from './transform/rules.ts';

/** Which annotation dialect a spec was parsed from. */
export type Dialect = 'reflector' | 'native' | 'k8s-replicator' | 'mittwald' | 'kubed' | 'kubemirror';

/**
 * A set of namespaces: named by patterns or `all`, or by a label selector (ORed), minus exclusions.
 * `annotation` names the annotation it came from, for explanations.
 */
export interface NamespaceRule {
  all: boolean;
  patterns: readonly NamespacePattern[];
  selector?: LabelSelector;
  exclusions: readonly NamespacePattern[];
  annotation: string;
  selectorAnnotation?: string;
}

/** Which metadata keys mirrors copy: none, all, or an include list, always minus the exclusions. */
export interface KeyFilter {
  include: 'none' | 'all' | readonly string[];
  exclude: readonly string[];
}

/** What happens to pushed mirrors when their source is deleted. */
export type OnSourceDelete = 'delete' | 'orphan';

/** A source's transform: its parsed rules, whether a failing rule stops the mirror, and the annotation they came from. */
export interface TransformSpec {
  rules: readonly TransformRule[];
  strict: boolean;
  annotation: string;
}

/** The typed, validated reflection settings of one source object. */
export interface ReflectionSpec {
  source: ObjectRef;
  dialect: Dialect;
  /** Namespaces that may hold mirrors of this source (pull permission and push ceiling); undefined: none may pull. */
  allowed?: NamespaceRule;
  /** Namespaces that get pushed (automatic) mirrors; undefined: no pushing. */
  push?: NamespaceRule;
  /** Only namespaces labelled to accept mirrors are push targets. */
  optInOnly: boolean;
  /** The name pushed mirrors get. */
  mirrorName: string;
  /** More pushes under other names (k8s-replicator's `replicate-to` names), each with its own namespaces. */
  extraPushes?: readonly ExtraPush[];
  copyLabels: KeyFilter;
  copyAnnotations: KeyFilter;
  /** Copy once; with a version, copy again whenever it changes. */
  once?: { version: string };
  paused: boolean;
  maxTargets?: number;
  onSourceDelete: OnSourceDelete;
  /** Rules that change each mirror per target namespace; undefined: mirrors are exact copies. */
  transform?: TransformSpec;
}

/** One more set of pushed mirrors of a source, under its own name. */
export interface ExtraPush {
  push: NamespaceRule;
  mirrorName: string;
}

/** What a pull mirror asks for: the source it copies, and what to do when it loses it. */
export interface PullSpec {
  mirror: ObjectRef;
  dialect: Dialect;
  from: { namespace: string; name: string };
  /** The annotation that named the source. */
  annotation: string;
  onSourceLoss: 'keep' | 'clear';
  /** Copy once (asked by the pull mirror itself, as k8s-replicator's replicate-once on a target); the source's wins. */
  once?: { version: string };
}
