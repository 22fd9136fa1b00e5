/**
 * A ResourceList sent as one JSON document, read with JSON.parse item by item instead of the YAML parser: each item
 * keeps its exact text (unchanged items leave byte for byte), and only what JSON.parse could read differently from
 * go-yaml (a key given twice, a number of 16 digits or with an exponent, deep nesting, anything not JSON) is read by
 * the YAML reader, item by item. Edited and new items are written as compact JSON.
 */
import type { Document, YAMLMap } from 'yaml';
import { isMap, stringify } from 'yaml';
import type { ItemMeta } from './item-meta.ts';
import { itemMetaOf, KEPT_ANNOTATIONS } from './item-meta.ts';
import { fileOfValue, itemValue } from './items.ts';
import type { JsonListText, JsonStats } from './json-scan.ts';
import { scanJsonList } from './json-scan.ts';
import type { FileRef, Item, KrmResult, TextItem } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import type { ResourceList } from './resource-list.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS } from './yaml-options.ts';
import { parseOne } from './yaml-text.ts';
import { MAX_DEPTH, ValueReader } from './yaml-value.ts';

/** Reads a JSON ResourceList; undefined when the text is not one (the caller reads it as YAML). */
export function readJsonResourceList(text: string): ResourceList | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  const scan = scanJsonList(text);
  if (scan === undefined || scan.itemsMember < 0) return undefined;
  const lineOf = (offset: number) => lineAt(text, offset);
  let functionConfig: unknown;
  for (const m of scan.members) {
    if (m.key === 'items') continue;
    const value = jsonValue(text.slice(m.valueStart, m.end), m, `ResourceList.${m.key}`, () => lineOf(m.valueStart));
    if (m.key === 'kind' && value !== 'ResourceList') return undefined;
    if (m.key === 'functionConfig') functionConfig = value;
  }
  if (!scan.members.some((m) => m.key === 'kind')) return undefined;
  const items = scan.items.map(
    (t, i) => new JsonTextItem(text.slice(t.start, t.end), t, `ResourceList.items[${i}]`, () => lineOf(t.start)),
  );
  return { items, functionConfig, write: jsonWriter(text, scan) };
}

/** An item of a JSON ResourceList: its text, parsed when first read. */
export class JsonTextItem implements TextItem {
  readonly kind = 'text';
  /** What itemMetaOf read from the text (see item-meta.ts). */
  metaCache: ItemMeta | null | undefined = undefined;
  readonly sharesAnchors = false;
  private cached: { value: unknown } | undefined;
  private parsed: { doc: Document; node: unknown } | undefined;

  constructor(
    readonly text: string,
    private readonly stats: JsonStats,
    readonly where: string,
    private readonly line: () => number,
  ) {}

  get value(): unknown {
    this.cached ??= { value: jsonValue(this.text, this.stats, this.where, this.line) };
    return this.cached.value;
  }

  get doc(): Document {
    return this.parse().doc;
  }

  get node(): YAMLMap {
    const node = this.parse().node;
    if (!isMap(node)) throw new InputError(`${this.where} is not an object`);
    return node;
  }

  /** What a bystander needs (identity and file annotations), read without keeping the whole value. */
  readMeta(): ItemMeta | undefined {
    return metaOfValue(this.cached?.value ?? jsonValue(this.text, this.stats, this.where, this.line));
  }

  file(): FileRef | undefined {
    const meta = itemMetaOf(this);
    return meta === undefined ? fileOfValue(this.value) : fileOfValue({ metadata: { annotations: meta.annotations } });
  }

  private parse() {
    this.parsed ??= (() => {
      const doc = yamlDocument(this.text, this.where, this.line);
      return { doc, node: doc.contents };
    })();
    return this.parsed;
  }
}

/** The value of a JSON text, read by JSON.parse when that reads it as go-yaml would, otherwise by the YAML reader. */
function jsonValue(text: string, stats: JsonStats, where: string, line: () => number): unknown {
  if (!stats.inexactNumber && stats.depth < MAX_DEPTH) {
    let value: unknown;
    let ok = true;
    try {
      value = JSON.parse(text);
    } catch {
      ok = false;
    }
    // Fewer keys than colons: a key was given twice, which JSON.parse forgives and YAML refuses.
    if (ok && keyCount(value) === stats.colons) return value;
  }
  return itemValue(new ValueReader(), yamlDocument(text, where, line).contents, where);
}

/** Parses an item's text as YAML (keeping source text, for edits); errors name the item and its line of stdin. */
function yamlDocument(text: string, where: string, line: () => number): Document {
  try {
    return parseOne(text, 'stdin', true);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const message = err.message.replace(/at line (\d+)/, (_, n: string) => `at line ${Number(n) + line() - 1}`);
    throw new InputError(message.replace('stdin is not valid YAML: ', `stdin is not valid YAML: ${where}: `));
  }
}

function keyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += keyCount(v);
    return n;
  }
  for (const k in value) n += 1 + keyCount((value as Record<string, unknown>)[k]);
  return n;
}

/** The identity and orchestrator annotations of a value, or undefined when any of them is not a plain string. */
function metaOfValue(value: unknown): ItemMeta | undefined {
  if (!isRecord(value) || !isRecord(value.metadata)) return undefined;
  const { apiVersion, kind } = value;
  const { name, namespace, annotations } = value.metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  if (namespace !== undefined && typeof namespace !== 'string') return undefined;
  const kept: Record<string, string> = {};
  if (annotations !== undefined) {
    if (!isRecord(annotations)) return undefined;
    for (const key of KEPT_ANNOTATIONS) {
      const v = annotations[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') return undefined;
      kept[key] = v;
    }
  }
  return { apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }), annotations: kept };
}

/** The writer of a JSON list: the text around the items as it was, kept items as their text, others as JSON. */
function jsonWriter(text: string, scan: JsonListText): ResourceList['write'] {
  const { members, items } = scan;
  const itemsMember = members[scan.itemsMember]!;
  const memberSep = members.length > 1 ? text.slice(members[0]!.end, members[1]!.start) : ',';
  const itemSep = items.length > 1 ? text.slice(items[0]!.end, items[1]!.start) : ',';
  const open = items.length > 0 ? text.slice(itemsMember.valueStart, items[0]!.start) : '[';
  const close = items.length > 0 ? text.slice(items.at(-1)!.end, itemsMember.end) : ']';
  return (out: readonly Item[], results: readonly KrmResult[]): string[] => {
    const parts: string[] = [text.slice(0, members[0]!.start)];
    let first = true;
    for (const [k, m] of members.entries()) {
      if (m.key === 'results') continue;
      // Each member keeps the separator that stood before it.
      if (!first) parts.push(k === 0 ? memberSep : text.slice(members[k - 1]!.end, m.start));
      first = false;
      if (m !== itemsMember) {
        parts.push(text.slice(m.start, m.end));
        continue;
      }
      parts.push(text.slice(m.start, m.valueStart), open);
      out.forEach((item, i) => {
        if (i > 0) parts.push(itemSep);
        parts.push(item.kind === 'text' ? item.text : jsonText(item.value));
      });
      parts.push(close);
    }
    if (results.length > 0) parts.push(memberSep, '"results":', JSON.stringify(results));
    parts.push(text.slice(members.at(-1)!.end));
    return parts;
  };
}

/** A value as compact JSON; with a number JSON cannot hold (beyond 2^53, NaN, infinite) as a YAML flow map instead. */
export function jsonText(value: unknown): string {
  let exact = true;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      exact = false;
      return 0;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
    return v;
  });
  if (exact) return text;
  return stringify(value, { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, collectionStyle: 'flow' }).trimEnd();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
