/**
 * kustomize's legacy plugin stream (one object per YAML document) and `kubectl reflect render`'s input: each document
 * is kept as the text it was read from, so objects reflect-fn does not change leave byte for byte.
 */
import type { Document, YAMLMap } from 'yaml';
import { isMap, stringify } from 'yaml';
import type { ItemMeta } from './item-meta.ts';
import { itemMeta, itemMetaOf } from './item-meta.ts';
import type { NodeItem } from './items.ts';
import { fileOfValue, itemValue, StreamTextItem } from './items.ts';
import type { FileRef, Item, TextItem } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import { simpleDocument } from './simple-yaml.ts';
import { simpleDocumentValue } from './simple-yaml-read.ts';
import { splitStream } from './stream-split.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';
import { isEmptyDocument, parseOne } from './yaml-text.ts';
import { ValueReader } from './yaml-value.ts';

/** A stream read from text: its objects, in order. */
export interface Stream {
  items: Item[];
}

/** Reads a stream's documents as items; a document that is not an object is an error naming it. */
export function readStream(text: string, docs: readonly Document[], what: string): Stream {
  const items: Item[] = [];
  let from = 0;
  let glue = ''; // empty documents (a lone `---`) stay with the item before them, or the next one at the start
  for (const [i, doc] of docs.entries()) {
    const end = doc.range?.[2] ?? text.length;
    const segment = text.slice(from, end);
    from = end;
    if (isEmptyDocument(doc)) {
      const last = items.at(-1);
      if (last === undefined) glue += segment;
      else items[items.length - 1] = withText(last as StreamTextItem, last.kind === 'text' ? last.text + segment : '');
      continue;
    }
    const where = `document ${i + 1} of ${what}`;
    const value = itemValue(new ValueReader(), doc.contents, where);
    // A document that is not a map is reported by the planner's world and never edited.
    items.push(new StreamTextItem(glue + segment, doc, doc.contents as YAMLMap, value, where, i));
    glue = '';
  }
  const rest = text.slice(from);
  const last = items.at(-1);
  if (last !== undefined && last.kind === 'text' && rest !== '')
    items[items.length - 1] = withText(last as StreamTextItem, last.text + rest);
  return { items };
}

/**
 * Reads a stream of two or more objects document by document: each document is parsed only when something reads it,
 * and objects that take no part are known by their identity alone. Undefined when the stream cannot be cut without
 * parsing it (directives, `...`), or holds fewer than two objects: the caller parses it whole.
 */
export function readLazyStream(text: string, what: string): Stream | undefined {
  const docs = splitStream(text);
  if (docs === undefined) return undefined;
  const items: LazyStreamItem[] = [];
  let glue = '';
  for (const [i, d] of docs.entries()) {
    const item = d.blank ? undefined : new LazyStreamItem(d.text, d.line, `document ${i + 1} of ${what}`, i, what);
    if (item === undefined || item.isNull()) {
      // Empty documents (a lone `---`) stay with the item before them, or the next one at the start.
      const prev = items.at(-1);
      if (prev === undefined) glue += d.text;
      else prev.text += d.text;
      continue;
    }
    item.text = glue + item.text;
    glue = '';
    items.push(item);
  }
  return items.length < 2 ? undefined : { items };
}

/** A document of a stream kept as its text, parsed on first use. */
export class LazyStreamItem implements TextItem {
  readonly kind = 'text';
  /** What itemMetaOf read from the text (see item-meta.ts). */
  metaCache: ItemMeta | null | undefined = undefined;
  readonly sharesAnchors = false;
  /** What is written: the document, and the empty documents glued to it. */
  text: string;
  private parsed: { doc: Document; value: unknown } | undefined;
  // The value the simple reader read (null: it declined).
  private simple: Record<string, unknown> | null | undefined = undefined;

