/**
 * A ResourceList read on the fast path: items stay text until something reads them, unchanged items are written back
 * byte for byte, and only edited and new items are written by the `yaml` package.
 */
import type { Document, YAMLMap } from 'yaml';
import { isMap, isSeq, parseDocument, stringify, YAMLSeq } from 'yaml';
import type { Item, KrmResult, ResourceList } from './resource-list.ts';
import { InputError, liftHeadComment } from './resource-list.ts';
import { indentLines, splitResourceList, withoutTopLevelKey } from './resource-list-text.ts';
import { WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';

/** An item read as text; it is parsed the first time its node or value is asked for. */
class TextItem implements Item {
  private parsed: { doc: Document; node: YAMLMap; value: unknown } | undefined;

  constructor(
    readonly text: string,
    private readonly line: number,
    private readonly index: number,
  ) {}

  get doc(): Document {
    return this.parse().doc;
  }

  get node(): YAMLMap {
    return this.parse().node;
  }

  get value(): unknown {
    return this.parse().value;
  }

  private parse() {
    if (this.parsed !== undefined) return this.parsed;
    const doc = parseDocument(this.text, YAML_OPTIONS);
    const error = doc.errors[0];
    const where = `ResourceList.items[${this.index}]`;
    if (error !== undefined) {
      // Positions in the item's own text, turned into positions in stdin.
      const message = error.message
        .trim()
        .replace(/at line (\d+)/, (_, n: string) => `at line ${Number(n) + this.line - 1}`);
      throw new InputError(`stdin is not valid YAML: ${where}: ${message}`);
    }
    const seq = doc.contents;
    const node = isSeq(seq) ? seq.items[0] : undefined;
    if (!isSeq(seq) || seq.items.length !== 1 || !isMap(node)) throw new InputError(`${where} is not an object`);
    const value = (doc.toJS({ maxAliasCount: -1 }) as unknown[])[0];
    this.parsed = { doc, node, value };
    return this.parsed;
  }
}

/** Reads a block-style ResourceList without parsing its items; undefined when the fast path does not apply. */
export function readTextResourceList(text: string): ResourceList | undefined {
  const split = splitResourceList(text);
  if (split === undefined) return undefined;
  const header = parseDocument(split.head + split.tail, YAML_OPTIONS);
  if (header.errors.length > 0) return undefined; // the slow path reports it with the right line
  const value = header.toJS() as { kind?: unknown; functionConfig?: unknown } | null;
  if (value?.kind !== 'ResourceList') return undefined;
  const items: Item[] = split.items.map((t, i) => new TextItem(t.text, t.line, i));
  const write = (out: readonly Item[], results: readonly KrmResult[]): string => {
    const parts: string[] = [withoutTopLevelKey(split.head, 'results')];
    const fresh: unknown[] = [];
    const flush = () => {
      if (fresh.length === 0) return;
      parts.push(indentLines(seqText(fresh), split.indent));
      fresh.length = 0;
    };
    for (const item of out) {
      if (item.text !== undefined) {
        flush();
        parts.push(item.text);
      } else if (item.doc !== undefined) {
        flush();
        parts.push(indentLines(editedText(item), split.indent));
      } else {
        fresh.push(item.value);
        if (fresh.length >= BATCH) flush();
      }
    }
    flush();
    let tail = withoutTopLevelKey(split.tail, 'results');
    if (results.length > 0) {
      if (tail !== '' && !tail.endsWith('\n')) tail += '\n';
      tail += stringify({ results }, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
    }
    const body = parts.join('');
    return body + (body.endsWith('\n') || tail === '' ? '' : '\n') + tail;
  };
  return { items, functionConfig: value.functionConfig, write };
}

// New items are written in batches, so a package that gains 100,000 mirrors never holds all their nodes at once.
const BATCH = 500;

/** Writes consecutive new items (plain values) as one block sequence at column 0. */
function seqText(values: unknown[]): string {
  // Mirrors of one source share their content objects; write each in full, never as YAML anchors and aliases.
  return stringify(values, { ...YAML_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false });
}

/** Writes an edited item within the document it was read into, keeping the comment above it. */
function editedText(item: Item): string {
  const doc = item.doc!.clone();
  const seq = new YAMLSeq();
  seq.items = [item.node];
  liftHeadComment(item.node);
  doc.contents = seq;
  return doc.toString(WRITE_OPTIONS);
}
