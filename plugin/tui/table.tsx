// A small table for Ink (ink-table is broken with Ink 6): kubectl's look, UPPERCASE headers, no borders.
import { Box, Text } from 'ink';
import type { TableRow } from './screen.ts';
import { columnWidths, headerLine, rowParts } from './screen.ts';

/** Props of Table. */
export interface TableProps {
  headers: string[];
  rows: TableRow[];
  /** Column widths; computed from the cells when omitted, so callers can keep columns steady across windows. */
  widths?: number[];
}

/** Renders headers and rows with two spaces between columns (the screen is narrower than a pipe); the selected row is inverted. */
export function Table({ headers, rows, widths }: TableProps) {
  const w = widths ?? columnWidths(headers, rows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {headerLine(headers, w)}
      </Text>
      {rows.map((r) => {
        const { head, last } = rowParts(r, w);
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
