// kubectl's table style: UPPERCASE headers, no borders, columns padded with at least three spaces (kubectl's tabwriter).

/** Options of a printed table. */
export interface TableOptions {
  noHeaders?: boolean;
}

/** Returns the rows as kubectl prints them: each column as wide as its widest cell, then three spaces. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const all = options.noHeaders ? rows : [headers.map((h) => h.toUpperCase()), ...rows];
  if (all.length === 0) return '';
  const widths = headers.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
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
