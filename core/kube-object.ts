import { Interner } from './intern.ts';

/** The minimal shape of a Kubernetes object the core works with. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The metadata fields the core reads; others pass through untouched. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A namespace as the core sees it: its name, labels, and whether it is being deleted. */
export interface NamespaceInfo {
  name: string;
  labels: Readonly<Record<string, string>>;
  terminating?: boolean;
}

/** Identifies one namespaced object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Returns "namespace/name" for an object or reference. */
export function keyOf(obj: { namespace: string; name: string } | KubeObject): string {
  if ('metadata' in obj) return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  return `${obj.namespace}/${obj.name}`;
}

/** Returns an object's finalizers; a malformed list (hostile YAML) reads as none that are strings. */
export function finalizersOf(obj: KubeObject): string[] {
  const list = obj.metadata.finalizers;
  return Array.isArray(list) ? list.map((f) => (typeof f === 'string' ? f : '')) : [];
}

/** Returns the API group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Returns a string identifying the kind across versions ("Secret", "Ingress.networking.k8s.io"). */
export function groupKindOf(obj: { apiVersion: string; kind: string }): string {
  return groupKinds.get(obj.apiVersion).get(obj.kind);
}

// Every identity of a world names its kind: the same few apiVersion and kind pairs, for thousands of objects. Their
// answers are remembered (bounded: a world of many kinds starts over rather than grows).
const groupKinds = new Interner((apiVersion) => {
  const group = groupOf(apiVersion);
  return new Interner((kind) => (group === '' ? kind : `${kind}.${group}`), 256);
}, 256);

/** Returns the reference of an object. */
export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  };
}

/** Returns the typed reference ({group, kind, namespace, name}) that names an object as a source to plan. */
export function sourceRefOf(obj: ObjectRef | KubeObject): {
  group: string;
  kind: string;
  namespace: string;
  name: string;
} {
  const r = 'metadata' in obj ? refOf(obj) : obj;
  return { group: groupOf(r.apiVersion), kind: r.kind, namespace: r.namespace, name: r.name };
}

/** Returns a stable identity "Kind.group/namespace/name" used to compare and sort objects. */
export function identityOf(ref: ObjectRef | KubeObject): string {
  // Called for every object of a world, often more than once: no reference is made for it.
  if ('metadata' in ref) return `${groupKindOf(ref)}/${ref.metadata.namespace ?? ''}/${ref.metadata.name}`;
  return `${groupKindOf(ref)}/${ref.namespace}/${ref.name}`;
}

/** Splits a key made by keyOf back into its namespace and name (keyOf's inverse; names never hold a slash). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Splits an identity made by identityOf back into its group-kind, namespace and name (identityOf's inverse). */
export function splitIdentity(identity: string): { groupKind: string; namespace: string; name: string } {
  const first = identity.indexOf('/');
  const last = identity.lastIndexOf('/');
  if (first < 0 || first === last) return { groupKind: '', namespace: '', name: identity };
  return {
    groupKind: identity.slice(0, first),
    namespace: identity.slice(first + 1, last),
    name: identity.slice(last + 1),
  };
}

/** Parses "namespace/name" into its parts, or returns undefined when it is not of that form. */
export function parseKey(value: string): { namespace: string; name: string } | undefined {
  const parts = value.trim().split('/');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (!isDnsLabel(namespace) || !isDnsSubdomain(name)) return undefined;
  return { namespace, name };
}

/** Returns true when the value is a valid namespace name (RFC 1123 label). */
export function isDnsLabel(value: string): boolean {
  return value.length > 0 && value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** Returns true when the value is a valid object name (RFC 1123 subdomain). */
export function isDnsSubdomain(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
  );
}

/**
 * Returns true when the value is a safe object name: an RFC 1123 subdomain, or for kinds with laxer names (RBAC's
 * "system:..." roles) letters, digits and `-._:@+`, never "." or ".." (names become file paths in reflect-fn).
 */
export function isObjectName(value: string): boolean {
  if (isDnsSubdomain(value)) return true;
  return value.length <= 253 && /^[A-Za-z0-9._:@+-]+$/.test(value) && value !== '.' && value !== '..';
}
