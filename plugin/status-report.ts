// The status of every source and its mirrors, made from one plan of the whole world; pure, so every view shares it.
import type {
  Finding,
  MirrorStatus,
  ObjectRef,
  Plan,
  PlanOptions,
  SourceRef,
  SourceSummary,
  World,
} from '../core/index.ts';
import { identityOf, keyOf, planReflection } from '../core/index.ts';
import type { LabelSelector } from '../core/patterns/index.ts';
import { isNamed } from './source-ref.ts';

/** Every mirror state, in the order views show them (the core's list). */
export { MIRROR_STATES } from '../core/index.ts';
export type { SourceHealth } from '../core/index.ts';

/** One source of the plan's summary, with its mirrors and findings listed for the detail views. */
export interface SourceStatus extends SourceSummary {
  mirrors: MirrorStatus[];
  findings: Finding[];
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

/**
 * Plans the whole world once (with the controller's exclusions and policies) and shows the plan's per-source summary
 * (the core decides targeting, mirror name, counts and health); the filter only picks which summaries are in view.
 */
export function buildStatusReport(world: World, filter: StatusFilter = {}, options: PlanOptions = {}): StatusReport {
  const plan = planReflection(world, options);
  const labels =
    filter.selector === undefined
      ? undefined
      : new Map(world.objects.map((o) => [identityOf(o), o.metadata.labels ?? {}]));
  const selected = (ref: ObjectRef) => {
    const l = labels?.get(identityOf(ref));
    return filter.selector === undefined || (l !== undefined && filter.selector.matches(l));
  };
  const wanted = (ref: ObjectRef) =>
    (filter.namespace === undefined || ref.namespace === filter.namespace) &&
    (filter.namespaces === undefined || filter.namespaces.includes(ref.namespace)) &&
    (filter.source === undefined || isNamed(filter.source, ref)) &&
    selected(ref);
  const rows = new Map<string, SourceStatus>();
  for (const summary of plan.sources)
    if (wanted(summary.source)) rows.set(identityOf(summary.source), { ...summary, mirrors: [], findings: [] });
  for (const m of plan.mirrors) rows.get(identityOf(m.source))?.mirrors.push(m);
  for (const f of plan.findings) rows.get(identityOf(f.source ?? f.object))?.findings.push(f);
  return { sources: [...rows.values()], plan };
}

/** Returns "namespace/name" keys of the sources in a report, for planning only them. */
export function sourceKeys(report: StatusReport): string[] {
  return report.sources.filter((s) => s.exists).map((s) => keyOf(s.source));
}
