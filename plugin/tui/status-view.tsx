// The live status screen, as a pure function of its props: sources, the selection, the filter and any open panel.
import { Box, Text } from 'ink';
import { keyOf } from '../../core/index.ts';
import { modeOf } from '../status-print.ts';
import type { SourceStatus } from '../status-report.ts';
import type { TableRow } from './screen.ts';
import { columnWidths, filterSources, HEADERS, keyHelp, SCREEN_NAME, sourceId, sourceRow, TONES } from './screen.ts';
import { Table } from './table.tsx';

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
      {/* Cut at the terminal's width, as the rows are: a wrapped line would push the table's last row off the screen. */}
      <Text wrap="truncate-end">
        <Text bold>{SCREEN_NAME}</Text> · {props.title} · {props.countPending ? '…' : props.sources.length} sources
        {/* Totals of a world still being read or planned would be partial: the progress line says how far instead. */}
        {props.loading && props.progress !== undefined ? '' : ` · ${totals.mirrors} mirrors, ${totals.sync} in sync`}
        {props.loading && props.progress === undefined ? ' · loading…' : ''}
      </Text>
      {props.loading && props.progress !== undefined && (
        <Text dimColor wrap="truncate-end">
          {props.progress}…
        </Text>
      )}
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
      <Text dimColor wrap="truncate-end">
        {keyHelp(props.filter, props.filtering)}
      </Text>
    </Box>
  );
}
