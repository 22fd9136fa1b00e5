/**
 * kustomize's legacy plugin stream (one object per YAML document) and `kubectl reflect render`'s input: each document
 * is kept as the text it was read from, so objects reflect-fn does not change leave byte for byte.
 */
import type { Document, YAMLMap } from 'yaml';
import { stringify } from 'yaml';
import type { NodeItem } from './items.ts';
import { itemValue, StreamTextItem } from './items.ts';
import type { Item } from './krm-types.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';
import { isEmptyDocument } from './yaml-text.ts';
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

function withText(item: StreamTextItem, text: string): StreamTextItem {
  return new StreamTextItem(text, item.doc, item.node, item.value, item.where, item.origin);
}

/** Writes a stream of items: kept documents as their text, edited ones within their document, new ones from values. */
export function writeStream(items: readonly Item[]): string {
  let out = '';
  for (const item of items) {
    let piece: string;
    if (item.kind === 'text') piece = item.text;
    else {
      const body =
        item.kind === 'parsed'
          ? editedDocument(item)
          : stringify(item.value, { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false });
      piece = out === '' || /(?:^|\n)---[ \t]*\n?$/.test(out) ? body : `---\n${body}`;
    }
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += piece;
  }
  return out;
}

function editedDocument(item: NodeItem): string {
  const doc = item.doc?.clone();
  if (doc === undefined) return stringify(item.node, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
  doc.contents = item.node;
  // A document that started with `---` writes it again; the writer adds the only separator we want.
  return doc.toString(WRITE_OPTIONS).replace(/^---\n/, '');
}
