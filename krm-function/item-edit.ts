/**
 * Edits of item nodes that keep everything they do not change: a value equal to the wanted one is left as it was
 * written (comments, quoting, block style), nested maps are edited key by key, and new keys go at the end.
 */
import type { Node } from 'yaml';
import { Document, isMap, isScalar, YAMLMap } from 'yaml';
import type { KubeObject } from '../core/index.ts';
import { canonicalJson, groupKindOf } from '../core/index.ts';
import { YAML_OPTIONS } from './yaml-options.ts';

const factory = new Document(undefined, YAML_OPTIONS);

/** Returns a new YAML node for a plain value (objects become block maps, strings are quoted as YAML 1.1 needs). */
export function newNode(value: unknown): Node {
  return factory.createNode(value, { aliasDuplicateObjects: false }) as Node;
}

/** Annotation prefixes of orchestrators (kpt, kustomize): never pruned from an item, never invented. */
export const ORCHESTRATOR_PREFIXES = [
  'config.kubernetes.io/',
  'internal.config.kubernetes.io/',
  'config.k8s.io/',
  'kustomize.config.k8s.io/',
] as const;

/** Returns true when an annotation belongs to the orchestrator running the function. */
export function isOrchestratorKey(key: string): boolean {
  return ORCHESTRATOR_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Returns a copy of an item's node edited to carry a planned object: its content exactly, and its labels and
 * annotations. With `prune`, labels and annotations the object does not set are removed (except orchestrator ones).
 */
export function editedNode(node: YAMLMap, value: unknown, desired: KubeObject, prune: boolean): YAMLMap {
  const out = node.clone() as YAMLMap;
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
  for (const key of contentKeys(live, desired)) syncKey(out, live, key, desired[key]);
  return out;
}

/** The top-level fields that make up an object's content for its kind (what a mirror copies). */
function contentKeys(live: Record<string, unknown>, desired: KubeObject): string[] {
  const gk = groupKindOf(desired);
  if (gk === 'Secret') return ['type', 'data', 'stringData', 'immutable'];
  if (gk === 'ConfigMap') return ['data', 'binaryData', 'immutable'];
  const keys = new Set([...Object.keys(live), ...Object.keys(desired)]);
  for (const k of ['apiVersion', 'kind', 'metadata', 'status']) keys.delete(k);
  return [...keys];
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
  if (current !== undefined && liveValue !== undefined && canonicalJson(liveValue) === canonicalJson(wanted)) return;
  if (isScalar(current) && isScalarValue(wanted)) {
    // Replace the value but keep the node, and with it the comments around it.
    const block = current.type === 'BLOCK_LITERAL' || current.type === 'BLOCK_FOLDED';
    current.value = wanted;
    current.tag = undefined;
    if (!(block && typeof wanted === 'string' && wanted.includes('\n'))) current.type = undefined;
    return;
  }
  map.set(key, newNode(wanted));
}

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
