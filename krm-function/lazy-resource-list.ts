/**
 * A block-style ResourceList (what kpt and kustomize send), read as the text of each item: unchanged items are written
 * back byte for byte, and only edited and new items are written by the `yaml` package. Items are parsed only when
 * something reads them, unless an alias may cross items: then the whole list is read as the one document it is.
 */
import type { Document, Node } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, stringify, YAMLSeq } from 'yaml';
import type { ResourceListText } from './item-splitter.ts';
import { indentLines, mayHaveAlias, splitResourceList, withoutTopLevelKey } from './item-splitter.ts';
import { itemValue, LazyTextItem } from './items.ts';
import { liftHeadComment } from './item-edit.ts';
import type { Item, KrmResult, ParsedItem } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import type { ResourceList } from './resource-list.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';
import { simpleResults, simpleSeqEntry } from './simple-yaml.ts';
import { parseOne } from './yaml-text.ts';
import { ValueError, ValueReader } from './yaml-value.ts';

/**
 * Reads a block-style ResourceList; undefined when the input is not one (the caller reads it as a document). `whole`
 * reads it as one document even without aliases: the differential test holds both reads to the same output.
 */
export function readBlockResourceList(text: string, whole = mayHaveAlias(text)): ResourceList | undefined {
  const split = splitResourceList(text);
  if (split === undefined) return undefined;
  return whole ? readWhole(text, split) : readLazily(split);
}

function readLazily(split: ResourceListText): ResourceList | undefined {
  let header: Document;
  try {
    header = parseOne(split.head + split.tail, 'stdin');
  } catch {
    return undefined; // the document path reports it with the right line
  }
  let value: unknown;
  try {
    value = new ValueReader().read(header.contents);
  } catch (err) {
    if (err instanceof ValueError) throw new InputError(`ResourceList: ${err.message}`);
    throw err;
  }
  const { kind, functionConfig } = (isRecord(value) ? value : {}) as { kind?: unknown; functionConfig?: unknown };
  if (kind !== 'ResourceList') return undefined;
  const items = split.items.map((t, i) => new LazyTextItem(t.text, t.line, `ResourceList.items[${i}]`));
  return { items, functionConfig, write: textWriter(split) };
}

/** Reads the whole list as one document (anchors are document-wide), keeping each item's text for writing. */
function readWhole(text: string, split: ResourceListText): ResourceList | undefined {
  let doc: Document;
  try {
    doc = parseOne(text, 'stdin');
  } catch (err) {
    // Name the item the error is in, as the fast path does.
    const line = Number(/at line (\d+)/.exec((err as Error).message)?.[1]);
    const i = split.items.findLastIndex((t) => t.line <= line);
    if (!(err instanceof InputError) || i < 0 || line >= (split.items[i + 1]?.line ?? Infinity)) throw err;
    throw new InputError(
      err.message.replace('stdin is not valid YAML: ', `stdin is not valid YAML: ResourceList.items[${i}]: `),
    );
  }
  const root = doc.contents;
  if (!isMap(root) || root.get('kind') !== 'ResourceList') return undefined;
  const seq = root.get('items', true);
  if (!isSeq(seq) || seq.items.length !== split.items.length) return undefined;
  const reader = new ValueReader();
  const values: unknown[] = [];
  let functionConfig: unknown;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key === 'items') {
      seq.items.forEach((node, i) => values.push(itemValue(reader, node, `ResourceList.items[${i}]`)));
    } else {
      const v = itemValue(reader, pair.value, `ResourceList.${String(key)}`);
      if (key === 'functionConfig') functionConfig = v;
    }
  }
  const shared = itemsSharingAnchors(
    root.items.map((p) => p.value as Node | null),
    seq,
  );
  const items = split.items.map(
    (t, i) =>
      new LazyTextItem(t.text, t.line, `ResourceList.items[${i}]`, { value: values[i], sharesAnchors: shared.has(i) }),
  );
  return { items, functionConfig, write: textWriter(split) };
}

/** The indexes of items that hold an anchor another part of the list aliases, or alias an anchor outside them. */
function itemsSharingAnchors(topLevel: readonly (Node | null)[], seq: YAMLSeq): Set<number> {
  const owner = new Map<string, number>(); // anchor name -> item index (-1: outside the items)
  const shared = new Set<number>();
  const walk = (node: unknown, at: number): void => {
    if (isAlias(node)) {
      const from = owner.get(node.source);
      if (from !== undefined && from !== at) {
        shared.add(at);
        shared.add(from);
      }
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor !== undefined) owner.set(anchor, at);
    if (isMap(node) || isSeq(node)) for (const child of node.items) walk(child, at);
    else if (isPair(node)) {
      walk(node.key, at);
      walk(node.value, at);
    }
  };
  for (const node of topLevel) {
    if (node === seq) seq.items.forEach((item, i) => walk(item, i));
    else walk(node, -1);
  }
  shared.delete(-1);
  return shared;
}

/** The writer of a list read as text: kept items as their text, edited ones re-written, new ones in batches. */
function textWriter(split: ResourceListText): ResourceList['write'] {
  return (out: readonly Item[], results: readonly KrmResult[]): string[] => {
    const parts: string[] = [withoutTopLevelKey(split.head, 'results')];
    const fresh: unknown[] = [];
    const flush = () => {
      if (fresh.length === 0) return;
      parts.push(indentLines(seqText(fresh), split.indent));
      fresh.length = 0;
    };
    for (const item of out) {
      if (item.kind === 'text') {
        flush();
        parts.push(item.text);
      } else if (item.kind === 'parsed') {
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
      tail += simpleResults(results) ?? stringify({ results }, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
    }
    if (tail !== '' && !endsWithNewline(parts)) parts.push('\n');
    parts.push(tail);
    if (split.trailer !== '' && !endsWithNewline(parts)) parts.push('\n');
    parts.push(split.trailer);
    return parts;
  };
}

/** True when the text the pieces make ends with a newline. */
function endsWithNewline(parts: readonly string[]): boolean {
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return parts[i]!.endsWith('\n');
  return false;
}

// New items are written in batches, so a package that gains 100,000 mirrors never holds all their nodes at once.
const BATCH = 500;

/** Writes consecutive new items (plain values) as one block sequence at column 0. */
function seqText(values: unknown[]): string {
  const parts: string[] = [];
  let from = 0; // the first value not yet written
  const viaPackage = (to: number) => {
    // Mirrors of one source share their content objects; write each in full, never as YAML anchors and aliases.
    const rest = values.slice(from, to);
    if (rest.length > 0)
      parts.push(stringify(rest, { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false }));
  };
  values.forEach((value, i) => {
    const text = simpleSeqEntry(value);
    if (text === undefined) return;
    viaPackage(i);
    parts.push(text);
    from = i + 1;
  });
  viaPackage(values.length);
  return parts.join('');
}

/** Writes an edited item within the document it was read into, keeping the comment above it. */
function editedText(item: ParsedItem): string {
  const doc = item.doc === undefined ? undefined : item.doc.clone();
  const seq = new YAMLSeq();
  seq.items = [item.node];
  liftHeadComment(item.node);
  if (doc === undefined) return stringify(seq, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
  doc.contents = seq;
  return doc.toString(WRITE_OPTIONS);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
