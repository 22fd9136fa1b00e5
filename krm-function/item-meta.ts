/**
 * Reads an item's kind, name, namespace and file annotations straight from its text, for the many items of a big
 * package that reflect-fn only needs to know by identity. Returns undefined on anything it is not sure of, and the
 * caller parses the item instead.
 */

import { INDEX_KEYS, LOCAL_CONFIG, PATH_KEYS } from './kpt-annotations.ts';

/** What reflect-fn needs to know of an item that takes no part in reflection. */
export interface ItemMeta {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Only the orchestrator's path, index and local-config annotations. */
  annotations: Record<string, string>;
}

/** The annotations ItemMeta keeps: the orchestrator's path, index and local-config. */
export const KEPT_ANNOTATIONS: ReadonlySet<string> = new Set<string>([...PATH_KEYS, ...INDEX_KEYS, LOCAL_CONFIG]);

// Plain scalars that are strings in YAML 1.1 whatever the context; anything else is left to the real parser.
const SAFE_PLAIN = /^[A-Za-z_][-A-Za-z0-9._/]*$/;
const YAML11_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/i;
const KEY_LINE = /^([A-Za-z_][-A-Za-z0-9._/]*):(?:[ ]+(.*))?$/;

/** An item whose identity can be read from its text; `metaCache` holds what itemMetaOf read (null: unsure). */
export interface MetaSource {
  readonly text?: string;
  readMeta?(): ItemMeta | undefined;
  metaCache?: ItemMeta | null;
}

/**
 * Returns `itemMeta` of an item's text (or the item's own `readMeta`, for text that is not block YAML), once per
 * item (kept on the item unless `keep` is false: a WeakMap of 100,000 items cost the collector more than reading
 * them); undefined for items not read as text.
 */
export function itemMetaOf(item: MetaSource, keep = true): ItemMeta | undefined {
  if (item.text === undefined) return undefined;
  let meta = item.metaCache;
  if (meta === undefined) {
    meta = (item.readMeta === undefined ? itemMeta(item.text) : item.readMeta()) ?? null;
    if (keep) item.metaCache = meta;
  }
  return meta ?? undefined;
}

/**
 * Returns the identity and file annotations of an item from its text (a `- ` list entry, or with `document` a YAML
 * document of a stream), or undefined when unsure. Lines are read by their character codes, without making a string
 * of each (a big package has millions of them); anything unusual is read by `itemMetaByLines`, which defines the
 * result.
 */
