// The live status screen, as a pure function of its props: sources, the selection, the filter and any open panel.
import { Box, Text } from 'ink';
import { keyOf } from '../../core/index.ts';
import { resourceName } from '../source-ref.ts';
import { modeOf } from '../status-print.ts';
import type { SourceHealth, SourceStatus } from '../status-report.ts';
import type { TableRow } from './table.tsx';
import { columnWidths, Table } from './table.tsx';

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

/** Props of StatusView. */
export interface StatusViewProps {
  /** Where we look: "context dev, namespace platform" or "context dev, all namespaces". */
  title: string;
  sources: SourceStatus[];
  /** The sources are only the first of them (more are being read): the title shows no count. */
  countPending?: boolean;
  selected: number;
  expanded: ReadonlySet<string>;
  filter: string;
  filtering: boolean;
  /** Text of the explanation panel, when open. */
  explanation?: string;
  /** The last message (a sync result or an error). */
  message?: string;
  /** Rows the screen can show for the table. */
  height: number;
  loading?: boolean;
  /** What loading is doing, on a line of its own under the title (in place of "loading…"). */
  progress?: string;
  /** A problem reading the cluster. */
  problem?: string;
}

const HEADERS = ['', 'NAMESPACE', 'NAME', 'MIRRORS', 'IN-SYNC', 'DETAILS', 'STATUS'];

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

function sourceRow(s: SourceStatus, selected: boolean): TableRow {
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

/** Renders the header, the (windowed) table with expanded mirrors, any panel, and the key help. */
export function StatusView(props: StatusViewProps) {
  const visible = filterSources(props.sources, props.filter);
  const rows: TableRow[] = [];
  let selectedRow = 0;
  visible.forEach((s, i) => {
    if (i === props.selected) selectedRow = rows.length;
    rows.push(sourceRow(s, i === props.selected));
    if (props.expanded.has(sourceId(s))) {
      for (const m of s.mirrors) {
        rows.push({
          key: `${sourceId(s)}>${keyOf(m.mirror)}`,
          dim: false,
          cells: [' ', `  → ${m.mirror.namespace}`, m.mirror.name, modeOf(m), '', '', m.state],
          tone: TONES[m.state] ?? 'white',
        });
      }
      if (s.mirrors.length === 0)
        rows.push({ key: `${sourceId(s)}>none`, dim: true, cells: [' ', '  (no mirrors)', '', '', '', '', ''] });
    }
  });
  const height = Math.max(3, props.height);
  const start = Math.max(0, Math.min(selectedRow - Math.floor(height / 2), rows.length - height));
  const window = rows.slice(start, start + height);
  const totals = props.sources.reduce(
    (t, s) => ({ mirrors: t.mirrors + s.mirrors.length, sync: t.sync + s.counts['in-sync'] }),
    { mirrors: 0, sync: 0 },
  );
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>kubectl reflect status</Text> · {props.title} · {props.countPending ? '…' : props.sources.length}{' '}
        sources
        {/* Totals of a world still being read or planned would be partial: the progress line says how far instead. */}
        {props.loading && props.progress !== undefined ? '' : ` · ${totals.mirrors} mirrors, ${totals.sync} in sync`}
        {props.loading && props.progress === undefined ? ' · loading…' : ''}
      </Text>
      {props.loading && props.progress !== undefined && <Text dimColor>{props.progress}…</Text>}
      {visible.length === 0 ? (
        props.loading && props.progress !== undefined ? null : (
          <Text dimColor>
            {props.loading
              ? 'Reading the cluster…'
              : props.filter
                ? `No source matches "${props.filter}".`
                : 'No sources found.'}
          </Text>
        )
      ) : (
        <Table headers={HEADERS} rows={window} widths={columnWidths(HEADERS, rows)} />
      )}
      {props.explanation !== undefined && (
        <Box borderStyle="round" flexDirection="column" paddingX={1}>
          {props.explanation
            .trimEnd()
            .split('\n')
            .map((line, i) => (
              <Text key={i} wrap="truncate-end">
                {line === '' ? ' ' : line}
              </Text>
            ))}
        </Box>
      )}
      {props.message !== undefined && <Text color="cyan">{props.message}</Text>}
      {props.problem !== undefined && <Text color="red">{props.problem}</Text>}
      <Text dimColor>
        {props.filtering
          ? `/${props.filter}▏  enter: done  esc: clear`
          : `↑/↓ j/k: move  enter: expand  /: filter${props.filter ? ` (${props.filter})` : ''}  s: sync  e: explain  q: quit`}
      </Text>
    </Box>
  );
}
