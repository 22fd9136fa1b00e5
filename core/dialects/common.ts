import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { refOf } from '../kube-object.ts';
import { MAX_LIST_ENTRIES } from '../parse-rule.ts';
import type { NamespacePattern } from '../patterns/index.ts';
import { compileExact, compileRegex, splitReflectorList } from '../patterns/index.ts';
import type { NamespaceRule, PullSpec, ReflectionSpec } from '../spec.ts';
import { COPY_NONE } from '../key-filter.ts';

/** Options that change how peer dialects are read, mirroring the peers' own command-line flags. */
export interface DialectOptions {
  /** k8s-replicator's and mittwald's `--allow-all`: sources need no allow annotation to be pulled (default false). */
  allowAll?: boolean;
  /** k8s-replicator's `--ignore-unknown`: unknown keys under its prefix are not an error (default false). */
  ignoreUnknown?: boolean;
}

/** What a peer dialect read from one object: whether it is a source, its spec when valid, and its pull. */
export interface DialectRead {
  isSource: boolean;
  spec?: ReflectionSpec;
  pull?: PullSpec;
}

/** Splits a peer's comma list as Go's strings.Split does, trimming entries and dropping empty ones. */
export function splitList(value: string): string[] {
  return splitReflectorList(value);
}

/**
 * Compiles a peer's namespace entry: a plain name compares by equality, anything else is a regex that must match
 * the whole name (k8s-replicator wraps it in `^(?:…)$`, mittwald in `^…$`).
 */
export function compileStrictEntry(
  entry: string,
): { ok: true; pattern: NamespacePattern } | { ok: false; error: string } {
  if (/^[0-9a-z.-]+$/.test(entry)) return compileExact(entry);
  const body = entry.startsWith('^') ? entry.slice(1) : entry;
  const trimmed = body.endsWith('$') && !body.endsWith('\\$') ? body.slice(0, -1) : body;
  return compileRegex(trimmed);
}

/** Parses a comma list of strict entries into a rule; a bad entry is a finding on the annotation. */
export function strictListRule(reader: AnnotationReader, key: string, value: string): NamespaceRule | undefined {
  const entries = splitList(value);
  if (entries.length > MAX_LIST_ENTRIES) {
    reader.invalid(key, `it has ${entries.length} entries; the limit is ${MAX_LIST_ENTRIES}`);
    return undefined;
  }
  const patterns: NamespacePattern[] = [];
  for (const entry of entries) {
    const compiled = compileStrictEntry(entry);
    if (compiled.ok) patterns.push(compiled.pattern);
    else reader.invalid(key, `entry "${entry}": ${compiled.error}`);
  }
  return { all: false, patterns, exclusions: [], annotation: key };
}

/** A rule matching every namespace, named after the annotation that asked for it. */
export function allRule(annotation: string): NamespaceRule {
  return { all: true, patterns: [], exclusions: [], annotation };
}

/** The defaults every dialect's spec starts from: same-named mirrors, nothing copied but content, no pushing. */
export function baseSpec(
  reader: AnnotationReader,
  obj: KubeObject,
  dialect: ReflectionSpec['dialect'],
): ReflectionSpec {
  return {
    source: reader.ref,
    dialect,
    optInOnly: false,
    mirrorName: obj.metadata.name,
    copyLabels: COPY_NONE,
    copyAnnotations: COPY_NONE,
    paused: false,
    onSourceDelete: 'delete',
  };
}

/** Copy every label or annotation but the ones never copied (control keys of every dialect, GitOps, Helm). */
export const COPY_ALL = { include: 'all', exclude: [] } as const;

/** The spec of an object with no annotations that a pull may copy anyway: the peers' `--allow-all`. */
export function allowAllSpec(obj: KubeObject, dialect: 'k8s-replicator' | 'mittwald'): ReflectionSpec {
  return {
    source: refOf(obj),
    dialect,
    allowed: allRule('--allow-all'),
    optInOnly: false,
    mirrorName: obj.metadata.name,
    copyLabels: dialect === 'mittwald' ? COPY_ALL : COPY_NONE,
    copyAnnotations: COPY_NONE,
    paused: false,
    onSourceDelete: 'delete',
  };
}
