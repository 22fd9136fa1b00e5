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
  const lines = text.split('\n');
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  const itemsLine = findItemsKey(lines);
  if (itemsLine === undefined) return undefined;
  let indent = -1;
  const starts: number[] = [];
  let pending = -1; // first comment or blank line since the last content line
  let end = lines.length;
  for (let i = itemsLine + 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      if (pending < 0) pending = i;
      continue;
    }
    const col = line.length - trimmed.length;
    const isEntry = trimmed === '-' || trimmed.startsWith('- ');
    if (indent < 0) {
      if (!isEntry) return undefined; // `items:` followed by another key: no items, let the slow path say so
      indent = col;
    }
    if (col < indent || (col === indent && !isEntry)) {
      if (col === 0 && isMarker(trimmed) && onlyMarkersFrom(lines, i)) {
        end = pending < 0 ? i : pending;
        break;
      }
      if (col !== 0 || trimmed.startsWith('---') || trimmed.startsWith('...')) return undefined;
      end = pending < 0 ? i : pending;
      break;
    }
    if (col === indent) starts.push(pending < 0 ? i : pending);
    pending = -1;
  }
  if (starts.length === 0) return undefined;
  if (end === lines.length && pending >= 0) end = pending;
  const at = (line: number) => (line < lines.length ? offsets[line]! : text.length);
  const items = starts.map((start, k) => ({
    text: text.slice(at(start), at(k + 1 < starts.length ? starts[k + 1]! : end)),
    line: start + 1,
  }));
  let tail = text.slice(at(end));
  let trailer = '';
  const marker = /^(?:---|\.\.\.)/m.exec(tail);
  if (marker !== null) {
    // Only document markers, comments and blank lines may follow: a second document is not a ResourceList.
    if (!onlyMarkersFrom(tail.slice(marker.index).split('\n'), 0)) return undefined;
    trailer = tail.slice(marker.index);
    tail = tail.slice(0, marker.index);
  }
  return { head: text.slice(0, at(starts[0]!)), items, tail, indent, trailer };
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
  return /(?:^|[\s[{,])\*[^\s[\]{},]/m.test(text);
}

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