export function itemMeta(text: string, document = false): ItemMeta | undefined {
  if (!document) {
    const typical = typicalEntryMeta(text);
    if (typical !== undefined) return typical;
  }
  const found: Partial<Record<'apiVersion' | 'kind' | 'name' | 'namespace', string>> = {};
  let annotations: Record<string, string> | undefined;
  let keyCol = -1;
  let section = Section.None;
  let metaCol = -1;
  let metaSection = Section.None;
  let annotationCol = -1;
  for (let pos = 0, eol = 0; pos < text.length; pos = eol + 1) {
    eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    let at = pos;
    while (at < end && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    if (at === end) continue;
    const first = text.charCodeAt(at);
    if (first === 35 /* # */) continue;
    // Other white space or any character beyond ASCII: read as the reference reads it.
    if (first < 32 || first > 126) return itemMetaByLines(text, document);
    if (document && at === pos && isMarker(text, at, end)) {
      // A document's own `---` line (or one of the empty documents glued to it) before its keys; after them, the end.
      if (keyCol >= 0) break;
      if (!emptyAt(text, at + 2, end)) return itemMetaByLines(text, document);
      continue;
    }
    let col = at - pos;
    if (keyCol < 0 && document) keyCol = col;
    else if (keyCol < 0) {
      if (first !== 45 /* - */ || text.charCodeAt(at + 1) !== 32) return itemMetaByLines(text, document);
      keyCol = col + 2;
      at += 2;
      col += 2;
      const c = text.charCodeAt(at);
      if (at === end || c === 32 || c === 9 || c < 32 || c > 126) return itemMetaByLines(text, document);
    }
    if (col < keyCol) return itemMetaByLines(text, document);
    if (col === keyCol) {
      const colon = keyEnd(text, at, end);
      if (colon < 0) return itemMetaByLines(text, document);
      if (section === Section.Metadata && found.apiVersion !== undefined && found.kind !== undefined) break;
      section = sectionOf(text, at, colon, TOP_KEYS);
      if (section === Section.ApiVersion || section === Section.Kind) {
        const key = section === Section.ApiVersion ? 'apiVersion' : 'kind';
        const v = scalarAt(text, colon, end, true);
        if (v === undefined || found[key] !== undefined) return itemMetaByLines(text, document);
        found[key] = v;
      } else if (section === Section.Metadata && !emptyAt(text, colon, end)) return itemMetaByLines(text, document);
      continue;
    }
    if (section !== Section.Metadata) continue;
    if (metaCol < 0) metaCol = col;
    if (col < metaCol) return itemMetaByLines(text, document);
    if (col === metaCol) {
      const colon = keyEnd(text, at, end);
      if (colon < 0) return itemMetaByLines(text, document);
      metaSection = sectionOf(text, at, colon, META_KEYS);
      if (metaSection === Section.Name || metaSection === Section.Namespace) {
        const key = metaSection === Section.Name ? 'name' : 'namespace';
        const v = scalarAt(text, colon, end, true);
        if (v === undefined || found[key] !== undefined) return itemMetaByLines(text, document);
        found[key] = v;
      } else if (metaSection === Section.Annotations) {
        if (!emptyAt(text, colon, end)) return itemMetaByLines(text, document);
        annotationCol = -1;
      }
      continue;
    }
    if (metaSection !== Section.Annotations) continue;
    if (annotationCol < 0) annotationCol = col;
    if (col < annotationCol) return itemMetaByLines(text, document);
    if (col > annotationCol) continue;
    const colon = annotationKeyEnd(text, at, end);
    if (colon < 0) return itemMetaByLines(text, document);
    const kept = keptKeyAt(text, at, colon);
    if (kept === undefined) continue;
    const v = scalarAt(text, colon, end, false);
    if (v === undefined) return itemMetaByLines(text, document);
    (annotations ??= {})[kept] = v;
  }
  const { apiVersion, kind, name, namespace } = found;
  if (apiVersion === undefined || kind === undefined || name === undefined) return itemMetaByLines(text, document);
  const kept = annotations ?? {};
  return namespace === undefined
    ? { apiVersion, kind, name, annotations: kept }
    : { apiVersion, kind, name, namespace, annotations: kept };
}

// The layout kpt writes nearly every item in (apiVersion, kind, then metadata with name, namespace, labels and
// annotations, in that order, each child line two spaces deeper), matched by one regular expression: V8 runs it as
// native code from the first items on, where the loop of itemMeta runs cold for thousands of a big package's items
// (10,000 items: 144 ms cold). It answers only where itemMeta's loop would give the same answer, else undefined.
const WORD = '[A-Za-z_][-A-Za-z0-9._/]*';
// A deeper line the loop skips without reading: printable ASCII first, not a comment.
const SKIPPED = '[!-"$-~][^\\n]*\\n';
const KEPT_KEY = `(?:${[...KEPT_ANNOTATIONS].map((k) => k.replace(/\./g, '\\.')).join('|')})`;
// A YAML 1.1 word (a boolean or null), in any case, ending the line: a plain value that is no string.
const YAML11_WORD = `(?:${['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']
  .map((w) => [...w].map((c) => `[${c}${c.toUpperCase()}]`).join(''))
  .join('|')})\\n`;
// An annotation line as annotationKeyEnd reads it, from its key: printable ASCII but space, colon and quotes, then a
// plain rest. A kept annotation's value, after a space and any more, is certainly a string as scalarAt reads it: a
// word that is no YAML 1.1 word, or a quoted text of printable ASCII with no escape. Any other line with a kept key
// makes the item untypical, as the loop would be unsure of it.
const ANNOTATION_LINE =
  `(?:${KEPT_KEY}: +(?!${YAML11_WORD})(?:[-A-Za-z0-9_./]+|"[\\t !#-\\[\\]-~]*"|'[\\t -&(-~]*')\\n|` +
  `(?!${KEPT_KEY}:)[!#-&(-9;-~]+:(?: [\\t -~]*)?\\n)`;
const TYPICAL_ENTRY = new RegExp(
  `^( *)- apiVersion: (${WORD})\\n\\1  kind: (${WORD})\\n\\1  metadata:\\n\\1    name: (${WORD})\\n` +
    `(?:\\1    namespace: (${WORD})\\n)?(?:\\1    labels:\\n(?:\\1      ${SKIPPED})+)?` +
    `(?:\\1    annotations:\\n((?:\\1      ${ANNOTATION_LINE})+))?` +
    // The next top-level key (a key line, as keyEnd reads one), or the end of the item.
    `(?:\\1  ${WORD}:(?: [\\t -~]*)?(?:\\n|$)|$)`,
);

/** Returns what itemMeta reads of a list entry in kpt's usual layout, or undefined for any other text. */
export function typicalEntryMeta(text: string): ItemMeta | undefined {
  const m = TYPICAL_ENTRY.exec(text);
  if (m === null) return undefined;
  const [, , apiVersion, kind, name, namespace, block] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  if (isYaml11Word(apiVersion) || isYaml11Word(kind) || isYaml11Word(name)) return undefined;
  if (namespace !== undefined && isYaml11Word(namespace)) return undefined;
  return new TypicalMeta(apiVersion, kind, name, namespace, block);
}

/**
 * ItemMeta of a typical entry, whose kept annotations are read from their block (which the expression has checked)
 * only when asked for: most items of a big package are never asked.
 */
class TypicalMeta implements ItemMeta {
  private kept: Record<string, string> | undefined;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    readonly name: string,
    readonly namespace: string | undefined,
    private readonly block: string | undefined,
  ) {}

  get annotations(): Record<string, string> {
    return (this.kept ??= keptAnnotations(this.block));
  }
}

