/** Findings and config problems as KRM `results`, pointing at the item (and file) they are about. */
import type { Finding } from '../core/index.ts';
import type { ConfigProblem, ConfigRef } from './function-config.ts';
import { itemMetaOf } from './item-meta.ts';
import type { Item, KrmResult } from './resource-list.ts';

const PATH_KEYS = ['internal.config.kubernetes.io/path', 'config.kubernetes.io/path'];
const INDEX_KEYS = ['internal.config.kubernetes.io/index', 'config.kubernetes.io/index'];

/** Returns the result for a finding; `item` is the package item it is about, when there is one. */
export function findingResult(finding: Finding, item: Item | undefined): KrmResult {
  const ref = finding.object;
  const meta = record(record(item?.value).metadata);
  // Name the namespace as the item spells it: an item without one was only planned in the default namespace.
  const namespace = item === undefined ? ref.namespace : typeof meta.namespace === 'string' ? meta.namespace : '';
  const result: KrmResult = {
    message: finding.message,
    severity: finding.severity,
    resourceRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, ...(namespace ? { namespace } : {}) },
  };
  if (finding.annotation !== undefined) result.field = { path: `metadata.annotations[${finding.annotation}]` };
  const file = item === undefined ? undefined : fileOf(item);
  if (file !== undefined) result.file = file;
  result.tags = { reason: finding.reason };
  return result;
}

/** Returns the result for a problem with the function config. */
export function configResult(problem: ConfigProblem, ref: ConfigRef | undefined): KrmResult {
  const result: KrmResult = { message: `function config: ${problem.message}`, severity: 'error' };
  if (ref !== undefined && ref.kind !== '' && ref.apiVersion !== '') {
    result.resourceRef = { ...ref };
    result.field = { path: problem.field };
  }
  return result;
}

/** Returns the file an item was read from (kpt's path and index annotations), when it says. */
export function fileOf(item: Item): { path: string; index?: number } | undefined {
  const quick = itemMetaOf(item);
  const annotations = quick?.annotations ?? record(record(record(item.value).metadata).annotations);
  const path = PATH_KEYS.map((k) => annotations[k]).find((v) => typeof v === 'string');
  if (typeof path !== 'string') return undefined;
  const index = INDEX_KEYS.map((k) => annotations[k]).find((v) => v !== undefined);
  const n = Number(index);
  return index === undefined || !Number.isInteger(n) ? { path } : { path, index: n };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
