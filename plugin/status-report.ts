// The status of every source and its mirrors, row by row from the core's plan of the whole world; pure, so every view
// shares it.
import type {
  Finding,
  KubeObject,
  MirrorStatus,
  ObjectRef,
  PlanOptions,
  PlanRow,
  SourceRef,
  SourceSummary,
  World,
} from '../core/index.ts';
import { identityOf, keyOf, MIRROR_STATES, planRows, rowsInOrder } from '../core/index.ts';
import type { LabelSelector } from '../core/patterns/index.ts';
import { isNamed } from './source-ref.ts';

/** Every mirror state, in the order views show them (the core's list). */
export { MIRROR_STATES } from '../core/index.ts';
export type { SourceHealth } from '../core/index.ts';

/** One source of the plan's summary, with its mirrors and findings listed for the detail views. */
export interface SourceStatus extends SourceSummary {
  mirrors: MirrorStatus[];
  findings: Finding[];
  /** A source known to be a row, whose counts and health wait for the rest of the world (see pendingStatuses). */
  pending?: true;
}

/** The whole picture: the sources in view. */
export interface StatusReport {
  sources: SourceStatus[];
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

/** The sources a status will show, known before they are planned, and their statuses as the core decides them. */
export interface StatusRows {
  /** Every source that may be shown, in order (one whose kept mirrors turn out not to be reported is not). */
  refs: readonly ObjectRef[];
  rows: Generator<SourceStatus, void, undefined>;
}

/**
 * Returns the sources in view and yields the status of each, in the plan's order, as soon as the core has decided it
 * (planRows: the core decides targeting, mirror name, counts and health; the filter only picks which rows are in view).
 */
export function statusRows(world: World, filter: StatusFilter = {}, options: PlanOptions = {}): StatusRows {
  const planned = planRows(world, options, wantedBy(filter, world.objects));
  return { refs: planned.refs, rows: statuses(planned.rows) };
}

/**
 * The sources in view among some objects (the first ones read), each pending: that they are rows is final (rowsOf),
 * their counts and health are not known until the whole world is read and planned. Only the first `limit` of them, in
 * row order, when given (the objects after them are not parsed).
 */
export function pendingStatuses(
  objects: readonly KubeObject[],
  filter: StatusFilter = {},
  options: PlanOptions = {},
  limit = Infinity,
): SourceStatus[] {
  const wanted = wantedBy(filter, objects);
  const refs: ObjectRef[] = [];
  for (const ref of rowsInOrder(objects, options)) {
    if (refs.length >= limit) break;
    if (wanted(ref)) refs.push(ref);
  }
  return refs.map((ref) => ({
    source: ref,
    exists: true,
    targeting: '',
    mirrorName: ref.name,
    counts: Object.fromEntries(MIRROR_STATES.map((s) => [s, 0])) as SourceStatus['counts'],
    findingCounts: { error: 0, warning: 0, info: 0 },
    health: 'NoMirrors',
    mirrors: [],
    findings: [],
    pending: true,
  }));
}

/** Returns the filter as a test of a row's reference (a label selector reads the labels of these objects). */
function wantedBy(filter: StatusFilter, objects: readonly KubeObject[]): (ref: ObjectRef) => boolean {
  const labels =
    filter.selector === undefined ? undefined : new Map(objects.map((o) => [identityOf(o), o.metadata.labels ?? {}]));
  const selected = (ref: ObjectRef) => {
    const l = labels?.get(identityOf(ref));
    return filter.selector === undefined || (l !== undefined && filter.selector.matches(l));
  };
  return (ref: ObjectRef) =>
    (filter.namespace === undefined || ref.namespace === filter.namespace) &&
    (filter.namespaces === undefined || filter.namespaces.includes(ref.namespace)) &&
    (filter.source === undefined || isNamed(filter.source, ref)) &&
    selected(ref);
}

function* statuses(rows: Iterable<PlanRow>): Generator<SourceStatus, void, undefined> {
  for (const row of rows) yield { ...row.summary, mirrors: row.mirrors, findings: row.findings };
}

/** Plans the world (with the controller's exclusions and policies) and returns every source in view. */
export function buildStatusReport(world: World, filter: StatusFilter = {}, options: PlanOptions = {}): StatusReport {
  return { sources: [...statusRows(world, filter, options).rows] };
}

/** Returns "namespace/name" keys of the sources in a report, for planning only them. */
export function sourceKeys(report: StatusReport): string[] {
  return report.sources.filter((s) => s.exists).map((s) => keyOf(s.source));
}
