/** Findings and config problems as KRM `results`, pointing at the item (and file) they are about. */
import type { Finding } from '../core/index.ts';
import type { ConfigProblem, ConfigRef } from './function-config.ts';
import type { Item, KrmResult } from './krm-types.ts';

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
  const file = item?.file();
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

/** Returns the error result for an item reflect-fn cannot take as an object (see ItemProblem). */
export function itemProblemResult(item: Item, message: string, annotation?: string): KrmResult {
  const where = item.kind === 'new' ? 'a generated item' : item.where;
  const value = record(item.value);
  const meta = record(value.metadata);
  const result: KrmResult = { message: `${where}: ${message}`, severity: 'error' };
  const { apiVersion, kind } = value;
  if (typeof apiVersion === 'string' && typeof kind === 'string' && typeof meta.name === 'string') {
    const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? { namespace: meta.namespace } : {};
    result.resourceRef = { apiVersion, kind, name: meta.name, ...ns };
  }
  if (annotation !== undefined) result.field = { path: `metadata.annotations[${annotation}]` };
  const file = item.file();
  if (file !== undefined) result.file = file;
  result.tags = { reason: 'InvalidItem' };
  return result;
}

/** Returns the result for an item the plan would change but that shares a YAML anchor with another item. */
export function sharedAnchorResult(item: Item, described: string): KrmResult {
  const result: KrmResult = {
    message:
      `${described} shares a YAML anchor with another item, so reflect-fn cannot change it without changing ` +
      'that item too; it is left as it is: write the aliased part out in full',
    severity: 'error',
  };
  const file = item.file();
  if (file !== undefined) result.file = file;
  result.tags = { reason: 'SharedYamlAnchor' };
  return result;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
