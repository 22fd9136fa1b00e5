/**
 * The fast path for big packages: a block-style ResourceList (what kpt and kustomize send) is split into the text of
 * each item without parsing it, so items reflect-fn does not change are written back byte for byte and only the items
 * it reads are parsed. Anything unusual returns undefined, and the caller parses the whole input instead.
 */

/** A ResourceList cut into the text around its items and the text of each item. */
export interface ResourceListText {
  /** Everything before the first item (ends after the `items:` line). */
  head: string;
  /** Each item's text: its leading comments, its `- ` line and its lines below. */
  items: ItemText[];
  /** Everything after the last item (the other top-level keys). */
  tail: string;
  /** The column of the items' `-`. */
  indent: number;
  /** Document markers (`---`, `...`) that end the text after the tail, as kpt and kustomize accept them. */
  trailer: string;
}

/** One item's text and the line of stdin it starts on (1-based), for error messages. */
export interface ItemText {
  text: string;
  line: number;
}

/** Splits a single-document, block-style ResourceList into head, item texts and tail; undefined when it is not one. */
export function splitResourceList(text: string): ResourceListText | undefined {
  const head = headLines(text);
  const itemsLine = findItemsKey(head.lines);
  if (itemsLine === undefined) return undefined;
  // Lines are visited by their offsets (a big package has millions; splitting them all cost more than the rest).
  // A line is known by its index (for messages) and its offset; `text.length` stands for the line after the last.
  let indent = -1;
  const starts: number[] = []; // line indexes
  const startAt: number[] = []; // and their offsets
  let pending = -1; // first comment or blank line since the last content line
  let pendingAt = -1;
  let end = -1;
  let endAt = text.length;
  let i = itemsLine + 1;
  for (let pos = head.offsets[i] ?? text.length + 1; pos <= text.length; i++) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const next = eol + 1;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    let c0 = pos;
    while (c0 < lineEnd && (text.charCodeAt(c0) === 32 || text.charCodeAt(c0) === 9)) c0++;
    const first = text.charCodeAt(c0);
    if (c0 < lineEnd && (first > 127 || (first >= 11 && first <= 13))) {
      // Other white space: the slow reading of this line (trimStart's notion of space).
      const line = text.slice(pos, lineEnd);
      c0 = pos + line.length - line.trimStart().length;
    }
    if (c0 === lineEnd || text.charCodeAt(c0) === 35) {
      if (pending < 0) {
        pending = i;
        pendingAt = pos;
      }
      pos = next;
      continue;
    }
    const col = c0 - pos;
    const isEntry = text.charCodeAt(c0) === 45 && (c0 + 1 === lineEnd || text.charCodeAt(c0 + 1) === 32);
    if (indent < 0) {
      if (!isEntry) return undefined; // `items:` followed by another key: no items, let the slow path say so
      indent = col;
    }
    if (col < indent || (col === indent && !isEntry)) {
      const trimmed = text.slice(c0, lineEnd);
      if (col === 0 && isMarker(trimmed) && onlyMarkersFrom(text.slice(pos).split('\n'), 0)) {
        [end, endAt] = pending < 0 ? [i, pos] : [pending, pendingAt];
        break;
      }
      if (col !== 0 || trimmed.startsWith('---') || trimmed.startsWith('...')) return undefined;
      [end, endAt] = pending < 0 ? [i, pos] : [pending, pendingAt];
      break;
    }
    if (col === indent) {
      starts.push(pending < 0 ? i : pending);
      startAt.push(pending < 0 ? pos : pendingAt);
    }
    pending = -1;
    pos = next;
  }
  if (starts.length === 0) return undefined;
  if (end < 0 && pending >= 0) endAt = pendingAt;
  const items = starts.map((start, k) => ({
    text: text.slice(startAt[k]!, k + 1 < starts.length ? startAt[k + 1]! : endAt),
    line: start + 1,
  }));
  let tail = text.slice(endAt);
  let trailer = '';
  const marker = /^(?:---|\.\.\.)/m.exec(tail);
  if (marker !== null) {
    // Only document markers, comments and blank lines may follow: a second document is not a ResourceList.
    if (!onlyMarkersFrom(tail.slice(marker.index).split('\n'), 0)) return undefined;
    trailer = tail.slice(marker.index);
    tail = tail.slice(0, marker.index);
  }
  return { head: text.slice(0, startAt[0]!), items, tail, indent, trailer };
}

/**
 * The lines findItemsKey reads: up to the first `items:` key at column 0 and the one after it, or up to a `---` after
 * content (a second document, where findItemsKey gives up), or all of them.
 */
function headLines(text: string): { lines: string[]; offsets: number[] } {
  const lines: string[] = [];
  const offsets: number[] = [];
  let found = false;
  let content = false;
  for (let pos = 0; pos <= text.length;) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    lines.push(line);
    offsets.push(pos);
    if (found || (content && line.startsWith('---'))) break;
    if (line.startsWith('items:')) found = true;
    if (!/^(?:$|\r$|[ #%]|---)/.test(line)) content = true;
    pos = eol + 1;
  }
  return { lines, offsets };
}

function isMarker(line: string): boolean {
  return /^(?:---|\.\.\.)(?:\s.*)?$/.test(line.replace(/\r$/, '')) && !/^---\s+[^\s#]/.test(line);
}

/** True when every line from `from` on is blank, a comment or a bare document marker. */
function onlyMarkersFrom(lines: readonly string[], from: number): boolean {
  for (let i = from; i < lines.length; i++) {
    const t = lines[i]!.replace(/\r$/, '').trim();
    if (t !== '' && !t.startsWith('#') && !isMarker(t)) return false;
  }
  return true;
}

/**
 * True when a text may hold a YAML alias (`*name`): then an item may name an anchor in another item, and the list
 * is read as one document. A `*` inside a quoted or block string only costs the slower read.
 */
export function mayHaveAlias(text: string): boolean {
  // As /(?:^|[\s[{,])\*[^\s[\]{},]/m, from one `*` to the next: the regular expression tried every character of a
  // big package.
  for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) {
    if (at > 0 && !ALIAS_BEFORE.test(text[at - 1]!)) continue;
    if (at + 1 < text.length && !NOT_ALIAS_NAME.test(text[at + 1]!)) return true;
  }
  return false;
}

const ALIAS_BEFORE = /[\s[{,]/;
const NOT_ALIAS_NAME = /[\s[\]{},]/;

/** The line of the top-level `items:` key with a block value; undefined for flow, inline or several documents. */
function findItemsKey(lines: readonly string[]): number | undefined {
  let seenContent = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(' ')) continue;
    if (line.startsWith('%')) continue;
    if (line.startsWith('---')) {
      if (seenContent) return undefined;
      if (line.trim() !== '---') return undefined;
      continue;
    }
    seenContent = true;
    if (/^items:\s*(#.*)?$/.test(line)) return i;
    if (line.startsWith('items:')) return undefined;
  }
  return undefined;
}

/** Removes a top-level key and its block from a piece of a document's text. */
export function withoutTopLevelKey(text: string, key: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const topLevel = line !== '' && !line.startsWith(' ') && !line.startsWith('#') && !line.startsWith('-');
    if (topLevel) skipping = line.startsWith(`${key}:`);
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}

/** Indents every non-empty line of a text by `n` spaces. */
export function indentLines(text: string, n: number): string {
  if (n === 0) return text;
  const pad = ' '.repeat(n);
  return text.replace(/^(?=[^\n])/gm, pad);
}
