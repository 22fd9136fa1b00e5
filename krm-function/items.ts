/** The three kinds of item (see krm-types.ts): text read and kept, parsed or edited nodes, and generated mirrors. */
import type { Document, YAMLMap } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { KubeObject } from '../core/index.ts';
import type { ItemMeta } from './item-meta.ts';
import { itemMetaOf } from './item-meta.ts';
import { newNode } from './item-edit.ts';
import { INDEX_KEYS, PATH_KEYS } from './kpt-annotations.ts';
import type { FileRef, NewItem, ParsedItem, TextItem } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import { ValueError, ValueReader } from './yaml-value.ts';
import { simpleEntryValue } from './simple-yaml-read.ts';
import { parseOne } from './yaml-text.ts';

/** Returns the file named by an object's path and index annotations, when it has them. */
export function fileOfValue(value: unknown): FileRef | undefined {
  return fileOfAnnotations(record(record(record(value).metadata).annotations));
}

function fileOfAnnotations(annotations: Record<string, unknown>): FileRef | undefined {
  let path: unknown;
  for (const k of PATH_KEYS) if (typeof (path = annotations[k]) === 'string') break;
  if (typeof path !== 'string') return undefined;
  let index: unknown;
  for (const k of INDEX_KEYS) if ((index = annotations[k]) !== undefined) break;
  const n = Number(index);
  return index === undefined || !Number.isInteger(n) ? { path } : { path, index: n };
}

/** Returns "ResourceList.items[3] (Widget platform/bomb)": where an item is and what it says it is, for messages. */
export function describeItem(where: string, node: unknown): string {
  if (!isMap(node)) return where;
  const kind = node.get('kind');
  const meta = node.get('metadata');
  const name = isMap(meta) ? meta.get('name') : undefined;
  const ns = isMap(meta) ? meta.get('namespace') : undefined;
  if (typeof kind !== 'string' || typeof name !== 'string') return where;
  return `${where} (${kind} ${typeof ns === 'string' && ns !== '' ? `${ns}/` : ''}${name})`;
}

/** Reads a node's value for an item; the error names the item. */
export function itemValue(reader: ValueReader, node: unknown, where: string): unknown {
  try {
    return reader.read(node);
  } catch (err) {
    if (err instanceof ValueError) throw new InputError(`${describeItem(where, node)}: ${err.message}`);
    throw err;
  }
}

/**
 * A ResourceList item read as text (a `- ` entry and the lines below it); parsed on first use. Its value may be given
 * by a reader of the whole list (when aliases cross items); otherwise the item's own text must hold every anchor.
 */
export class LazyTextItem implements TextItem {
  readonly kind = 'text';
  /** What itemMetaOf read from the text (see item-meta.ts). */
  metaCache: ItemMeta | null | undefined = undefined;
  private parsed: { doc: Document; node: YAMLMap | undefined; value: unknown } | undefined;
  // The value the simple reader read (null: it declined).
  private simple: Record<string, unknown> | null | undefined = undefined;

  constructor(
    readonly text: string,
    private readonly line: number,
    readonly where: string,
    private readonly preset?: { value: unknown; sharesAnchors: boolean },
  ) {}

  get sharesAnchors(): boolean {
    return this.preset?.sharesAnchors ?? false;
  }

  get doc(): Document {
    return this.parse().doc;
  }

  get node(): YAMLMap {
    // Only objects are ever edited; an item that is not one is reported and kept as its text.
    const node = this.parse().node;
    if (node === undefined) throw new InputError(`${this.where} is not an object`);
    return node;
  }

  get value(): unknown {
    if (this.preset !== undefined) return this.preset.value;
    if (this.parsed !== undefined) return this.parsed.value;
    // Most items that take part are maps of words: read without the `yaml` package, which parses them only if edited.
    if (this.simple === undefined) this.simple = simpleEntryValue(this.text) ?? null;
    return this.simple ?? this.parse().value;
  }

  file(): FileRef | undefined {
    // An item already read (it took part) is asked its value; the others are read only as far as their identity.
    if (this.preset !== undefined || this.parsed !== undefined || this.simple) return fileOfValue(this.value);
    const meta = itemMetaOf(this);
    return meta === undefined ? fileOfValue(this.value) : fileOfAnnotations(meta.annotations);
  }

  private parse() {
    if (this.parsed !== undefined) return this.parsed;
    // Positions in the item's own text, turned into positions in stdin.
    let doc: Document;
    try {
      doc = parseOne(this.text, 'stdin', true);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const message = err.message.replace(/at line (\d+)/, (_, n: string) => `at line ${Number(n) + this.line - 1}`);
      throw new InputError(message.replace('stdin is not valid YAML: ', `stdin is not valid YAML: ${this.where}: `));
    }
    const seq = doc.contents;
    if (!isSeq(seq) || seq.items.length !== 1) throw new InputError(`${this.where} is not one list entry`);
    const node = seq.items[0];
    const value =
      this.preset !== undefined ? this.preset.value : (this.simple ?? itemValue(new ValueReader(), node, this.where));
    this.parsed = { doc, node: isMap(node) ? node : undefined, value };
    return this.parsed;
  }
}

/** An input item kept as its node (edited, or read without text); written by the `yaml` package. */
export class NodeItem implements ParsedItem {
  readonly kind = 'parsed';

  constructor(
    readonly node: YAMLMap,
    readonly value: unknown,
    readonly where: string,
    readonly sharesAnchors: boolean,
    readonly doc?: Document,
    readonly origin?: number,
  ) {}

  file(): FileRef | undefined {
    return fileOfValue(this.value);
  }
}

/** A stream document kept as its text (the legacy protocol): written back exactly as read. */
export class StreamTextItem implements TextItem {
  readonly kind = 'text';
  readonly sharesAnchors = false;

  constructor(
    readonly text: string,
    readonly doc: Document,
    readonly node: YAMLMap,
    readonly value: unknown,
    readonly where: string,
    readonly origin: number,
  ) {}

  file(): FileRef | undefined {
    return fileOfValue(this.value);
  }
}

/** A generated mirror; its YAML node is only made if a writer asks for one (the text writer writes values). */
export class GeneratedItem implements NewItem {
  readonly kind = 'new';

  constructor(readonly value: KubeObject) {}

  get node(): YAMLMap {
    return newNode(this.value) as YAMLMap;
  }

  file(): FileRef | undefined {
    return fileOfValue(this.value);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
