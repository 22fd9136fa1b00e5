/** Bytes to YAML documents, refusing what a YAML reader must not guess at: invalid UTF-8 and invalid YAML. */
import type { Document, Scalar } from 'yaml';
import { isScalar, parseAllDocuments, parseDocument, visit } from 'yaml';
import { InputError } from './krm-types.ts';
import { YAML_OPTIONS } from './yaml-options.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

// The `yaml` package compares each key of a map with every earlier one (a map of 30,000 keys took 3.9 s to parse
// instead of 0.3 s, and a hostile one of 100,000 keys most of a minute): keys are compared here instead, in one pass.
const PARSE_OPTIONS = { ...YAML_OPTIONS, uniqueKeys: false } as const;

/** Decodes UTF-8 (a leading byte order mark dropped); throws an InputError naming the line of the first bad byte. */
export function decodeUtf8(data: Uint8Array | string, what: string): string {
  if (typeof data === 'string') return data;
  try {
    return decoder.decode(data);
  } catch {
    const at = firstInvalidByte(data);
    const line = data.subarray(0, at).reduce((n, b) => (b === 10 ? n + 1 : n), 1);
    throw new InputError(`${what} is not valid UTF-8: byte ${at} (line ${line}) is not part of a character`);
  }
}

/** Returns the offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidByte(data: Uint8Array): number {
  for (let i = 0; i < data.length;) {
    const b = data[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0) return i;
    if (n > 1 && !isValid(data.subarray(i, i + n), n)) return i;
    i += n;
  }
  return data.length;
}

function isValid(seq: Uint8Array, n: number): boolean {
  if (seq.length < n) return false;
  try {
    decoder.decode(seq);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses every YAML document of a text; throws an InputError naming the first syntax error. With `keepSource`, nodes
 * keep their source text, so that an edit can leave the text of the rest as it was.
 */
export function parseDocuments(text: string, what: string, keepSource = false): Document[] {
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, keepSourceTokens: keepSource });
  const list = Array.isArray(docs) ? docs : [];
  for (const [i, doc] of list.entries()) {
    const error = doc.errors[0]?.message ?? repeatedKeyMessage(doc, text);
    if (error !== undefined) {
      const which = list.length > 1 ? ` (document ${i + 1})` : '';
      throw new InputError(`${what} is not valid YAML${which}: ${syntaxMessage(error)}`);
    }
  }
  return list;
}

/** Parses one YAML document (see parseDocuments); throws an InputError naming its first syntax error. */
export function parseOne(text: string, what: string, keepSource = false): Document {
  const doc = parseDocument(text, { ...PARSE_OPTIONS, keepSourceTokens: keepSource });
  const error = doc.errors[0]?.message ?? repeatedKeyMessage(doc, text);
  if (error !== undefined) throw new InputError(`${what} is not valid YAML: ${syntaxMessage(error)}`);
  return doc;
}

/**
 * The error the `yaml` package gives a map whose key repeats an earlier key of that map (two scalar keys of the same
 * value; NaN is no value's equal), at the first such key in the text; undefined when there is none.
 */
export function repeatedKeyMessage(doc: Document, text: string): string | undefined {
  let first: Scalar | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const value = key.value;
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        if (!seen.has(value)) seen.add(value);
        else if (first === undefined || (key.range?.[0] ?? Infinity) < (first.range?.[0] ?? Infinity)) first = key;
      }
    },
  });
  if (first === undefined) return undefined;
  const at = first.range?.[0];
  if (at === undefined) return 'Map keys must be unique';
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = countLines(text, lineStart);
  const lineEnd = text.indexOf('\n', at);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
  const col = at - lineStart + 1;
  return `Map keys must be unique at line ${line}, column ${col}:\n\n${lineText}\n${' '.repeat(col - 1)}^\n`;
}

/** The number of the line that starts at `offset` (1-based). */
function countLines(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The message of a parse error; the parser reports nesting too deep for its stack as a stack overflow. */
export function syntaxMessage(message: string): string {
  return message.trim().replace(/^Maximum call stack size exceeded/, 'maps and lists nest too deep');
}

/** True for a document with no object in it (a lone `---`, or an explicit null), which streams skip. */
export function isEmptyDocument(doc: Document): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}
