// What the live status screen shows, as plain data and strings: Ink's components and the first paint share it.
import { keyOf } from '../../core/index.ts';
import { resourceName } from '../source-ref.ts';
import type { SourceHealth, SourceStatus } from '../status-report.ts';
import { displayWidth } from '../table.ts';

/** Colours of health and mirror states. */
export const TONES: Readonly<Record<string, string>> = {
  InSync: 'green',
  'in-sync': 'green',
  OutOfSync: 'yellow',
  outdated: 'yellow',
  drifted: 'yellow',
  missing: 'yellow',
  Blocked: 'red',
  blocked: 'red',
  denied: 'red',
  Error: 'red',
  SourceGone: 'magenta',
  orphaned: 'magenta',
  Paused: 'gray',
  paused: 'gray',
  NoMirrors: 'gray',
};

/** The table's column headers. */
export const HEADERS = ['', 'NAMESPACE', 'NAME', 'MIRRORS', 'IN-SYNC', 'DETAILS', 'STATUS'];

/** Lines of the screen kept from the table's rows: the title, the table's header, a message and the key help. */
export const FIXED_LINES = 4;

/** One table row: its cells, and how to paint it. */
export interface TableRow {
  key: string;
  cells: string[];
  selected?: boolean;
  dim?: boolean;
  /** Colour of the last cell (a state or health). */
  tone?: string;
}

/** The screen's name, first on its title line. */
export const SCREEN_NAME = 'kubectl reflect status';

/** Returns the key help, the screen's last line; while a filter is typed, how to end it. */
export function keyHelp(filter: string, filtering: boolean): string {
  return filtering
    ? `/${filter}▏  enter: done  esc: clear`
    : `↑/↓ j/k: move  enter: expand  /: filter${filter ? ` (${filter})` : ''}  s: sync  e: explain  q: quit`;
}

/** Returns the lines the live screen has on this terminal: its rows less one (24 when it does not say). */
export function screenHeight(out: { rows?: number }): number {
  return (out.rows ?? 24) - 1;
}

/** Returns the title of the live screen: the context and where it looks. */
export function screenTitle(contextName: string, namespace: string, allNamespaces: boolean): string {
  return `${contextName} · ${allNamespaces ? 'all namespaces' : `namespace ${namespace}`}`;
}

/** Returns the text of the progress line under the title: how many objects have been read so far. */
export function readingProgress(reading: { read: number; total?: number }): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `reading ${count(reading.read)}${reading.total === undefined ? '' : `/${count(reading.total)}`} objects`;
}

/** Returns the states other than in-sync with their counts: "1 missing, 1 blocked", or "-". */
export function detailsOf(s: SourceStatus): string {
  const parts = Object.entries(s.counts)
    .filter(([state, n]) => state !== 'in-sync' && n > 0)
    .map(([state, n]) => `${n} ${state}`);
  if (s.findings.some((f) => f.severity === 'error'))
    parts.push(`${s.findings.length} finding${s.findings.length === 1 ? '' : 's'}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/** Returns a source's identity key for selection and expansion. */
export function sourceId(s: SourceStatus): string {
  return `${s.source.kind}/${keyOf(s.source)}`;
}

/** Returns the sources whose namespace or name contains the filter text. */
export function filterSources(sources: readonly SourceStatus[], filter: string): SourceStatus[] {
  const f = filter.toLowerCase();
  return f === ''
    ? [...sources]
    : sources.filter((s) => `${s.source.namespace}/${s.source.kind.toLowerCase()}/${s.source.name}`.includes(f));
}

/** Returns a source's table row: its counts and health, or ellipses while it is pending. */
export function sourceRow(s: SourceStatus, selected: boolean): TableRow {
  const c = s.counts;
  const health: SourceHealth = s.health;
  const name = resourceName({ kind: s.source.kind, apiVersion: s.source.apiVersion, name: s.source.name });
  // A pending source is a row for sure; what it counts waits for the whole world.
  if (s.pending === true)
    return {
      key: sourceId(s),
      selected,
      dim: true,
      cells: [selected ? '›' : ' ', s.source.namespace, name, '…', '…', '', '…'],
    };
  return {
    key: sourceId(s),
    selected,
    cells: [
      selected ? '›' : ' ',
      s.source.namespace,
      name,
      String(s.mirrors.length),
      String(c['in-sync']),
      detailsOf(s),
      health,
    ],
    tone: TONES[health] ?? 'white',
  };
}

/** Returns the width of each column: its widest cell or header. */
export function columnWidths(headers: readonly string[], rows: readonly TableRow[]): number[] {
  return headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i] ?? ''))));
}

/** Returns the text padded with spaces to the width. */
export function padCell(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Returns the header line of the table: two spaces between columns (the screen is narrower than a pipe). */
export function headerLine(headers: readonly string[], widths: readonly number[]): string {
  return headers.map((c, i) => (i === headers.length - 1 ? c : padCell(c, (widths[i] ?? 0) + 2))).join('');
}

/** Returns a row's text before its last cell (padded), and its last cell, which alone takes the row's tone. */
export function rowParts(row: TableRow, widths: readonly number[]): { head: string; last: string } {
  const cells = row.cells
    .slice(0, -1)
    .map((c, i) => padCell(c, widths[i] ?? 0))
    .concat('');
  return {
    head: cells.map((c, i) => (i === cells.length - 1 ? c : padCell(c, (widths[i] ?? 0) + 2))).join(''),
    last: row.cells[row.cells.length - 1] ?? '',
  };
}