/** The kept annotations of a block of annotation lines that ANNOTATION_LINE has matched, one by one. */
function keptAnnotations(block: string | undefined): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (block === undefined) return annotations;
  for (let at = 0; at < block.length;) {
    while (block.charCodeAt(at) === 32) at++;
    const next = block.indexOf('\n', at) + 1;
    const colon = block.indexOf(':', at);
    const key = keptKeyAt(block, at, colon);
    if (key !== undefined) {
      let v = colon + 1;
      while (block.charCodeAt(v) === 32) v++;
      const q = block.charCodeAt(v);
      annotations[key] = q === 34 || q === 39 ? block.slice(v + 1, next - 2) : block.slice(v, next - 1);
    }
    at = next;
  }
  return annotations;
}

function isYaml11Word(value: string): boolean {
  return value.length <= 5 && YAML11_WORDS.test(value);
}

const enum Section {
  None,
  Other,
  ApiVersion,
  Kind,
  Metadata,
  Name,
  Namespace,
  Annotations,
}

const TOP_KEYS: readonly [string, Section][] = [
  ['apiVersion', Section.ApiVersion],
  ['kind', Section.Kind],
  ['metadata', Section.Metadata],
];
const META_KEYS: readonly [string, Section][] = [
  ['name', Section.Name],
  ['namespace', Section.Namespace],
  ['annotations', Section.Annotations],
];
const KEPT_LIST: readonly string[] = [...KEPT_ANNOTATIONS];

/** Which of `keys` the key text[from, colon) is (Other when none). */
function sectionOf(text: string, from: number, colon: number, keys: readonly [string, Section][]): Section {
  for (const [key, section] of keys) if (colon - from === key.length && text.startsWith(key, from)) return section;
  return Section.Other;
}

