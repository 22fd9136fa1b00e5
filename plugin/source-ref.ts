// The SOURCE argument: `[kind/]name`, as kubectl spells resources; the kind resolves through discovery, as --kinds does.
import type { SourceRef } from '../core/index.ts';
import { groupOf } from '../core/index.ts';
import type { ResourceType } from '../kube/resource-type.ts';

/** A source named on the command line: a kind as typed (secret when none was) and a name. */
export interface SourceArg {
  kind: string;
  name: string;
}

/** Parses `[kind/]name`; throws an Error with a usable message when it is malformed. */
export function parseSourceArg(text: string): SourceArg {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new Error(`"${text}" is not [kind/]name (for example secret/db, configmap/settings, cm/settings or db)`);
  }
  if (parts.length === 1) return { kind: 'secret', name: parts[0] ?? '' };
  return { kind: parts[0] ?? '', name: parts[1] ?? '' };
}

/** Returns the typed reference of the source an argument names, once its kind is resolved. */
export function sourceRefFor(type: ResourceType, namespace: string, name: string): SourceRef {
  return { group: type.group, kind: type.kind, namespace, name };
}

/** Returns true when an object (or reference) is the one a source reference names. */
export function isNamed(ref: SourceRef, obj: { apiVersion: string; kind: string; namespace: string; name: string }) {
  return (
    obj.name === ref.name &&
    obj.namespace === ref.namespace &&
    obj.kind === ref.kind &&
    groupOf(obj.apiVersion) === ref.group
  );
}

/** Returns how kubectl names an object in `-o name` and in messages: `secret/db`, `networkpolicy.networking.k8s.io/x`. */
export function resourceName(obj: { kind: string; apiVersion: string; name: string }): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${obj.name}`;
}
