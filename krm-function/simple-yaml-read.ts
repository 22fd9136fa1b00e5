/**
 * Block YAML read without the `yaml` package, for the items that take part in planning (sources, pull mirrors,
 * Namespaces, and every mirror of the function's own output): the package's cold lexer and composer cost a small
 * package's run more than planning it, and a big fan-out's steady state ran out of memory in it. Only a restricted
 * form is read here: printable ASCII, maps of plain keys, with plain words, single- or double-quoted words without
 * escapes and literal blocks (`|`, `|-`) as values. Anything else (anchors, aliases, tags, flow collections, lists,
 * comments after the first content line, duplicate keys, merge keys, multi-line plain or quoted scalars, folded or
 * kept blocks, tabs, carriage returns, trailing spaces) makes the reader decline, and the caller asks the package.
 * Plain scalars are resolved by the package's own tags of YAML_OPTIONS, so `yes`, `0777` and `01:30` read as they do
 * there; the differential test holds every value read here equal to the package's reading.
 */
import type { ScalarTag } from 'yaml';
import { Document, isScalar } from 'yaml';
import { YAML_OPTIONS } from './yaml-options.ts';

const MERGE_TAG = 'tag:yaml.org,2002:merge';
const tags = new Document(null, YAML_OPTIONS).schema.tags as (ScalarTag & { default?: boolean | 'key' })[];

// The only characters read: printable ASCII and line feeds (no tabs, carriage returns, BOMs or other line breaks).
const SAFE_TEXT = /^[\x20-\x7e\n]*$/;
// Leading lines of an item or document: blank, or comments.
const LEAD_LINE = /^ *(?:#.*)?$/;
// Keys: words of names, paths and DNS names; nothing an indicator, a quote or white space could change.
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
// Plain values: a safe first character (`-` only before a word character or a dot), no ` #` comment, no `: ` pair,
// no `:` or space at the end.
// (The text's characters are printable ASCII already: only the first one and these pairs are looked at.)
const PLAIN_START = /^(?:[A-Za-z0-9_./+=$^(<\\~]|-[A-Za-z0-9.])/;
const QUOTED_DOUBLE = /^"[\x20\x21\x23-\x5b\x5d-\x7e]*"$/;
const QUOTED_SINGLE = /^'[\x20-\x26\x28-\x7e]*'$/;
const MAYBE_TYPED_WORD = /^[NnYyTtFfOo]/;
const MAX_KEY = 256;
const MAX_DEPTH = 64;

/** Thrown inside the reader when it declines; never leaves this module. */
class Decline extends Error {}
const DECLINE = new Decline();

/**
 * The value of a ResourceList item's text (leading comments, a `- ` entry at any column and the lines below it), as
 * the `yaml` package reads its only entry with YAML_OPTIONS; undefined when the text is not in the simple form.
 */
export function simpleEntryValue(text: string): Record<string, unknown> | undefined {
  if (!SAFE_TEXT.test(text)) return undefined;
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && LEAD_LINE.test(lines[i]!)) i++;
  const first = lines[i];
  if (first === undefined) return undefined;
  const dash = first.indexOf('- ');
  if (dash < 0 || !isSpaces(first, 0, dash)) return undefined;
  const col = indentOf(first, dash + 2);
  return read(lines, i, col);
}

/**
 * The value of one document of a YAML stream (leading comments, an optional bare `---` line, a map at column 0), as
 * the `yaml` package reads it with YAML_OPTIONS; undefined when the text is not in the simple form.
 */
export function simpleDocumentValue(text: string): Record<string, unknown> | undefined {
  if (!SAFE_TEXT.test(text)) return undefined;
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && LEAD_LINE.test(lines[i]!)) i++;
  if (lines[i] === '---') {
    i++;
    while (i < lines.length && LEAD_LINE.test(lines[i]!)) i++;
  }
  if (lines[i] === undefined || lines[i]!.charCodeAt(0) === 32) return undefined;
  return read(lines, i, 0);
}

