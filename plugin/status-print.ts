// Printing status in kubectl's styles: a table (default and wide) or names as the rows come, a List in json or yaml.
import type { MirrorStatus, ObjectRef } from '../core/index.ts';
import { keyOf } from '../core/index.ts';
import type { OutputFormat } from './output.ts';
import { formatList } from './output.ts';
import { resourceName } from './source-ref.ts';
import type { SourceStatus, StatusReport } from './status-report.ts';
import { columnWidths, formatTable } from './table.ts';

/** How to print a report. */
export interface StatusPrintOptions {
  format: OutputFormat;
  /** Show the NAMESPACE column (with -A, as kubectl does). */
  allNamespaces: boolean;
  noHeaders: boolean;
  /** Also list each mirror (when one source is named). */
  mirrors: boolean;
}

/** Returns the report as text for stdout. */
export function formatStatus(report: StatusReport, options: StatusPrintOptions): string {
  let out = '';
  printStatus(report.sources, options, (text) => (out += text), { chunk: Infinity });
  return out;
}

/** Rows per chunk of a table printed while planning goes on (kubectl prints its chunks of 500 the same way). */
export const STATUS_CHUNK = 50;

/** How printStatus cuts a table into chunks and sizes its columns. */
export interface ChunkOptions {
  /** Rows per chunk (default STATUS_CHUNK). */
  chunk?: number;
  /** The sources that may come, known before they are planned: the NAMESPACE and NAME columns are sized for all. */
  refs?: readonly ObjectRef[];
}

/**
 * Writes the rows in the chosen style as they come, in chunks of rows for a table or names, so the first rows are out
 * while later ones are still being planned. A table's name columns are sized for every source to come and its other
 * columns only ever widen, so its chunks stay aligned. json, yaml and a named source's mirror table are written once,
 * whole. Returns how many rows there were.
 */
export function printStatus(
  rows: Iterable<SourceStatus>,
  options: StatusPrintOptions,
  write: (text: string) => void,
  chunking: ChunkOptions = {},
): number {
  const chunk = chunking.chunk ?? STATUS_CHUNK;
  const { format } = options;
  if (format === 'json' || format === 'yaml' || (options.mirrors && format !== 'name')) {
    const all = [...rows];
    write(
      format === 'json' || format === 'yaml' ? formatList(all.map(statusDocument), format) : formatTables(all, options),
    );
    return all.length;
  }
  const headers = tableHeaders(options);
  let widths = columnWidths(
    headers,
    (chunking.refs ?? []).map((ref) => [...(options.allNamespaces ? [ref.namespace] : []), refName(ref)]),
  );
  let pending: SourceStatus[] = [];
  let count = 0;
  const flush = () => {
    if (format === 'name') write(pending.map((s) => `${nameOf(s)}\n`).join(''));
    else {
      const cells = pending.map((s) => tableRow(s, options));
      const noHeaders = options.noHeaders || count > pending.length;
      widths = columnWidths(headers, noHeaders ? cells : [headers, ...cells], widths);
      write(formatTable(headers, cells, { noHeaders, minWidths: widths }));
    }
    pending = [];
  };
  for (const s of rows) {
    pending.push(s);
    count++;
    if (pending.length >= chunk) flush();
  }
  if (pending.length > 0) flush();
  if (count === 0 && format !== 'name') write(formatTable(headers, [], { noHeaders: options.noHeaders }));
  return count;
}

function tableHeaders(options: StatusPrintOptions): string[] {
  const headers = [
    ...(options.allNamespaces ? ['NAMESPACE'] : []),
    'NAME',
    'MIRRORS',
    'IN-SYNC',
    'OUTDATED',
    'DRIFTED',
    'MISSING',
    'BLOCKED',
    'DENIED',
    'ORPHANED',
    'STATUS',
  ];
  if (options.format === 'wide') headers.push('MIRROR-NAME', 'SELECTED-BY', 'FINDINGS');
  return headers;
}

function tableRow(s: SourceStatus, options: StatusPrintOptions): string[] {
  const c = s.counts;
  const row = [
    ...(options.allNamespaces ? [s.source.namespace] : []),
    nameOf(s),
    String(s.mirrors.length),
    ...[c['in-sync'], c.outdated, c.drifted, c.missing, c.blocked, c.denied, c.orphaned].map(String),
    s.health,
  ];
  if (options.format === 'wide') row.push(s.mirrorName, s.targeting || '<none>', String(s.findings.length));
  return row;
}

/** The sources' table and, below it, their mirrors' (when one source is named). */
function formatTables(sources: readonly SourceStatus[], options: StatusPrintOptions): string {
  const wide = options.format === 'wide';
  let out = formatTable(
    tableHeaders(options),
    sources.map((s) => tableRow(s, options)),
    { noHeaders: options.noHeaders },
  );
  const mHeaders = ['SOURCE', 'MIRROR', 'MODE', 'STATE', ...(wide ? ['WHY'] : [])];
  const mRows = sources.flatMap((s) =>
    s.mirrors.map((m) => {
      const r = [nameOf(s), keyOf(m.mirror), modeOf(m), m.state];
      if (wide) r.push(whyOf(s, m.mirror.namespace, m.mirror.name) || '-');
      return r;
    }),
  );
  if (mRows.length > 0) out += `\n${formatTable(mHeaders, mRows, { noHeaders: options.noHeaders })}`;
  return out;
}

/** Returns the message of the first finding about one mirror of a source, if any. */
export function whyOf(s: SourceStatus, namespace: string, name: string): string | undefined {
  const about = (r: { namespace: string; name: string } | undefined) => r?.namespace === namespace && r.name === name;
  return s.findings.find((f) => about(f.object) || about(f.detail?.mirror))?.message;
}

/** The mode of a mirror as views show it: "push" or "pull", marked "+transform" when rules changed it. */
export function modeOf(m: MirrorStatus): string {
  return m.transform === undefined ? m.mode : `${m.mode}+transform`;
}

function nameOf(s: SourceStatus): string {
  return refName(s.source);
}

function refName(ref: ObjectRef): string {
  return resourceName({ kind: ref.kind, apiVersion: ref.apiVersion, name: ref.name });
}

/** Returns one source's status as a Kubernetes-style document, for json and yaml output. */
export function statusDocument(s: SourceStatus): Record<string, unknown> {
  return {
    apiVersion: 'kube-reflect.io/v1alpha1',
    kind: 'ReflectionStatus',
    metadata: { name: s.source.name, namespace: s.source.namespace },
    source: { apiVersion: s.source.apiVersion, kind: s.source.kind, exists: s.exists },
    status: {
      health: s.health,
      selectedBy: s.targeting,
      mirrorName: s.mirrorName,
      counts: s.counts,
      mirrors: s.mirrors.map((m) => ({
        namespace: m.mirror.namespace,
        name: m.mirror.name,
        mode: m.mode,
        state: m.state,
        ...(m.transform === undefined ? {} : { transform: m.transform }),
      })),
      findings: s.findings.map((f) => ({
        severity: f.severity,
        reason: f.reason,
        message: f.message,
        ...(f.annotation === undefined ? {} : { annotation: f.annotation }),
      })),
    },
  };
}
