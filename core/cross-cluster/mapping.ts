// How a remote object, a local object, a local namespace and a local Secret map to one synced pair.
import { isDnsLabel, isDnsSubdomain, isObjectName } from '../kube-object.ts';

/** The naming rules of Teleport's sync-controller: a required namespace prefix and two suffixes. */
export interface PairNaming {
  /** Remote objects must end with it; it is removed from the local object's name. */
  remoteResourceSuffix: string;
  /** Appended to the remote namespace to name the local namespace. */
  localNamespaceSuffix: string;
  /** Namespaces (remote, and local before the suffix) must start with it; others are ignored. */
  namespacePrefix: string;
  /**
   * The remote namespaces watched (--remote-namespaces); others are ignored on both sides, so a local namespace whose
   * remote namespace is not watched never looks like one whose remote object was deleted. Undefined: all.
   */
  remoteNamespaces?: readonly string[];
}

/** One synced pair: the remote namespace and the object's base name (the local name). */
export interface PairKey {
  namespace: string;
  name: string;
}

/** Where each side of a pair lives. */
export interface PairLocation {
  remote: { namespace: string; name: string };
  local: { namespace: string; name: string };
}

/** Returns the pair a remote object belongs to, or undefined when the prefix or suffix is missing (ignored). */
export function pairOfRemote(naming: PairNaming, namespace: string, name: string): PairKey | undefined {
  if (!remoteNamespaceSynced(naming, namespace)) return undefined;
  if (!name.endsWith(naming.remoteResourceSuffix) || name.length === naming.remoteResourceSuffix.length)
    return undefined;
  return { namespace, name: name.slice(0, name.length - naming.remoteResourceSuffix.length) };
}

/** Returns the remote namespace a local namespace stands for, or undefined when it does not match the naming. */
export function remoteNamespaceOfLocal(naming: PairNaming, localNamespace: string): string | undefined {
  const suffix = naming.localNamespaceSuffix;
  if (!localNamespace.endsWith(suffix) || localNamespace.length === suffix.length) return undefined;
  const remote = localNamespace.slice(0, localNamespace.length - suffix.length);
  return remoteNamespaceSynced(naming, remote) ? remote : undefined;
}

/** True when a remote namespace is synced at all: it has the prefix and, with --remote-namespaces, is listed. */
export function remoteNamespaceSynced(naming: PairNaming, namespace: string): boolean {
  if (!namespace.startsWith(naming.namespacePrefix)) return false;
  return naming.remoteNamespaces === undefined || naming.remoteNamespaces.includes(namespace);
}

/** Returns the pair a local object belongs to, or undefined when its namespace does not match the naming. */
export function pairOfLocal(naming: PairNaming, namespace: string, name: string): PairKey | undefined {
  const remote = remoteNamespaceOfLocal(naming, namespace);
  return remote === undefined ? undefined : { namespace: remote, name };
}

/** Returns the pair whose local namespace this is, from its owner annotation; undefined for namespaces we did not create. */
export function pairOfLocalNamespace(
  naming: PairNaming,
  name: string,
  annotations: Readonly<Record<string, string>> | undefined,
  ownerAnnotation: string,
): PairKey | undefined {
  const owner = annotations?.[ownerAnnotation];
  const remote = remoteNamespaceOfLocal(naming, name);
  return owner && remote !== undefined ? { namespace: remote, name: owner } : undefined;
}

/** Returns where the remote and local objects of a pair live. */
export function locate(naming: PairNaming, key: PairKey): PairLocation {
  return {
    remote: { namespace: key.namespace, name: key.name + naming.remoteResourceSuffix },
    local: { namespace: key.namespace + naming.localNamespaceSuffix, name: key.name },
  };
}

/** True when the local namespace name of a pair is a valid namespace name (the suffix can make it too long). */
export function validLocalNamespace(naming: PairNaming, key: PairKey): boolean {
  return isDnsLabel(key.namespace + naming.localNamespaceSuffix);
}

/**
 * True when the local object name of a pair is as valid as the remote one (removing the suffix can leave "db." or
 * "db-"): an RFC 1123 subdomain, or for kinds with laxer names (the remote's is not one) a safe object name.
 */
export function validLocalName(naming: PairNaming, key: PairKey): boolean {
  if (isDnsSubdomain(key.name)) return true;
  return !isDnsSubdomain(key.name + naming.remoteResourceSuffix) && isObjectName(key.name);
}

/** Returns "namespace/name", the pair's queue key. */
export function pairKeyString(key: PairKey): string {
  return `${key.namespace}/${key.name}`;
}