function read(lines: string[], at: number, col: number): Record<string, unknown> | undefined {
  const reader = new Reader(lines, at);
  try {
    const value = reader.map(col, 0);
    // Everything after the map must be blank: a line left of it is not ours to read.
    return reader.next() === -1 ? value : undefined;
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
}

class Reader {
  constructor(
    private readonly lines: string[],
    /** The line being read. */
    private at: number,
  ) {}

  /** The column of the next line with content from `at` on (skipping empty lines), -1 at the end; declines on comments. */
  next(): number {
    const { lines } = this;
    while (this.at < lines.length && lines[this.at] === '') this.at++;
    if (this.at === lines.length) return -1;
    const line = lines[this.at]!;
    const s = indentOf(line, 0);
    if (s === line.length || line.charCodeAt(s) === 35 /* # */) throw DECLINE;
    return s;
  }

  /** A map whose keys are at column `col`; the first key's line is `at` (its text may start after a `- `). */
  map(col: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw DECLINE;
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      if (!first) {
        const s = this.next();
        if (s < col) return out;
        if (s > col) throw DECLINE;
      }
      first = false;
      const line = this.lines[this.at]!;
      const colon = keyEnd(line, col);
      const key = keyOf(line.slice(col, colon));
      if (key === '__proto__' || Object.hasOwn(out, key)) throw DECLINE;
      if (line.endsWith(' ')) throw DECLINE;
      this.at++;
      if (colon + 1 === line.length) {
        const s = this.next();
        out[key] = s > col ? this.map(s, depth + 1) : null;
        continue;
      }
      // keyEnd found `: `; a second space would start the value later than we read it.
      const v = line.slice(colon + 2);
      const c = v.charCodeAt(0);
      if (c === 124 /* | */) out[key] = this.literal(v, col);
      else if (c === 34 /* " */) out[key] = quoted(v, QUOTED_DOUBLE);
      else if (c === 39 /* ' */) out[key] = quoted(v, QUOTED_SINGLE);
      else if (isPlainValue(v)) out[key] = plain(v, false);
      else throw DECLINE;
    }
  }

  /** A literal block (`|` or `|-`, no indentation indicator) whose lines follow; the map's keys are at `col`. */
  private literal(header: string, col: number): string {
    if (header !== '|' && header !== '|-') throw DECLINE;
    const { lines } = this;
    const firstLine = lines[this.at];
    if (firstLine === undefined || firstLine === '') throw DECLINE;
    const n = indentOf(firstLine, 0);
    if (n <= col || n === firstLine.length) throw DECLINE;
    const body: string[] = [];
    let kept = 0; // lines up to the last one with content
    for (; this.at < lines.length; this.at++) {
      const line = lines[this.at]!;
      if (line === '') {
        body.push('');
        continue;
      }
      const s = indentOf(line, 0);
      if (s === line.length) throw DECLINE; // a line of spaces only: its spaces may or may not be content
      if (s < n) break;
      body.push(line.slice(n));
      kept = body.length;
    }
    body.length = kept; // trailing empty lines are clipped (or stripped) with the last line break
    const text = body.join('\n');
    return header === '|' ? `${text}\n` : text;
  }
}

/** The offset of the `:` that ends a map key starting at `col` (followed by a space or the end of the line). */
function keyEnd(line: string, col: number): number {
  const c = line.charCodeAt(col);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const close = line.indexOf(line[col]!, col + 1);
    if (close < 0 || line.charCodeAt(close + 1) !== 58 /* : */) throw DECLINE;
    if (close + 2 < line.length && line.charCodeAt(close + 2) !== 32) throw DECLINE;
    return close + 1;
  }
  for (let at = line.indexOf(':', col); at >= 0; at = line.indexOf(':', at + 1)) {
    if (at + 1 === line.length || line.charCodeAt(at + 1) === 32) return at;
  }
  throw DECLINE;
}

function isPlainValue(v: string): boolean {
  return PLAIN_START.test(v) && !v.includes(' #') && !v.includes(': ') && !v.endsWith(':');
}

// Keys read so far and their strings: a package's items use a few hundred keys over and over.
const keys = new Map<string, string>();

/** A key's string, as ValueReader makes it from the key's scalar. */
function keyOf(text: string): string {
  const known = keys.get(text);
  if (known !== undefined) return known;
  const key = readKey(text);
  if (keys.size >= 10_000) keys.clear();
  keys.set(text, key);
  return key;
}

function readKey(text: string): string {
  if (text.length > MAX_KEY) throw DECLINE;
  const c = text.charCodeAt(0);
  if (c === 34 /* " */) return quoted(text, QUOTED_DOUBLE);
  if (c === 39 /* ' */) return quoted(text, QUOTED_SINGLE);
  if (!PLAIN_KEY.test(text)) throw DECLINE;
  const value = plain(text, true);
  return value === null ? '' : String(value);
}

function quoted(text: string, form: RegExp): string {
  if (!form.test(text)) throw DECLINE;
  return text.slice(1, -1);
}

/** A plain scalar's value: the first of the schema's tags whose test matches it decides, as in the package. */
function plain(text: string, atKey: boolean): unknown {
  // No tag but the string's matches a word that starts with a letter, unless it may spell null or a boolean (at most
  // five letters, starting as `null`, `yes`, `true`, `on`, `no`, `false` or `off` do); numbers, timestamps and
  // sexagesimals start with a digit, a sign or a dot, `~` is null and `<<` a merge key.
  if (text.length > 5 || !MAYBE_TYPED_WORD.test(text)) {
    const c = text.charCodeAt(0) | 0x20; // ASCII letters in lower case
    if (c >= 97 && c <= 122) return text;
  }
  const tag = tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(text) === true);
  if (tag === undefined) return text;
  if (tag.tag === MERGE_TAG || tag.resolve === undefined) throw DECLINE;
  let failed = false;
  const value = tag.resolve(
    text,
    () => {
      failed = true;
    },
    {},
  );
  if (failed) throw DECLINE;
  return isScalar(value) ? value.value : value;
}

function indentOf(line: string, from: number): number {
  let s = from;
  while (line.charCodeAt(s) === 32) s++;
  return s;
}

function isSpaces(line: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (line.charCodeAt(k) !== 32) return false;
  return true;
}
