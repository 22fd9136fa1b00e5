// The status of every source and its mirrors, made from one plan of the whole world; pure, so every view shares it.
import type {
  Finding,
  KubeObject,
  MirrorState,
  MirrorStatus,
  ObjectRef,
  Plan,
  PlanOptions,
  SourceRef,
  World,
} from '../core/index.ts';
import { identityOf, keyOf, parseObject, planReflection } from '../core/index.ts';
import type { LabelSelector } from '../core/patterns/index.ts';
import { isNamed } from './source-ref.ts';

/** Every mirror state, in the order views show them. */
export const MIRROR_STATES: readonly MirrorState[] = [
  'in-sync',
  'outdated',
  'drifted',
  'missing',
  'blocked',
  'denied',
  'orphaned',
  'paused',
];

/** One line of health per source: what a person should look at first. */
export type SourceHealth = 'InSync' | 'OutOfSync' | 'Blocked' | 'Error' | 'Paused' | 'NoMirrors' | 'SourceGone';

/** One source (or a source that is gone but still has mirrors) with its mirrors, counts and findings. */
export interface SourceStatus {
  source: ObjectRef;
  exists: boolean;
  /** The annotation that selects its push targets, or its allowed list for pull-only sources. */
  targeting: string;
  /** The name its pushed mirrors get. */
  mirrorName: string;
  mirrors: MirrorStatus[];
  counts: Record<MirrorState, number>;
  findings: Finding[];
  health: SourceHealth;
}

/** The whole picture: the sources in view, the plan they came from. */
export interface StatusReport {
  sources: SourceStatus[];
  plan: Plan;
}

/** Which sources to show. */
export interface StatusFilter {
  /** Sources in this namespace only; undefined for all namespaces. */
  namespace?: string;
  /** Sources in these namespaces only (the ones read, when cluster-wide reads were forbidden). */
  namespaces?: readonly string[];
  /** One source, by its typed reference. */
  source?: SourceRef;
  selector?: LabelSelector;
}

/** Plans the whole world once (with the controller's exclusions and policies) and groups the plan by source; sources are sorted by namespace, name and kind. */
export function buildStatusReport(world: World, filter: StatusFilter = {}, options: PlanOptions = {}): StatusReport {
  const plan = planReflection(world, options);
  const rows = new Map<string, SourceStatus>();
  const objects = new Map(world.objects.map((o) => [identityOf(o), o]));
  const wanted = (ref: ObjectRef, obj: KubeObject | undefined) =>
    (filter.namespace === undefined || ref.namespace === filter.namespace) &&
    (filter.namespaces === undefined || filter.namespaces.includes(ref.namespace)) &&
    (filter.source === undefined || isNamed(filter.source, ref)) &&
    (filter.selector === undefined || (obj !== undefined && filter.selector.matches(obj.metadata.labels ?? {})));
  const row = (ref: ObjectRef): SourceStatus | undefined => {
    const id = identityOf(ref);
    const existing = rows.get(id);
    if (existing !== undefined) return existing;
    const obj = objects.get(id);
    if (!wanted(ref, obj)) return undefined;
    const created = newRow(ref, obj, options);
    rows.set(id, created);
    return created;
  };
  for (const obj of world.objects) {
    if (obj.metadata.annotations === undefined) continue;
    // Only objects that could be a row in view are read again: with -n, thousands of mirrors elsewhere are not.
    if (filter.namespace !== undefined && obj.metadata.namespace !== filter.namespace) continue;
    const parsed = parseObject(obj, options);
    if (parsed.isSource) row(parsed.ref);
  }
  // Objects whose reflection annotations are broken are sources their owner meant to write: show them, as errors.
  for (const f of plan.findings) if (f.severity === 'error' && f.source === undefined) row(f.object);
  for (const m of plan.mirrors) {
    const r = row(m.source);
    if (r === undefined) continue;
    r.mirrors.push(m);
    r.counts[m.state]++;
  }
  for (const f of plan.findings) {
    const r = rows.get(identityOf(f.source ?? f.object));
    if (r !== undefined) r.findings.push(f);
  }
  const sources = [...rows.values()];
  for (const r of sources) r.health = healthOf(r);
  sources.sort(
    (a, b) =>
      cmp(a.source.namespace, b.source.namespace) ||
      cmp(a.source.name, b.source.name) ||
      cmp(a.source.kind, b.source.kind),
  );
  return { sources, plan };
}

function newRow(ref: ObjectRef, obj: KubeObject | undefined, options: PlanOptions): SourceStatus {
  const spec = obj === undefined ? undefined : parseObject(obj, options).spec;
  const counts = Object.fromEntries(MIRROR_STATES.map((s) => [s, 0])) as Record<MirrorState, number>;
  return {
    source: ref,
    exists: obj !== undefined,
    targeting: spec?.push?.annotation ?? spec?.allowed?.annotation ?? '',
    mirrorName: spec?.mirrorName ?? ref.name,
    mirrors: [],
    counts,
    findings: [],
    health: 'NoMirrors',
  };
}

function healthOf(r: SourceStatus): SourceHealth {
  if (!r.exists) return 'SourceGone';
  if (r.findings.some((f) => f.severity === 'error')) return 'Error';
  if (r.findings.some((f) => f.reason === 'Paused')) return 'Paused';
  if (r.counts.blocked + r.counts.denied > 0) return 'Blocked';
  if (r.counts.missing + r.counts.drifted + r.counts.outdated + r.counts.orphaned > 0) return 'OutOfSync';
  return r.mirrors.length === 0 ? 'NoMirrors' : 'InSync';
}

/** Returns "namespace/name" keys of the sources in a report, for planning only them. */
export function sourceKeys(report: StatusReport): string[] {
  return report.sources.filter((s) => s.exists).map((s) => keyOf(s.source));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
