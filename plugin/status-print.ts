// Printing a status report once, in kubectl's styles: a table (default and wide), a List in json or yaml, or names.
import type { MirrorStatus } from '../core/index.ts';
import { keyOf } from '../core/index.ts';
import type { OutputFormat } from './output.ts';
import { formatList } from './output.ts';
import { resourceName } from './source-ref.ts';
import type { SourceStatus, StatusReport } from './status-report.ts';
import { formatTable } from './table.ts';

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
  const { format } = options;
  if (format === 'json' || format === 'yaml') return formatList(report.sources.map(statusDocument), format);
  if (format === 'name') return report.sources.map((s) => `${nameOf(s)}\n`).join('');
  const wide = format === 'wide';
  const ns = options.allNamespaces ? ['NAMESPACE'] : [];
  const headers = [
    ...ns,
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
  if (wide) headers.push('MIRROR-NAME', 'SELECTED-BY', 'FINDINGS');
  const rows = report.sources.map((s) => {
    const c = s.counts;
    const row = [
      ...(options.allNamespaces ? [s.source.namespace] : []),
      nameOf(s),
      String(s.mirrors.length),
      ...[c['in-sync'], c.outdated, c.drifted, c.missing, c.blocked, c.denied, c.orphaned].map(String),
      s.health,
    ];
    if (wide) row.push(s.mirrorName, s.targeting || '<none>', String(s.findings.length));
    return row;
  });
  let out = formatTable(headers, rows, { noHeaders: options.noHeaders });
  if (options.mirrors) {
    const mHeaders = ['SOURCE', 'MIRROR', 'MODE', 'STATE', ...(wide ? ['WHY'] : [])];
    const mRows = report.sources.flatMap((s) =>
      s.mirrors.map((m) => {
        const r = [nameOf(s), keyOf(m.mirror), modeOf(m), m.state];
        if (wide) r.push(whyOf(s, m.mirror.namespace, m.mirror.name) || '-');
        return r;
      }),
    );
    if (mRows.length > 0) out += `\n${formatTable(mHeaders, mRows, { noHeaders: options.noHeaders })}`;
  }
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
  return resourceName({ kind: s.source.kind, apiVersion: s.source.apiVersion, name: s.source.name });
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
