/**
 * Block YAML for new mirrors without building the `yaml` package's nodes: a mirror is maps of strings (a Secret's or
 * ConfigMap's data, its labels and annotations), and writing a few hundred of them through Document and createNode
 * cost a small package's run more than planning it. Only values whose text is certain are written here, exactly as
 * the `yaml` package writes them with NEW_VALUE_OPTIONS and WRITE_OPTIONS (plain or double-quoted words, literal
 * blocks, booleans, integers); for anything else (other quoting, empty maps, lists, null, floats, long keys) the caller
 * asks the `yaml` package.
 */
import { Document } from 'yaml';
import { NEW_VALUE_OPTIONS } from './yaml-options.ts';

const STR_TAG = 'tag:yaml.org,2002:str';
const schema = new Document(null, NEW_VALUE_OPTIONS).schema as unknown as {
  tags: { default?: unknown; tag: string; test?: RegExp }[];
  compat?: { default?: unknown; tag: string; test?: RegExp }[] | null;
};
// The tags a plain scalar could be read as instead of a string: a string one of them reads is quoted.
const OTHER_TAGS = [...schema.tags, ...(schema.compat ?? [])].filter(
  (t) => t.default && t.tag !== STR_TAG && t.test !== undefined,
);

// What the `yaml` package would quote, or write in double quotes (see its plainString and stringifyString).
const INDICATORS = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// Control characters and surrogates (double quotes), tabs and carriage returns (left to the package).
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]/; // eslint-disable-line no-control-regex
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m;
// Multi-line text written as a literal block with no indentation indicator and no kept trailing lines.
const LITERAL = /^[^ \n][^]*(?:[^ \n]\n|[^ \n])$/;

/**
 * A single-line string (a key or a value) as the `yaml` package writes it: plain, or in double quotes when it would
 * read as something else or starts with an indicator; undefined when it would write it any other way.
 */
function word(value: string): string | undefined {
  // Mirrors repeat their keys and values (labels, annotations, a source's data in every namespace): each is decided
  // once, not by a dozen expressions per mirror.
  const known = words.get(value);
  if (known !== undefined) return known ?? undefined;
  const text = wordOf(value);
  if (words.size >= WORDS_KEPT) words.clear();
  words.set(value, text ?? null);
  return text;
}

const words = new Map<string, string | null>();
const WORDS_KEPT = 4096;

function wordOf(value: string): string | undefined {
  if (value.length >= 1000 || value.includes('\n') || UNSAFE.test(value) || DOCUMENT_MARKER.test(value))
    return undefined;
  // The merge key tag claims `<<` (it has a test, the string tag has none) and writes it as it is.
  if (value === '<<') return value;
  if (!INDICATORS.test(value) && !OTHER_TAGS.some((tag) => tag.test!.test(value))) return value;
  // Printable ASCII without `"` or `\` is its own JSON, which is what the package writes in double quotes.
  return QUOTABLE.test(value) ? `"${value}"` : undefined;
}

const QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A value after `key:` (with its separator) whose value lines are indented by `indent`; undefined when unsure. */
function valueText(value: unknown, indent: string): string | undefined {
  if (typeof value === 'string') {
    if (!value.includes('\n')) {
      const w = word(value);
      return w === undefined ? undefined : ` ${w}`;
    }
    if (UNSAFE.test(value) || !LITERAL.test(value) || /\n[\t ]+$/.test(value)) return undefined;
    const chomp = value.endsWith('\n') ? '' : '-';
    const body = (chomp === '' ? value.slice(0, -1) : value).replace(/\n+/g, `$&${indent}`);
    return ` |${chomp}\n${indent}${body}`;
  }
  if (typeof value === 'boolean') return value ? ' true' : ' false';
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? ` ${String(value)}` : undefined;
  }
  if (isPlainObject(value)) {
    const map = mapText(value, indent);
    return map === undefined ? undefined : `\n${indent}${map}`;
  }
  return undefined;
}

/** A non-empty map's pairs, one per line, each line after the first indented by `indent`; undefined when unsure. */
function mapText(map: Record<string, unknown>, indent: string): string | undefined {
  const lines: string[] = [];
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const k = word(key);
    const v = k === undefined ? undefined : valueText(map[key], `${indent}  `);
    if (v === undefined) return undefined;
    lines.push(`${k}:${v}`);
  }
  return lines.length === 0 ? undefined : lines.join(`\n${indent}`);
}

/** A map as the `yaml` package writes it as a document (`stringify(value)`), or undefined when unsure. */
export function simpleDocument(value: unknown): string | undefined {
  const map = isPlainObject(value) ? mapText(value, '') : undefined;
  return map === undefined ? undefined : `${map}\n`;
}

/** A map as the `yaml` package writes it as an entry of a block sequence at column 0, or undefined when unsure. */
export function simpleSeqEntry(value: unknown): string | undefined {
  const map = isPlainObject(value) ? mapText(value, '  ') : undefined;
  return map === undefined ? undefined : `- ${map}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `results:` and its list of maps, as the `yaml` package writes `{ results }` as a document (a function's results
 * after its items), or undefined when unsure or empty.
 */
export function simpleResults(results: readonly unknown[]): string | undefined {
  // The package writes an object met twice as an anchor and an alias: left to it.
  if (results.length === 0 || sharesObjects(results, new Set())) return undefined;
  const parts = ['results:\n'];
  for (const result of results) {
    const map = isPlainObject(result) ? mapText(result, '    ') : undefined;
    if (map === undefined) return undefined;
    parts.push(`  - ${map}\n`);
  }
  return parts.join('');
}

/** True when an object occurs more than once within a value (as the `yaml` package's aliasDuplicateObjects sees it). */
function sharesObjects(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const v of Object.values(value)) if (sharesObjects(v, seen)) return true;
  return false;
}