/** The kept annotation whose key is text[from, colon), if any. */
function keptKeyAt(text: string, from: number, colon: number): string | undefined {
  for (const key of KEPT_LIST) if (colon - from === key.length && text.startsWith(key, from)) return key;
  return undefined;
}

/** True when a line starts with `---` or `...` and a space, a tab or its end (other white space is left to the reference). */
function isMarker(text: string, at: number, end: number): boolean {
  const first = text.charCodeAt(at);
  if ((first !== 45 && first !== 46) || text.charCodeAt(at + 1) !== first || text.charCodeAt(at + 2) !== first)
    return false;
  const c = text.charCodeAt(at + 3);
  return at + 3 === end || c === 32 || c === 9;
}

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 47;
}

/**
 * Where the colon after a key at `from` is, when the line is a KEY_LINE of printable ASCII (`key:` or `key: rest`);
 * else -1 (the reference decides).
 */
function keyEnd(text: string, from: number, end: number): number {
  if (!isKeyStart(text.charCodeAt(from))) return -1;
  let i = from + 1;
  while (i < end && isKeyChar(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 58 && restIsPlainLine(text, i + 1, end) ? i : -1;
}

/** Like keyEnd for an annotation's key: any printable ASCII but space, colon and quotes. */
function annotationKeyEnd(text: string, from: number, end: number): number {
  let i = from;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) break;
    if (c <= 32 || c > 126 || c === 34 || c === 39) return -1;
  }
  return i > from && i < end + 1 && text.charCodeAt(i) === 58 && restIsPlainLine(text, i + 1, end) ? i : -1;
}

/** True when what follows a key's colon is nothing, or a space and printable ASCII to the end of the line. */
function restIsPlainLine(text: string, from: number, end: number): boolean {
  if (from >= end) return from === end;
  if (text.charCodeAt(from) !== 32) return false;
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9) || c > 126) return false;
  }
  return true;
}

/** True when a key's rest (after its colon) is empty or a comment. */
function emptyAt(text: string, colon: number, end: number): boolean {
  let i = colon + 1;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i === end || text.charCodeAt(i) === 35;
}

/**
 * The value after a key's colon when it is certainly a string: a plain word read in place, anything else (quotes,
 * comments, spaces) as `scalar` and `quoted` read it. `name` applies SAFE_PLAIN (a letter first), else any of its
 * characters may lead.
 */
function scalarAt(text: string, colon: number, end: number, name: boolean): string | undefined {
  let from = colon + 1;
  while (from < end && text.charCodeAt(from) === 32) from++;
  if (from >= end) return undefined;
  const q = text.charCodeAt(from);
  if (q === 34 || q === 39) {
    // A quoted word with nothing after it: its text, as `quoted` reads it (anything else is left to it).
    const close = text.indexOf(q === 34 ? '"' : "'", from + 1);
    if (close === end - 1 && (q === 39 || text.lastIndexOf('\\', close) < from)) return text.slice(from + 1, close);
    return slowScalar(text.slice(from, end), name);
  }
  let i = from;
  if (name && !isKeyStart(q)) return slowScalar(text.slice(from, end), name);
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isKeyChar(c)) return slowScalar(text.slice(from, end), name);
  }
  const value = text.slice(from, end);
  return value.length <= 5 && YAML11_WORDS.test(value) ? undefined : value;
}

function slowScalar(rest: string, name: boolean): string | undefined {
  return name ? scalar(rest) : (quoted(rest) ?? scalar(rest, /^[-A-Za-z0-9._/]+$/));
}

