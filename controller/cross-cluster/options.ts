// The cross-cluster flags of reflect-controller, parsed and checked (the flags themselves are declared in ../options.ts).
import type { PropagationPolicy } from '../../core/cross-cluster/index.ts';

/** Cross-cluster settings, present only when --remote-kubeconfig is given. */
export interface CrossClusterOptions {
  remoteKubeconfig: string;
  /** GROUP/VERSION/RESOURCE, or VERSION/RESOURCE for the core group. */
  syncResources: Array<{ group: string; version: string; resource: string }>;
  remoteResourceSuffix: string;
  localNamespaceSuffix: string;
  namespacePrefix: string;
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
  localSecretNames?: string;
  localPropagationPolicy?: string;
  teleportAnnotations?: boolean;
}

/** Parses "GROUP/VERSION/RESOURCE" or "v1/RESOURCE" (core group). */
export function parseSyncResource(text: string): { group: string; version: string; resource: string } {
  const parts = text.trim().split('/');
  const ok = (s: string | undefined): s is string => s !== undefined && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s);
  if (parts.length === 2 && ok(parts[0]) && ok(parts[1])) return { group: '', version: parts[0], resource: parts[1] };
  if (parts.length === 3 && ok(parts[0]) && ok(parts[1]) && ok(parts[2]))
    return { group: parts[0], version: parts[1], resource: parts[2] };
  throw new Error(`--sync-resource "${text}": use GROUP/VERSION/RESOURCE, or v1/RESOURCE for the core group`);
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
  if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan')
    throw new Error('--local-propagation-policy must be Foreground, Background or Orphan');
  return {
    remoteKubeconfig: flags.remoteKubeconfig,
    syncResources: resources.map(parseSyncResource),
    remoteResourceSuffix: flags.remoteResourceSuffix ?? '',
    localNamespaceSuffix: flags.localNamespaceSuffix ?? '',
    namespacePrefix: flags.namespacePrefix ?? '',
    localSecretNames: (flags.localSecretNames ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    propagationPolicy: policy,
    teleportAnnotations: flags.teleportAnnotations === true,
  };
}
