/**
 * A ResourceList that is not in block style (flow style, or JSON), read and written on the `yaml` package's Document
 * API: comments, key order and quoting survive, but the layout of unchanged items is the package's, not the input's.
 */
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import { itemValue, NodeItem } from './items.ts';
import { liftHeadComment, newNode } from './item-edit.ts';
import type { Item, KrmResult } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import type { ResourceList } from './resource-list.ts';
import { WRITE_OPTIONS } from './yaml-options.ts';
import { ValueReader } from './yaml-value.ts';

/** Reads the items and functionConfig of a ResourceList document; throws an InputError when `items` is malformed. */
export function readDocumentResourceList(doc: Document): ResourceList {
  const root = doc.contents;
  if (!isMap(root)) throw new InputError('stdin is not a ResourceList');
  let seq: unknown = root.get('items', true);
  if (seq === undefined || seq === null || (isScalar(seq) && seq.value === null)) {
    seq = newNode([]) as YAMLSeq;
    root.set('items', seq);
  }
  if (!isSeq(seq)) throw new InputError('ResourceList.items is not a list');
  const list = seq;
  // One reader in document order: an item may alias an anchor set in an earlier one.
  const reader = new ValueReader();
  const items: Item[] = [];
  let functionConfig: unknown;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (pair.value === list) {
      list.items.forEach((node, i) => {
        const where = `ResourceList.items[${i}]`;
        // An item that is not a map is reported by the planner's world and never edited.
        items.push(new NodeItem(node as YAMLMap, itemValue(reader, node, where), where, false));
      });
    } else {
      const v = itemValue(reader, pair.value, `ResourceList.${String(key)}`);
      if (key === 'functionConfig') functionConfig = v;
    }
  }
  const write = (out: readonly Item[], results: readonly KrmResult[]) => {
    list.items = out.map((item) => item.node);
    for (const item of out) liftHeadComment(item.node);
    if (results.length > 0) doc.set('results', newNode(results));
    else doc.delete('results');
    return [doc.toString(WRITE_OPTIONS)];
  };
  return { items, functionConfig, write };
}
