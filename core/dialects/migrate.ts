import { canonicalJson } from '../content-hash.ts';
import type { KeyFilter } from '../spec.ts';
import type { KubeObject, ObjectRef } from '../kube-object.ts';
import { identityOf, keyOf, refOf } from '../kube-object.ts';
import { K8sReplicator, KubeMirror, Kubed, Mittwald, Native, Reflector } from '../names.ts';
import { parseObject } from '../parse-object.ts';
import { planReflection } from '../plan.ts';
import type { Plan, PlanOptions, World } from '../plan-types.ts';
import type { Dialect, NamespaceRule, ReflectionSpec } from '../spec.ts';
import { AnnotationReader } from '../annotation-reader.ts';
import type { PeerDialect } from './index.ts';
import { peerDialectsOf, REFLECTOR_USER_KEYS } from './index.ts';

/** The dialects `kubectl reflect migrate --from` moves to the native one. */
export type MigrateFrom = 'reflector' | PeerDialect;

/** Every dialect migrate reads, in the spelling of `--from`. */
export const MIGRATE_FROM: readonly MigrateFrom[] = ['reflector', 'kubemirror', 'k8s-replicator', 'mittwald', 'kubed'];

/** The metadata edits that move one object to the native dialect. */
export interface MetadataEdit {
  /** Annotations to set (native keys). */
  set: Record<string, string>;
  /** Annotation keys to remove (the old dialect's). */
  removeAnnotations: string[];
  /** Label keys to remove (KubeMirror's `enabled`). */
  removeLabels: string[];
}

/** What migrating one object gives: nothing to do, the edit and the object after it, or a refusal with the reason. */
export type MigrationResult =
  | { status: 'unchanged'; object: ObjectRef }
  | { status: 'migrated'; object: ObjectRef; dialect: MigrateFrom; edit: MetadataEdit; after: KubeObject }
  | { status: 'refused'; object: ObjectRef; dialect: MigrateFrom; reason: string };

/** Options of a migration: which dialect to move (default: all), and the plan options the controller runs with. */
export interface MigrateOptions extends PlanOptions {
  from?: MigrateFrom;
}

// Keys users set, per dialect; written provenance (versions, times) is left in place and stays tolerated.
const USER_KEYS: Record<MigrateFrom, readonly string[]> = {
  reflector: REFLECTOR_USER_KEYS,
  'k8s-replicator': [
    K8sReplicator.replicateFrom,
    K8sReplicator.replicateTo,
    K8sReplicator.replicateToNamespaces,
    K8sReplicator.replicateOnce,
    K8sReplicator.replicateOnceVersion,
    K8sReplicator.replicationAllowed,
    K8sReplicator.replicationAllowedNamespaces,
  ],
  mittwald: [
    Mittwald.replicateTo,
    Mittwald.replicateToMatching,
    Mittwald.replicateFrom,
    Mittwald.replicationAllowed,
    Mittwald.replicationAllowedNamespaces,
    Mittwald.stripLabels,
    Mittwald.keepOwnerReferences,
  ],
  kubed: [Kubed.sync, Kubed.syncContexts],
  kubemirror: [KubeMirror.sync, KubeMirror.targetNamespaces, KubeMirror.transform, KubeMirror.transformStrict],
};

/**
 * Moves one object's annotations to the native dialect, and proves the move changes nothing: the world is planned
 * before and after, and any difference in what would be written, deleted or reported as mirrors refuses the object.
 */
