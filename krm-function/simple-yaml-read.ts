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
  const at = afterLead(text, 0);
  if (at > text.length) return undefined;
  const dash = indentOf(text, at);
  if (text.charCodeAt(dash) !== 45 /* - */ || text.charCodeAt(dash + 1) !== 32) return undefined;
  return read(text, at, indentOf(text, dash + 2) - at);
}

/**
 * The value of one document of a YAML stream (leading comments, an optional bare `---` line, a map at column 0), as
 * the `yaml` package reads it with YAML_OPTIONS; undefined when the text is not in the simple form.
 */
export function simpleDocumentValue(text: string): Record<string, unknown> | undefined {
  if (!SAFE_TEXT.test(text)) return undefined;
  let at = afterLead(text, 0);
  if (text.startsWith('---', at) && lineEnd(text, at) === at + 3) at = afterLead(text, at + 4);
  if (at > text.length || text.charCodeAt(at) === 32) return undefined;
  return read(text, at, 0);
}

/** The start of the first line from `at` on that is neither blank nor a comment (past the end: none). */
function afterLead(text: string, at: number): number {
  while (at <= text.length) {
    const end = lineEnd(text, at);
    if (!LEAD_LINE.test(text.slice(at, end))) break;
    at = end + 1;
  }
  return at;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

function read(text: string, at: number, col: number): Record<string, unknown> | undefined {
  const reader = new Reader(text, at);
  try {
    const value = reader.map(col, 0);
    // Everything after the map must be blank: a line left of it is not ours to read.
    return reader.next() === -1 ? value : undefined;
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
}

/** Reads lines by their offsets in the text (a fan-out's steady state reads millions: no string is made of each). */
class Reader {
  /** The line being read: its start, and its end (its line feed, or the end of the text); past the end: none. */
  private start: number;
  private end: number;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.start = start;
    this.end = lineEnd(text, start);
  }

  private advance(): void {
    this.start = this.end + 1;
    this.end = this.start > this.text.length ? this.start : lineEnd(this.text, this.start);
  }

  /** The column of the next line with content from here on (skipping empty lines), -1 at the end; declines on comments. */
  next(): number {
    const { text } = this;
    while (this.start <= text.length && this.start === this.end) this.advance();
    if (this.start > text.length) return -1;
    const s = indentOf(text, this.start);
    if (s === this.end || text.charCodeAt(s) === 35 /* # */) throw DECLINE;
    return s - this.start;
  }

  /** A map whose keys are at column `col`; the first key is on the current line (its text may start after a `- `). */
  map(col: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw DECLINE;
    const { text } = this;
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      if (!first) {
        const s = this.next();
        if (s < col) return out;
        if (s > col) throw DECLINE;
      }
      first = false;
      const from = this.start + col;
      const end = this.end;
      const colon = keyEnd(text, from, end);
      const key = keyOf(text.slice(from, colon));
      if (key === '__proto__' || Object.hasOwn(out, key)) throw DECLINE;
      if (text.charCodeAt(end - 1) === 32) throw DECLINE;
      this.advance();
      if (colon + 1 === end) {
        const s = this.next();
        out[key] = s > col ? this.map(s, depth + 1) : null;
        continue;
      }
      // keyEnd found `: `; a second space would start the value later than we read it.
      const v = text.slice(colon + 2, end);
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
    const { text } = this;
    if (this.start > text.length || this.start === this.end) throw DECLINE;
    const n = indentOf(text, this.start) - this.start;
    if (n <= col || this.start + n === this.end) throw DECLINE;
    const body: string[] = [];
    let kept = 0; // lines up to the last one with content
    for (; this.start <= text.length; this.advance()) {
      if (this.start === this.end) {
        body.push('');
        continue;
      }
      const s = indentOf(text, this.start);
      if (s === this.end) throw DECLINE; // a line of spaces only: its spaces may or may not be content
      if (s - this.start < n) break;
      body.push(text.slice(this.start + n, this.end));
      kept = body.length;
    }
    body.length = kept; // trailing empty lines are clipped (or stripped) with the last line break
    const value = body.join('\n');
    return header === '|' ? `${value}\n` : value;
  }
}

/** The offset of the `:` that ends a map key starting at `from` (followed by a space or the line's end at `end`). */
function keyEnd(text: string, from: number, end: number): number {
  const c = text.charCodeAt(from);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const close = text.indexOf(text[from]!, from + 1);
    if (close < 0 || close >= end || text.charCodeAt(close + 1) !== 58 /* : */) throw DECLINE;
    if (close + 2 < end && text.charCodeAt(close + 2) !== 32) throw DECLINE;
    return close + 1;
  }
  for (let at = text.indexOf(':', from); at >= 0 && at < end; at = text.indexOf(':', at + 1)) {
    if (at + 1 === end || text.charCodeAt(at + 1) === 32) return at;
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
