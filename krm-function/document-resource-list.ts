/**
 * Reading and writing the two wire formats reflect-fn speaks, on the `yaml` package's Document API so that comments,
 * key order and quoting of every input item survive: a KRM `ResourceList`, and kustomize's legacy plugin stream.
 */
import type { YAMLMap, YAMLSeq } from 'yaml';
import { Document, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { newNode } from './item-edit.ts';
import { readTextResourceList } from './text-resource-list.ts';
import { WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';

/** One object of a package: its node (kept as parsed, with comments) and its plain value. */
export interface Item {
  readonly node: YAMLMap;
  readonly value: unknown;
  /** Set on items read as text and unchanged since: they are written back exactly as read. */
  readonly text?: string;
  /** The document an item read as text was parsed into; it keeps the comment above the item. */
  readonly doc?: Document;
  /** The index of the input document it came from, in the legacy stream. */
  origin?: number;
}

/** One entry of a ResourceList's `results`, as the KRM functions specification defines it. */
export interface KrmResult {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

/** Input that is not YAML, or not the shape the protocol requires; reflect-fn exits 2 with its message. */
export class InputError extends Error {}

/** A parsed input: every YAML document of stdin, in order. */
export interface ParsedInput {
  docs: Document[];
}

/** Parses stdin into YAML documents; throws an InputError naming the line and column of the first syntax error. */
export function parseInput(text: string, what = 'stdin'): ParsedInput {
  const parsed = parseAllDocuments(text, YAML_OPTIONS);
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const [i, doc] of docs.entries()) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const which = docs.length > 1 ? ` (document ${i + 1})` : '';
      throw new InputError(`${what} is not valid YAML${which}: ${error.message.trim()}`);
    }
  }
  return { docs: docs.filter((d) => d.contents !== null) };
}

/** Returns the `kind` of a parsed input when it is one mapping document, else undefined. */
export function singleKind(input: ParsedInput): string | undefined {
  const [only, ...rest] = input.docs;
  if (only === undefined || rest.length > 0 || !isMap(only.contents)) return undefined;
  const kind = only.contents.get('kind');
  return typeof kind === 'string' ? kind : undefined;
}

/** A ResourceList read from stdin: its items and functionConfig, and how to write it back with new items. */
export interface ResourceList {
  items: Item[];
  functionConfig: unknown;
  write(items: readonly Item[], results: readonly KrmResult[]): string;
}

/** Reads a ResourceList from stdin text, on the fast path when it can; undefined when the input is not one. */
export function readResourceListText(text: string): ResourceList | undefined {
  const fast = readTextResourceList(text);
  if (fast !== undefined) return fast;
  const input = parseInput(text);
  return singleKind(input) === 'ResourceList' ? readResourceList(input.docs[0]!) : undefined;
}

/** Reads the items and functionConfig of a ResourceList document; throws an InputError when `items` is malformed. */
export function readResourceList(doc: Document): ResourceList {
  const value = (doc.toJS({ maxAliasCount: -1 }) ?? {}) as { items?: unknown; functionConfig?: unknown };
  let seq = doc.get('items', true);
  if (seq === undefined || seq === null || (isScalar(seq) && seq.value === null)) {
    seq = newNode([]) as YAMLSeq;
    doc.set('items', seq);
  }
  if (!isSeq(seq)) throw new InputError('ResourceList.items is not a list');
  const values = Array.isArray(value.items) ? value.items : [];
  const items = seq.items.map((node, i) => {
    if (!isMap(node)) throw new InputError(`ResourceList.items[${i}] is not an object`);
    return { node, value: values[i] };
  });
  const list = seq;
  const write = (out: readonly Item[], results: readonly KrmResult[]) => {
    list.items = out.map((item) => item.node);
    for (const item of out) liftHeadComment(item.node);
    if (results.length > 0) doc.set('results', newNode(results));
    else doc.delete('results');
    return doc.toString(WRITE_OPTIONS);
  };
  return { items, functionConfig: value.functionConfig, write };
}

/** Reads kustomize's legacy plugin input: a stream of objects, one per document. */
export function readStream(input: ParsedInput): Item[] {
  return input.docs.map((doc, i) => {
    if (!isMap(doc.contents)) throw new InputError(`document ${i + 1} on stdin is not an object`);
    return { node: doc.contents, value: doc.toJS({ maxAliasCount: -1 }), origin: i };
  });
}

/** Writes a stream of objects; items read from the input keep their document's comments and directives. */
export function writeStream(input: ParsedInput, items: readonly Item[]): string {
  return items
    .map((item) => {
      const doc = (item.origin === undefined ? undefined : input.docs[item.origin]) ?? newDocument();
      doc.contents = item.node;
      // A document that started with `---` writes it again; the separator below is the only one we want.
      return doc.toString(WRITE_OPTIONS).replace(/^---\n/, '');
    })
    .join('---\n');
}

// `yaml` writes a comment at the head of a sequence item before the `- `; kpt copies the file's comment back by id,
// so it would appear twice. Attaching it to the first key keeps it where the file had it.
export function liftHeadComment(node: YAMLMap): void {
  if (node.commentBefore === undefined || node.commentBefore === null) return;
  const first = node.items[0];
  if (first === undefined || !isScalar(first.key)) return;
  const key = first.key;
  key.commentBefore = key.commentBefore ? `${node.commentBefore}\n${key.commentBefore}` : node.commentBefore;
  node.commentBefore = null;
}

function newDocument(): Document {
  return new Document(undefined, YAML_OPTIONS);
}
