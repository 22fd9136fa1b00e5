/**
 * Edits of item nodes that keep everything they do not change: a value equal to the wanted one is left as it was
 * written (comments, quoting, block style), nested maps are edited key by key, and new keys go at the end.
 */
import type { Node } from 'yaml';
import { Document, isMap, isScalar, isSeq, visit, YAMLMap } from 'yaml';
import type { KubeObject } from '../core/index.ts';
import { canonicalEqual, contentFieldsOf } from '../core/index.ts';
import { isOrchestratorKey } from './kpt-annotations.ts';
import { KEEP_FORMAT, YAML_OPTIONS } from './yaml-options.ts';

const factory = new Document(undefined, YAML_OPTIONS);

/** Returns a new YAML node for a plain value (objects become block maps, strings are quoted as YAML 1.1 needs). */
export function newNode(value: unknown): Node {
  return factory.createNode(value, { aliasDuplicateObjects: false }) as Node;
}

/**
 * Returns a copy of an item's node edited to carry a planned object: its content exactly, and its labels and
 * annotations. With `prune`, labels and annotations the object does not set are removed (except orchestrator ones).
 */
export function editedNode(node: YAMLMap, value: unknown, desired: KubeObject, prune: boolean): YAMLMap {
  const out = node.clone() as YAMLMap;
  keepScalarText(out);
  const live = asRecord(value);
  const liveMeta = asRecord(live.metadata);
  const meta = ensureMap(out, 'metadata');
  for (const field of ['labels', 'annotations'] as const) {
    const wanted = desired.metadata[field] ?? {};
    const liveMap = asRecord(liveMeta[field]);
    const current = meta.get(field, true);
    if (prune && isMap(current)) {
      for (const key of Object.keys(liveMap)) {
        if (!(key in wanted) && !(field === 'annotations' && isOrchestratorKey(key))) current.delete(key);
      }
    }
    if (Object.keys(wanted).length === 0) continue;
    const map = ensureMap(meta, field);
    for (const [key, v] of Object.entries(wanted)) syncKey(map, liveMap, key, v);
  }
  for (const key of contentFieldsOf(desired, live, desired)) syncKey(out, live, key, desired[key]);
  return out;
}

/**
 * Returns a copy of an item's node without the finalizers the plan releases (each only where the plan saw it), and
 * without `metadata.finalizers` when none is left; everything else is kept as written.
 */
export function releasedNode(node: YAMLMap, releases: readonly { finalizer: string; index: number }[]): YAMLMap {
  const out = node.clone() as YAMLMap;
  const meta = out.get('metadata', true);
  const list = isMap(meta) ? meta.get('finalizers', true) : undefined;
  if (!isMap(meta) || !isSeq(list)) return out;
  // From the last index down, so removing one does not move the next.
  for (const r of [...releases].sort((a, b) => b.index - a.index)) {
    const at = list.items[r.index];
    if (isScalar(at) && at.value === r.finalizer) list.items.splice(r.index, 1);
  }
  if (list.items.length === 0) meta.delete('finalizers');
  return out;
}

/** Makes `map[key]` equal `wanted` (absent when undefined), editing nested maps in place. */
function syncKey(map: YAMLMap, live: Record<string, unknown>, key: string, wanted: unknown): void {
  if (wanted === undefined) {
    map.delete(key);
    return;
  }
  const current = map.get(key, true);
  const liveValue = live[key];
  if (isMap(current) && isPlainObject(wanted) && isPlainObject(liveValue)) {
    for (const k of Object.keys(liveValue)) if (!(k in wanted)) current.delete(k);
    for (const [k, v] of Object.entries(wanted)) syncKey(current, liveValue, k, v);
    return;
  }
  if (current !== undefined && liveValue !== undefined && canonicalEqual(liveValue, wanted)) return;
  if (isScalar(current) && isScalarValue(wanted)) {
    // Replace the value but keep the node, and with it the comments around it.
    const block = current.type === 'BLOCK_LITERAL' || current.type === 'BLOCK_FOLDED';
    current.value = wanted;
    current.tag = undefined;
    current.format = undefined;
    if (!(block && typeof wanted === 'string' && wanted.includes('\n'))) current.type = undefined;
    return;
  }
  map.set(key, newNode(wanted));
}

/**
 * Marks every one-line scalar read from text to be written back as that text, so that re-writing an edited item
 * leaves the bytes of what the edit did not touch (`0x1F`, `16:9`, 'quotes'); an edited scalar loses the mark.
 */
function keepScalarText(node: unknown): void {
  visit(node as Node, {
    Scalar(_key, scalar) {
      const source = (scalar.srcToken as { type?: string; source?: string } | undefined) ?? {};
      if (FLOW_SCALARS.has(source.type ?? '') && source.source !== undefined && !/[\n\r]/.test(source.source)) {
        scalar.format = KEEP_FORMAT;
      }
    },
  });
}

const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function ensureMap(parent: YAMLMap, key: string): YAMLMap {
  const current = parent.get(key, true);
  if (isMap(current)) return current;
  const map = new YAMLMap();
  parent.set(key, map);
  return map;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

// `yaml` writes a comment at the head of a sequence item before the `- `; kpt copies the file's comment back by id,
// so it would appear twice. Attaching it to the first key keeps it where the file had it.
/** Moves the comment above a map to its first key, where kpt expects it. */
export function liftHeadComment(node: YAMLMap): void {
  if (node.commentBefore === undefined || node.commentBefore === null) return;
  const first = node.items[0];
  if (first === undefined || !isScalar(first.key)) return;
  const key = first.key;
  key.commentBefore = key.commentBefore ? `${node.commentBefore}\n${key.commentBefore}` : node.commentBefore;
  node.commentBefore = null;
}
