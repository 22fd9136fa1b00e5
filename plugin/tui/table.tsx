// A small table for Ink (ink-table is broken with Ink 6): kubectl's look, UPPERCASE headers, no borders.
import { Box, Text } from 'ink';
import { displayWidth } from '../table.ts';

/** One row: its cells, and how to paint it. */
export interface TableRow {
  key: string;
  cells: string[];
  selected?: boolean;
  dim?: boolean;
  /** Colour of the last cell (a state or health). */
  tone?: string;
}

/** Props of Table. */
export interface TableProps {
  headers: string[];
  rows: TableRow[];
  /** Column widths; computed from the cells when omitted, so callers can keep columns steady across windows. */
  widths?: number[];
}

/** Returns the width of each column: its widest cell or header. */
export function columnWidths(headers: readonly string[], rows: readonly TableRow[]): number[] {
  return headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i] ?? ''))));
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Renders headers and rows with two spaces between columns (the screen is narrower than a pipe); the selected row is inverted. */
export function Table({ headers, rows, widths }: TableProps) {
  const w = widths ?? columnWidths(headers, rows);
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, (w[i] ?? 0) + 2))).join('');
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {line(headers)}
      </Text>
      {rows.map((r) => {
        const head = line(
          r.cells
            .slice(0, -1)
            .map((c, i) => pad(c, w[i] ?? 0))
            .concat(''),
        );
        const last = r.cells[r.cells.length - 1] ?? '';
        return (
          <Text key={r.key} inverse={r.selected === true} dimColor={r.dim === true} wrap="truncate-end">
            {head}
            <Text {...(r.tone ? { color: r.tone } : {})}>{last}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
