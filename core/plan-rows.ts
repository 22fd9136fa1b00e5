// A plan made row by row for status views: each source's row as soon as it is decided, so the first rows of a large
// world come long before the last source is planned. Every row equals the one planReflection's summary gives.
import type { Finding } from './finding.ts';
import { compareFindings, printableFinding } from './finding.ts';
import type { KubeObject, ObjectRef } from './kube-object.ts';
import { identityOf, refOf } from './kube-object.ts';
import type { ParsedObject } from './parse-object.ts';
import { parseObject } from './parse-object.ts';
import { PlanContext, sourceRefIdentity } from './plan.ts';
import type { MirrorStatus, PlanOptions, SourceSummary, World } from './plan-types.ts';
import { compareRows, rowTable, summarizeRow } from './summary.ts';

/** One row of a plan's summary, with the mirror statuses and findings it counts, sorted as planReflection sorts. */
export interface PlanRow {
  summary: SourceSummary;
  mirrors: MirrorStatus[];
  findings: Finding[];
}

/** The rows a plan will have, known before any source is planned, and the rows themselves as they are decided. */
export interface PlannedRows {
  /**
   * Every row `rows` may yield, in order: the summary order of planReflection. A deleted source whose mirrors asked to
   * be kept is listed but yielded only if the pushed-mirror pass does report one of them (so views can size columns).
   */
  refs: readonly ObjectRef[];
  rows: Generator<PlanRow, void, undefined>;
}

/**
 * Reads the world and plans its pull mirrors, then yields the rows of planReflection(world, options).sources that
 * `wanted` picks, in the same order, each with its mirrors and findings, planning only as far as the next row needs: a
 * source's row once its own pass is done, the row of a deleted source whose mirrors asked to be kept (which every
 * source's pass may touch) only after all of them.
 */
export function planRows(
  world: World,
  options: PlanOptions = {},
  wanted: (ref: ObjectRef) => boolean = () => true,
): PlannedRows {
  const ctx = new PlanContext(world, options);
  for (const mirror of ctx.pullMirrors) ctx.planPullMirror(mirror);
  const { rows, row } = rowTable();
  // The rows summarizeSources makes, in its order of precedence: sources, objects with errors of their own, the
  // sources the pull pass reported mirrors of, and the deleted sources the pushed-mirror pass may report.
  for (const s of ctx.sources) row(s.ref, s);
  for (const f of ctx.findings)
    if (f.severity === 'error' && f.source === undefined && ctx.exists(identityOf(f.object))) row(f.object);
  for (const m of ctx.mirrors) row(m.source);
  const late = ctx.orphanOwners();
  // A deleted source is a row only if the pushed-mirror pass does report one of its mirrors as kept.
  const maybe = new Set([...late.keys()].filter((id) => !rows.has(id)));
  for (const ref of late.values()) row(ref);
  let mirrorsSeen = 0;
  let findingsSeen = 0;
  // Hands what the passes reported since the last call to the rows they count towards.
  const collect = () => {
    for (; mirrorsSeen < ctx.mirrors.length; mirrorsSeen++) {
      const m = ctx.mirrors[mirrorsSeen] as MirrorStatus;
      rows.get(identityOf(m.source))?.mirrors.push(m);
    }
    for (; findingsSeen < ctx.findings.length; findingsSeen++) {
      const f = ctx.findings[findingsSeen] as Finding;
      rows.get(identityOf(f.source ?? f.object))?.findings.push(f);
    }
  };
  collect();
  const planned = new Set<ParsedObject>();
  let finished = false;
  const finish = () => {
    for (const s of ctx.sources) if (!planned.has(s)) ctx.planSource(s);
    ctx.planAfterSources();
    collect();
    finished = true;
  };
  const order = [...rows.entries()].filter(([, r]) => wanted(r.ref)).sort(([, a], [, b]) => compareRows(a.ref, b.ref));
  return { refs: order.map(([, r]) => r.ref), rows: yieldRows() };

  function* yieldRows(): Generator<PlanRow, void, undefined> {
    for (const [id, r] of order) {
      if (late.has(id) && !finished) finish();
      if (!finished && r.parsed !== undefined && !planned.has(r.parsed)) {
        planned.add(r.parsed);
        ctx.planSource(r.parsed);
        collect();
      }
      if (maybe.has(id) && r.mirrors.length === 0) continue;
      const findings = dedupeFindings(r.findings.sort(compareFindings)).map(printableFinding);
      const mirrors = r.mirrors.sort((a, b) => cmp(identityOf(a.mirror), identityOf(b.mirror)));
      const exists = r.parsed !== undefined || ctx.exists(id);
      yield { summary: summarizeRow(r.ref, r.parsed, exists, { mirrors, findings }), mirrors, findings };
    }
  }
}

/**
 * The rows that any world holding these objects has, whatever else it holds, in summary order: the sources among them
 * and the objects with errors of their own. That an object is a row depends on it alone; its counts and health need the
 * whole world (planRows), so a view can list these while the rest is still being read.
 */
export function rowsOf(objects: Iterable<KubeObject>, options: PlanOptions = {}): ObjectRef[] {
  const isRow = rowTest(options);
  const out: ObjectRef[] = [];
  for (const obj of objects) {
    const ref = isRow(obj);
    if (ref !== undefined) out.push(ref);
  }
  return out.sort(compareRows);
}

/**
 * The rows rowsOf returns, in the same order, each object parsed only once the rows before it are taken: the first
 * screenful of a thousand sources costs a sort of their names and a screenful of parses.
 */
export function* rowsInOrder(objects: Iterable<KubeObject>, options: PlanOptions = {}): Generator<ObjectRef> {
  const isRow = rowTest(options);
  const sorted = [...objects].map((obj) => ({ obj, ref: refOf(obj) })).sort((a, b) => compareRows(a.ref, b.ref));
  for (const { obj } of sorted) {
    const ref = isRow(obj);
    if (ref !== undefined) yield ref;
  }
}

/** Returns the test rowsOf applies to each object: its reference when it is a row, else undefined. */
function rowTest(options: PlanOptions): (obj: KubeObject) => ObjectRef | undefined {
  const scope = options.sources === undefined ? undefined : new Set(options.sources.map(sourceRefIdentity));
  return (obj) => {
    if (scope !== undefined && !scope.has(identityOf(obj))) return undefined;
    const parsed = parseObject(obj, options);
    const isRow = parsed.isSource || parsed.findings.some((f) => f.severity === 'error' && f.source === undefined);
    return isRow ? parsed.ref : undefined;
  };
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = JSON.stringify(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