export function migrateObject(obj: KubeObject, world: World, options: MigrateOptions = {}): MigrationResult {
  const ref = refOf(obj);
  const dialect = dialectOf(obj);
  if (dialect === undefined || (options.from !== undefined && options.from !== dialect))
    return { status: 'unchanged', object: ref };
  const refuse = (reason: string): MigrationResult => ({ status: 'refused', object: ref, dialect, reason });
  const parsed = parseObject(obj, options);
  if (parsed.pushedBy !== undefined) return { status: 'unchanged', object: ref };
  const errors = parsed.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) return refuse(`fix its findings first: ${errors.map((f) => f.message).join('; ')}`);
  const set: Record<string, string> = {};
  if (parsed.spec !== undefined) {
    const why = translateSpec(parsed.spec, obj, set);
    if (why !== undefined) return refuse(why);
  }
  if (parsed.pull !== undefined) {
    if (parsed.pull.once !== undefined && parsed.spec?.once === undefined)
      return refuse('it copies once as a pull target; the native dialect sets once on the source only');
    set[Native.from] = `${parsed.pull.from.namespace}/${parsed.pull.from.name}`;
    if (parsed.pull.onSourceLoss === 'clear') set[Native.onSourceLoss] = 'clear';
  }
  const annotations = obj.metadata.annotations ?? {};
  const edit: MetadataEdit = {
    set,
    removeAnnotations: USER_KEYS[dialect].filter((k) => Object.prototype.hasOwnProperty.call(annotations, k)),
    removeLabels: obj.metadata.labels?.[KubeMirror.enabled] !== undefined ? [KubeMirror.enabled] : [],
  };
  const after = applyEdit(obj, edit);
  const afterParsed = parseObject(after, options);
  const afterErrors = afterParsed.findings.filter((f) => f.severity === 'error');
  if (afterErrors.length > 0) return refuse(`the native annotations would not be valid: ${afterErrors[0]!.message}`);
  const difference = planDifference(world, obj, after, options);
  if (difference !== undefined) return refuse(`the native dialect would plan differently: ${difference}`);
  return { status: 'migrated', object: ref, dialect, edit, after };
}

/** Returns the object with a metadata edit applied (a copy; the input is not changed). */
export function applyEdit(obj: KubeObject, edit: MetadataEdit): KubeObject {
  const out = structuredClone(obj);
  const annotations: Record<string, string> = { ...(out.metadata.annotations ?? {}) };
  for (const k of edit.removeAnnotations) delete annotations[k];
  Object.assign(annotations, edit.set);
  out.metadata.annotations = annotations;
  if (edit.removeLabels.length > 0) {
    const labels: Record<string, string> = { ...(out.metadata.labels ?? {}) };
    for (const k of edit.removeLabels) delete labels[k];
    out.metadata.labels = labels;
  }
  return out;
}

function dialectOf(obj: KubeObject): MigrateFrom | undefined {
  const peers = peerDialectsOf(new AnnotationReader(obj), obj);
  if (peers.length > 0) return peers[0];
  const annotations = obj.metadata.annotations ?? {};
  return USER_KEYS.reflector.some((k) => Object.prototype.hasOwnProperty.call(annotations, k))
    ? 'reflector'
    : undefined;
}

