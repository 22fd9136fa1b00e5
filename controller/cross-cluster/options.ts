// The cross-cluster flags of reflect-controller, parsed and checked (the flags themselves are declared in ../options.ts).
import type { PropagationPolicy } from '../../core/cross-cluster/index.ts';
import { parseSyncResource } from '../../kube/resource-type.ts';

export { parseSyncResource };

/** Cross-cluster settings, present only when --remote-kubeconfig is given. */
export interface CrossClusterOptions {
  remoteKubeconfig: string;
  /** GROUP/VERSION/RESOURCE, or VERSION/RESOURCE for the core group. */
  syncResources: Array<{ group: string; version: string; resource: string }>;
  remoteResourceSuffix: string;
  localNamespaceSuffix: string;
  namespacePrefix: string;
  /** Remote namespaces to watch, each on its own (RoleBindings suffice on the remote); undefined: all. */
  remoteNamespaces?: string[];
  localSecretNames: string[];
  propagationPolicy: PropagationPolicy;
  teleportAnnotations: boolean;
}

/** The raw flag values ../options.ts collects. */
export interface CrossClusterFlags {
  remoteKubeconfig?: string;
  syncResource?: string[];
  remoteResourceSuffix?: string;
  localNamespaceSuffix?: string;
  namespacePrefix?: string;
  remoteNamespaces?: string;
  localSecretNames?: string;
  localPropagationPolicy?: string;
  teleportAnnotations?: boolean;
}

/** Checks the cross-cluster flags together; undefined when cross-cluster sync is off. */
export function crossClusterOptions(flags: CrossClusterFlags): CrossClusterOptions | undefined {
  const resources = flags.syncResource ?? [];
  if (flags.remoteKubeconfig === undefined) {
    if (resources.length > 0) throw new Error('--sync-resource needs --remote-kubeconfig');
    return undefined;
  }
  if (resources.length === 0) throw new Error('--remote-kubeconfig needs at least one --sync-resource');
  const policy = flags.localPropagationPolicy ?? 'Foreground';
  const remoteNamespaces = flags.remoteNamespaces === undefined ? undefined : commaList(flags.remoteNamespaces);
  // An empty list would read as "no restriction"; refuse it as --namespaces does.
  if (remoteNamespaces !== undefined && remoteNamespaces.length === 0)
    throw new Error('--remote-namespaces must name at least one namespace');
  const prefix = flags.namespacePrefix ?? '';
  const unprefixed = remoteNamespaces?.find((n) => !n.startsWith(prefix));
  if (unprefixed !== undefined)
    throw new Error(`--remote-namespaces: "${unprefixed}" does not start with --namespace-prefix "${prefix}"`);
  if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan')
    throw new Error('--local-propagation-policy must be Foreground, Background or Orphan');
  return {
    remoteKubeconfig: flags.remoteKubeconfig,
    syncResources: resources.map(parseSyncResource),
    remoteResourceSuffix: flags.remoteResourceSuffix ?? '',
    localNamespaceSuffix: flags.localNamespaceSuffix ?? '',
    namespacePrefix: prefix,
    ...(remoteNamespaces ? { remoteNamespaces: [...new Set(remoteNamespaces)].sort() } : {}),
    localSecretNames: commaList(flags.localSecretNames ?? ''),
    propagationPolicy: policy,
    teleportAnnotations: flags.teleportAnnotations === true,
  };
}

function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