/** itemMeta's reference: the same reading, a line at a time as strings. */
export function itemMetaByLines(text: string, document = false): ItemMeta | undefined {
  const found: Partial<Record<'apiVersion' | 'kind' | 'name' | 'namespace', string>> = {};
  const annotations: Record<string, string> = {};
  let keyCol = -1;
  let section = '';
  let metaCol = -1;
  let metaSection = '';
  let annotationCol = -1;
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    // Line by line without splitting the whole item: reading stops after metadata.
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    let trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let col = line.length - trimmed.length;
    if (document && col === 0 && /^(?:---|\.\.\.)(?:\s|$)/.test(trimmed)) {
      // A document's own `---` line (or one of the empty documents glued to it) before its keys; after them, the end.
      if (keyCol >= 0) break;
      if (trimmed.slice(3).trim() !== '' && !trimmed.slice(3).trim().startsWith('#')) return undefined;
      continue;
    }
    if (keyCol < 0 && document) {
      keyCol = col;
    } else if (keyCol < 0) {
      if (!trimmed.startsWith('- ')) return undefined;
      keyCol = col + 2;
      line = trimmed.slice(2);
      trimmed = line.trimStart();
      col = keyCol + line.length - trimmed.length;
      if (col !== keyCol) return undefined;
    }
    if (col < keyCol) return undefined;
    if (col === keyCol) {
      const m = KEY_LINE.exec(trimmed);
      if (m === null) return undefined;
      // Everything needed is known once metadata is behind us; the rest (spec, data) is not read.
      if (section === 'metadata' && found.apiVersion !== undefined && found.kind !== undefined) break;
      section = m[1]!;
      if (section === 'apiVersion' || section === 'kind') {
        const v = scalar(m[2]);
        if (v === undefined || found[section] !== undefined) return undefined;
        found[section] = v;
      } else if (section === 'metadata' && !isEmpty(m[2])) return undefined;
      continue;
    }
    if (section !== 'metadata') continue;
    if (metaCol < 0) metaCol = col;
    if (col < metaCol) return undefined;
    if (col === metaCol) {
      const m = KEY_LINE.exec(trimmed);
      if (m === null) return undefined;
      metaSection = m[1]!;
      if (metaSection === 'name' || metaSection === 'namespace') {
        const v = scalar(m[2]);
        if (v === undefined || found[metaSection] !== undefined) return undefined;
        found[metaSection] = v;
      } else if (metaSection === 'annotations') {
        if (!isEmpty(m[2])) return undefined;
        annotationCol = -1;
      }
      continue;
    }
    if (metaSection !== 'annotations') continue;
    if (annotationCol < 0) annotationCol = col;
    if (col < annotationCol) return undefined;
    if (col > annotationCol) continue;
    const key = /^([^:\s"']+):(?:[ ]+(.*))?$/.exec(trimmed);
    if (key === null) return undefined;
    if (!KEPT_ANNOTATIONS.has(key[1]!)) continue;
    const v = quoted(key[2]) ?? scalar(key[2], /^[-A-Za-z0-9._/]+$/);
    if (v === undefined) return undefined;
    annotations[key[1]!] = v;
  }
  const { apiVersion, kind, name, namespace } = found;
  if (apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  return { apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }), annotations };
}

function isEmpty(rest: string | undefined): boolean {
  return rest === undefined || rest.trim() === '' || rest.trim().startsWith('#');
}

/** Returns a plain or quoted scalar's string value when it is certainly a string, else undefined. */
function scalar(rest: string | undefined, plain = SAFE_PLAIN): string | undefined {
  if (rest === undefined) return undefined;
  const q = quoted(rest);
  if (q !== undefined) return q;
  const value = rest.replace(/\s+#.*$/, '').trim();
  if (!plain.test(value) || YAML11_WORDS.test(value)) return undefined;
  return value;
}

function quoted(rest: string | undefined): string | undefined {
  if (rest === undefined) return undefined;
  const single = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(rest);
  if (single !== null) return single[1]!.replace(/''/g, "'");
  const double = /^"((?:[^"\\]|\\["\\/])*)"\s*(?:#.*)?$/.exec(rest);
  if (double !== null) return double[1]!.replace(/\\(["\\/])/g, '$1');
  return undefined;
}
