// The live screen's first frame, written as plain text before Ink and React are loaded, which Ink then draws over.
// Loading Ink and drawing its first frame take 150-190 ms on their own: the rows read by then need neither.
import type { SourceStatus } from '../status-report.ts';
import { displayWidth } from '../table.ts';
import type { TableRow } from './screen.ts';
import { columnWidths, FIXED_LINES, HEADERS, headerLine, keyHelp, rowParts, SCREEN_NAME, sourceRow } from './screen.ts';

/** What the first frame shows: the state Ink's first frame starts from (nothing selected but the first row). */
export interface FirstFrame {
  title: string;
  /** The sources known so far, pending, in order (a screenful at most). */
  sources: readonly SourceStatus[];
  /** The progress line under the title ("reading 5,000/11,000 objects"). */
  progress: string;
  /** Lines the screen has for the live view (the terminal's rows less one, as Ink's frame is given). */
  height: number;
  /** The terminal's width: longer lines are cut, as Ink cuts them, so each is one line of the terminal. */
  columns: number;
  /** Whether to write colours and weights (the terminal has them, and NO_COLOR is not set). */
  colors: boolean;
}

const STYLES: Readonly<Record<string, readonly [string, string]>> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  inverse: ['\x1b[7m', '\x1b[27m'],
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  magenta: ['\x1b[35m', '\x1b[39m'],
  gray: ['\x1b[90m', '\x1b[39m'],
  white: ['\x1b[37m', '\x1b[39m'],
};

/** Returns the text cut to the width with an ellipsis at its end, as Ink's truncate-end does. */
export function truncateEnd(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  return `${[...text].slice(0, Math.max(0, columns - 1)).join('')}…`;
}

/** Returns the lines of the first frame, without a trailing newline; the same text StatusView renders from the state. */
export function firstFrameLines(frame: FirstFrame): string[] {
  const style = (text: string, ...names: (string | undefined)[]): string => {
    if (!frame.colors) return text;
    let styled = text;
    for (const name of names.reverse()) {
      const codes = name === undefined ? undefined : STYLES[name];
      if (codes !== undefined) styled = `${codes[0]}${styled}${codes[1]}`;
    }
    return styled;
  };
  const cut = (text: string) => truncateEnd(text, frame.columns);
  const title = `${SCREEN_NAME} · ${frame.title} · … sources`;
  const lines: string[] = [
    displayWidth(title) <= frame.columns
      ? `${style(SCREEN_NAME, 'bold')}${title.slice(SCREEN_NAME.length)}`
      : cut(title),
    style(cut(`${frame.progress}…`), 'dim'),
  ];
  if (frame.sources.length > 0) {
    const rows: TableRow[] = frame.sources.map((s, i) => sourceRow(s, i === 0));
    const widths = columnWidths(HEADERS, rows);
    lines.push(style(cut(headerLine(HEADERS, widths)), 'bold'));
    // The table's height as StatusApp gives it while the progress line shows.
    const height = Math.max(3, frame.height - FIXED_LINES - 1);
    for (const row of rows.slice(0, height)) {
      const { head, last } = rowParts(row, widths);
      const outer = [row.dim === true ? 'dim' : undefined, row.selected === true ? 'inverse' : undefined];
      lines.push(
        displayWidth(head + last) <= frame.columns
          ? style(`${head}${style(last, row.tone)}`, ...outer)
          : style(cut(head + last), ...outer),
      );
    }
  }
  lines.push(style(cut(keyHelp('', false)), 'dim'));
  return lines;
}

/** A stream the first frame is written to. */
export interface PaintStream {
  write(text: string): boolean;
}

/** A frame written to the terminal: how many of its lines it took, and the sources it showed. */
export interface PaintedFrame {
  lines: number;
  sources: SourceStatus[];
}

/** Writes the first frame, unless it is taller than the screen; returns what it wrote. */
export function paintFirstFrame(out: PaintStream, frame: FirstFrame): PaintedFrame {
  const lines = firstFrameLines(frame);
  // A frame taller than the screen scrolls its top off it, where no cursor movement can reach to erase it: Ink alone
  // draws on such a terminal.
  if (lines.length > frame.height) return { lines: 0, sources: [...frame.sources] };
  out.write(`${lines.join('\n')}\n`);
  return { lines: lines.length, sources: [...frame.sources] };
}

/**
 * Makes the stream's next write start by erasing the painted lines (back to their first, then to the end of the
 * screen), so Ink's first frame lands where the painted one was, in the same write: the screen never shows neither.
 */
export function drawOver(out: PaintStream, lines: number): void {
  if (lines <= 0) return;
  const write = out.write;
  const erase = `\r\x1b[${lines}A\x1b[J`;
  out.write = function (this: PaintStream, chunk: unknown, ...rest: unknown[]) {
    out.write = write;
    const call = (...args: unknown[]) => (write as (...a: unknown[]) => boolean).apply(this, args);
    if (typeof chunk === 'string') return call(erase + chunk, ...rest);
    call(erase);
    return call(chunk, ...rest);
  } as PaintStream['write'];
}
