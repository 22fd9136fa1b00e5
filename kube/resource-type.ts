// What identifies a kind of object on the wire: group, version, plural resource, kind and scope.

/** One REST resource, as discovery reports it. */
export interface ResourceType {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name used in URLs ("secrets"). */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** Returns "group/version", or "version" for the core group. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Returns "resource.group" ("secrets" for the core group), the name kubectl and RBAC use. */
export function resourceLabel(type: ResourceType): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** Returns the URL path of a collection or one object: /api/v1/namespaces/ns/secrets[/name]. */
export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${type.resource}${obj}`;
}

/** Secrets (core/v1). */
export const SECRETS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
};
/** ConfigMaps (core/v1). */
export const CONFIGMAPS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};
/** Namespaces (core/v1, cluster-scoped). */
export const NAMESPACES: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};
/** Leases (coordination.k8s.io/v1), for leader election. */
export const LEASES: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
};
/** Events (events.k8s.io/v1), for reporting findings on objects. */
export const EVENTS: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
};

/** The built-in resource types kube-reflect uses without discovery. */
export const BUILTIN_RESOURCE_TYPES: readonly ResourceType[] = [SECRETS, CONFIGMAPS, NAMESPACES, LEASES, EVENTS];

/** Parses "GROUP/VERSION/RESOURCE" or "v1/RESOURCE" (core group). */
export function parseSyncResource(text: string): { group: string; version: string; resource: string } {
  const parts = text.trim().split('/');
  const ok = (s: string | undefined): s is string => s !== undefined && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s);
  if (parts.length === 2 && ok(parts[0]) && ok(parts[1])) return { group: '', version: parts[0], resource: parts[1] };
  if (parts.length === 3 && ok(parts[0]) && ok(parts[1]) && ok(parts[2]))
    return { group: parts[0], version: parts[1], resource: parts[2] };
  throw new Error(`--sync-resource "${text}": use GROUP/VERSION/RESOURCE, or v1/RESOURCE for the core group`);
}
