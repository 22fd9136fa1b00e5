// The plan's per-source summary: what each source targets, what its mirrors are called, how they stand, and one
// health word, so status views, metrics and explanations read it instead of re-deriving it from the plan.
import type { Finding } from './finding.ts';
import type { ObjectRef } from './kube-object.ts';
import { identityOf } from './kube-object.ts';
import type { ParsedObject } from './parse-object.ts';
import type { MirrorState, MirrorStatus, SourceHealth, SourceSummary } from './plan-types.ts';

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

/** What summarizing needs from a finished plan. */
export interface SummaryInput {
  /** The sources the plan was about, parsed. */
  sources: readonly ParsedObject[];
  /** Whether an object exists in the world the plan read, by identity. */
  exists(identity: string): boolean;
  mirrors: readonly MirrorStatus[];
  findings: readonly Finding[];
}

/** A summary row being gathered: an object (parsed when it is a source) and the mirrors and findings about it. */
export interface PendingRow {
  ref: ObjectRef;
  parsed?: ParsedObject;
  mirrors: MirrorStatus[];
  findings: Finding[];
}

/** Rows by object identity, and `row`, which returns an object's row and makes it on first mention. */
export function rowTable(): {
  rows: Map<string, PendingRow>;
  row(ref: ObjectRef, parsed?: ParsedObject): PendingRow;
} {
  const rows = new Map<string, PendingRow>();
  const row = (ref: ObjectRef, parsed?: ParsedObject): PendingRow => {
    const id = identityOf(ref);
    let r = rows.get(id);
    if (r === undefined) {
      r = { ref, ...(parsed === undefined ? {} : { parsed }), mirrors: [], findings: [] };
      rows.set(id, r);
    }
    return r;
  };
  return { rows, row };
}

/**
 * Summarizes a plan per source, sorted by namespace, name and kind: every source planned, every deleted source whose
 * mirrors the plan reports, and every object of the world with an error finding of its own (a source its owner meant to
 * write).
 */
export function summarizeSources(input: SummaryInput): SourceSummary[] {
  const { rows, row } = rowTable();
  for (const s of input.sources) row(s.ref, s);
  for (const f of input.findings)
    if (f.severity === 'error' && f.source === undefined && input.exists(identityOf(f.object))) row(f.object);
  for (const m of input.mirrors) row(m.source).mirrors.push(m);
  for (const f of input.findings) rows.get(identityOf(f.source ?? f.object))?.findings.push(f);
  return [...rows.values()]
    .map((r) => summarizeRow(r.ref, r.parsed, r.parsed !== undefined || input.exists(identityOf(r.ref)), r))
    .sort(compareSummaries);
}

/** Summarizes one row: a source (parsed when it is one) with the mirrors and findings about it. */
export function summarizeRow(
  ref: ObjectRef,
  parsed: ParsedObject | undefined,
  exists: boolean,
  about: { mirrors: readonly MirrorStatus[]; findings: readonly Finding[] },
): SourceSummary {
  const spec = parsed?.spec;
  const r: SourceSummary = {
    source: ref,
    exists,
    targeting: spec?.push?.annotation ?? spec?.allowed?.annotation ?? '',
    mirrorName: spec?.mirrorName ?? ref.name,
    counts: Object.fromEntries(MIRROR_STATES.map((s) => [s, 0])) as Record<MirrorState, number>,
    findingCounts: { error: 0, warning: 0, info: 0 },
    health: 'NoMirrors',
  };
  for (const m of about.mirrors) r.counts[m.state]++;
  let paused = false;
  for (const f of about.findings) {
    r.findingCounts[f.severity]++;
    if (f.reason === 'Paused') paused = true;
  }
  r.health = healthOf(r, paused);
  return r;
}

/** Orders summaries as views list them: by namespace, name, kind, then API group. */
export function compareSummaries(a: SourceSummary, b: SourceSummary): number {
  return compareRows(a.source, b.source);
}

/** Orders source references as summaries are ordered: by namespace, name, kind, then API group. */
export function compareRows(a: ObjectRef, b: ObjectRef): number {
  return (
    cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.kind, b.kind) || cmp(identityOf(a), identityOf(b))
  );
}

function healthOf(r: SourceSummary, paused: boolean): SourceHealth {
  const m = r.counts;
  if (!r.exists) return 'SourceGone';
  if (r.findingCounts.error > 0) return 'Error';
  if (paused) return 'Paused';
  if (m.blocked + m.denied > 0) return 'Blocked';
  if (m.missing + m.drifted + m.outdated + m.orphaned > 0) return 'OutOfSync';
  return MIRROR_STATES.every((s) => m[s] === 0) ? 'NoMirrors' : 'InSync';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