// Writes the native annotations of a spec into `set`; returns why the native dialect cannot say it, if it cannot.
function translateSpec(spec: ReflectionSpec, obj: KubeObject, set: Record<string, string>): string | undefined {
  if (spec.extraPushes !== undefined && spec.extraPushes.length > 0) {
    const names = [spec.mirrorName, ...spec.extraPushes.map((e) => e.mirrorName)].join(', ');
    return `it pushes copies under several names (${names}); a native source has one mirror-name`;
  }
  const uncapped: Dialect[] = ['k8s-replicator', 'mittwald'];
  const allowsAll =
    spec.allowed?.all === true || spec.allowed?.patterns.some((p) => p.kind === 'regex' && p.text === '.*');
  if (spec.push !== undefined && spec.allowed !== undefined && !allowsAll && uncapped.includes(spec.dialect))
    return `in ${spec.dialect} the allowed namespaces limit pulls only; a native allowed-namespaces also limits pushes`;
  if (spec.push !== undefined) {
    const why = writeRule(spec.push, Native.to, Native.toSelector, set);
    if (why !== undefined) return why;
  }
  if (spec.allowed !== undefined) {
    const why = writeRule(spec.allowed, Native.allowedNamespaces, Native.allowedNamespacesSelector, set);
    if (why !== undefined) return why;
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(obj.metadata.annotations ?? {}, k);
  // A Reflector source's native modifiers are already native; only what the dialect itself implied is written.
  if (spec.mirrorName !== obj.metadata.name && !has(Native.mirrorName)) set[Native.mirrorName] = spec.mirrorName;
  if (!has(Native.copyLabels) && filterText(spec.copyLabels) !== undefined)
    set[Native.copyLabels] = filterText(spec.copyLabels)!;
  if (!has(Native.copyAnnotations) && filterText(spec.copyAnnotations) !== undefined)
    set[Native.copyAnnotations] = filterText(spec.copyAnnotations)!;
  if (spec.transform !== undefined && spec.dialect === 'kubemirror') {
    set[Native.transform] = obj.metadata.annotations?.[KubeMirror.transform] ?? '';
    if (spec.transform.strict) set[Native.transformStrict] = 'true';
  }
  if (spec.once !== undefined && !has(Native.once) && !has(Native.onceVersion)) {
    set[Native.once] = 'true';
    if (spec.once.version !== '') set[Native.onceVersion] = spec.once.version;
  }
  return undefined;
}

function filterText(filter: KeyFilter): string | undefined {
  return filter.include === 'all' && filter.exclude.length === 0 ? 'all' : undefined;
}

// Native lists are anchored regexes, globs and names; Reflector's first-match rule differs only for alternations and
// lazy quantifiers, which are refused rather than guessed.
function writeRule(
  rule: NamespaceRule,
  listKey: string,
  selectorKey: string,
  set: Record<string, string>,
): string | undefined {
  const entries: string[] = [];
  if (rule.all) entries.push('all');
  for (const p of rule.patterns) {
    if (p.kind === 'exact') entries.push(p.text);
    else if (p.kind === 'glob') entries.push(p.text);
    else if (rule.annotation.startsWith('reflector.') && /\||[*+?}]\?/.test(p.text))
      return `the Reflector pattern "${p.text}" (in ${rule.annotation}) uses alternation or a lazy quantifier, where Reflector's first-match rule differs from a native regex; rewrite it by hand`;
    else entries.push(`regex:${p.text}`);
  }
  for (const p of rule.exclusions) entries.push(`!${p.text}`);
  if (entries.some((e) => e.includes(',') && !e.startsWith('regex:')))
    return `an entry of ${rule.annotation} contains a comma`;
  if (!rule.all && rule.patterns.length === 0 && rule.selector === undefined)
    return `${rule.annotation} names no namespace, which the native dialect cannot say`;
  if (entries.length > 0) set[listKey] = entries.join(',');
  if (rule.selector !== undefined) set[selectorKey] = rule.selector.text;
  return undefined;
}

// Compares what both plans would do: the objects written (as written), the objects deleted, and every mirror's state.
function planDifference(world: World, before: KubeObject, after: KubeObject, options: PlanOptions): string | undefined {
  const id = identityOf(before);
  const others = world.objects.filter((o) => identityOf(o) !== id);
  const a = summary(planReflection({ ...world, objects: [...others, before] }, options));
  const b = summary(planReflection({ ...world, objects: [...others, after] }, options));
  for (const key of ['apply', 'delete', 'mirrors'] as const) {
    if (a[key] !== b[key]) return `${key} differs for ${keyOf(before)} (${describeDiff(a[key], b[key])})`;
  }
  return undefined;
}

function summary(plan: Plan): { apply: string; delete: string; mirrors: string } {
  return {
    apply: canonicalJson(plan.apply.map((p) => withoutMarkers(p.object))),
    delete: canonicalJson(plan.delete.map((d) => [identityOf(d.object), d.uid ?? ''])),
    mirrors: canonicalJson(plan.mirrors.map((m) => [identityOf(m.source), identityOf(m.mirror), m.mode, m.state])),
  };
}

// Reflector-dialect pushes stamp Reflector's two mirror annotations too; they are markers, not what is mirrored.
function withoutMarkers(obj: KubeObject): KubeObject {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[Reflector.reflects];
  delete annotations[Reflector.autoReflects];
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

function describeDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `before …${a.slice(Math.max(0, i - 40), i + 60)}… after …${b.slice(Math.max(0, i - 40), i + 60)}…`;
}
