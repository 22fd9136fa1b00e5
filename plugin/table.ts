// kubectl's table style: UPPERCASE headers, no borders, columns padded with at least three spaces (kubectl's tabwriter).

/** Options of a printed table. */
export interface TableOptions {
  noHeaders?: boolean;
  /** Columns at least this wide (the widths of chunks printed before, so a table printed in chunks stays aligned). */
  minWidths?: readonly number[];
}

/** Returns the rows as kubectl prints them: each column as wide as its widest cell, then three spaces. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const all = options.noHeaders ? rows : [headers.map((h) => h.toUpperCase()), ...rows];
  if (all.length === 0) return '';
  const widths = columnWidths(headers, all, options.minWidths);
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell) + 3)))
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Returns the width of a string on a terminal, ignoring ANSI colour codes. */
export function displayWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/** Returns each column's width: its widest cell, and at least minWidths. */
export function columnWidths(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  minWidths: readonly number[] = [],
): number[] {
  return headers.map((_, i) => Math.max(minWidths[i] ?? 0, ...rows.map((r) => displayWidth(r[i] ?? ''))));
}