  constructor(
    private readonly body: string,
    private readonly line: number,
    readonly where: string,
    readonly origin: number,
    private readonly what: string,
  ) {
    this.text = body;
  }

  /** True when the document is an explicit null (`~`, `null`, `!!null`), which streams skip like an empty one. */
  isNull(): boolean {
    // The first line with content: after the `---` (on its line or below it), comments and blank lines.
    const first = /^(?:---(?:[ \t]+|$))?[ \t]*([^\s#].*)$/m.exec(
      this.body.replace(/^(?:[ \t]*(?:#.*)?\r?\n)*/, '').replace(/^---[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*/, ''),
    )?.[1];
    // Only a root that may be a null scalar is parsed now; a `key:` or `- ` line is a map or a list.
    if (first === undefined || /^(?:[^\s'"!&*?|>{[#-][^:#]*:(?:\s|$)|- |-$|\{|\[)/.test(first)) return false;
    return isEmptyDocument(this.parse().doc);
  }

  get doc(): Document {
    return this.parse().doc;
  }

  get node(): YAMLMap {
    const node = this.parse().doc.contents;
    if (!isMap(node)) throw new InputError(`${this.where} is not an object`);
    return node;
  }

  get value(): unknown {
    if (this.parsed !== undefined) return this.parsed.value;
    // Most objects that take part are maps of words: read without the `yaml` package, which parses them only if edited.
    if (this.simple === undefined) this.simple = simpleDocumentValue(this.body) ?? null;
    return this.simple ?? this.parse().value;
  }

  /** Identity and file annotations from the text, for an object that takes no part (see item-meta.ts). */
  readMeta(): ItemMeta | undefined {
    return itemMeta(this.body, true);
  }

  file(): FileRef | undefined {
    const meta = itemMetaOf(this);
    return meta === undefined ? fileOfValue(this.value) : fileOfValue({ metadata: { annotations: meta.annotations } });
  }

  private parse() {
    if (this.parsed !== undefined) return this.parsed;
    let doc: Document;
    try {
      doc = parseOne(this.body, this.what, true);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // As the whole stream's parse says it: the document's number, and lines of the stream.
      const message = err.message.replace(/at line (\d+)/, (_, n: string) => `at line ${Number(n) + this.line - 1}`);
      throw new InputError(
        message.replace(' is not valid YAML: ', ` is not valid YAML (document ${this.origin + 1}): `),
      );
    }
    this.parsed = { doc, value: this.simple ?? itemValue(new ValueReader(), doc.contents, this.where) };
    return this.parsed;
  }
}

function withText(item: StreamTextItem, text: string): StreamTextItem {
  return new StreamTextItem(text, item.doc, item.node, item.value, item.where, item.origin);
}

/**
 * Writes a stream of items: kept documents as their text, edited ones within their document, new ones from values;
 * as pieces of text to write in order (joined, the stream's text).
 */
export function writeStream(items: readonly Item[]): string[] {
  const parts: string[] = [];
  // Only the last piece is looked at: testing the whole output so far made writing n new items O(n²).
  let last = '';
  for (const item of items) {
    let piece: string;
    if (item.kind === 'text') piece = item.text;
    else {
      const body =
        item.kind === 'parsed'
          ? editedDocument(item)
          : (simpleDocument(item.value) ??
            stringify(item.value, { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false }));
      piece = last === '' || /(?:^|\n)---[ \t]*\n?$/.test(last) ? body : `---\n${body}`;
    }
    if (last !== '' && !last.endsWith('\n')) parts.push('\n');
    parts.push(piece);
    if (piece !== '') last = piece;
  }
  return parts;
}

function editedDocument(item: NodeItem): string {
  const doc = item.doc?.clone();
  if (doc === undefined) return stringify(item.node, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
  doc.contents = item.node;
  // A document that started with `---` writes it again; the writer adds the only separator we want.
  return doc.toString(WRITE_OPTIONS).replace(/^---\n/, '');
}
