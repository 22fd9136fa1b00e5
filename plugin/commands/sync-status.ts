// `kubectl reflect sync-status`: every cross-cluster pair between the current (local) cluster and a remote one.
import { CrossCluster, TeleportCrossCluster } from '../../core/names.ts';
import type { KubeObject } from '../../core/index.ts';
import type { PairSettings } from '../../core/cross-cluster/index.ts';
import { parseSyncResource } from '../../kube/resource-type.ts';
import { KubeClient } from '../../kube/client.ts';
import { loadConnection } from '../../kube/connection.ts';
import { resolveResourceTypes } from '../../kube/resources.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { buildSyncStatus, formatSyncStatus } from '../sync-status-report.ts';

/** The flags of sync-status: the controller's cross-cluster flags, read-only. */
export interface SyncStatusFlags {
  remoteKubeconfig: string;
  syncResource: string;
  remoteResourceSuffix?: string;
  localNamespaceSuffix?: string;
  namespacePrefix?: string;
  localSecretNames?: string;
  teleportAnnotations?: boolean;
}

/** Reads both clusters (lists only, nothing is written) and prints each pair; returns the exit code. */
export async function runSyncStatus(io: Io, options: GlobalOptions, flags: SyncStatusFlags): Promise<number> {
  const r = parseSyncResource(flags.syncResource);
  const settings: PairSettings = {
    remoteResourceSuffix: flags.remoteResourceSuffix ?? '',
    localNamespaceSuffix: flags.localNamespaceSuffix ?? '',
    namespacePrefix: flags.namespacePrefix ?? '',
    names: flags.teleportAnnotations ? TeleportCrossCluster : CrossCluster,
    localSecretNames: (flags.localSecretNames ?? '').split(',').filter((s) => s.trim() !== ''),
    propagationPolicy: 'Foreground',
    ...(options.excludeNamespaces ? { excludeNamespaces: options.excludeNamespaces } : {}),
  };
  const local = new KubeClient(loadConnection(options), { userAgent: 'kubectl-reflect' });
  // The remote cluster is read with the same request timeout as the local one.
  const remote = new KubeClient(
    loadConnection({
      kubeconfig: flags.remoteKubeconfig,
      ...(options.requestTimeout ? { requestTimeout: options.requestTimeout } : {}),
    }),
    {
      userAgent: 'kubectl-reflect',
    },
  );
  try {
    const [type] = await resolveResourceTypes(local, [
      r.group === '' ? `${r.resource}.${r.version}` : `${r.resource}.${r.version}.${r.group}`,
    ]);
    if (type === undefined) throw new Error(`--sync-resource ${flags.syncResource}: not served by the local cluster`);
    const [remoteObjs, localObjs, namespaces, secrets] = await Promise.all([
      remote.list<KubeObject>(type),
      local.list<KubeObject>(type),
      local.list<KubeObject>(NAMESPACES),
      settings.localSecretNames.length > 0
        ? local.list<KubeObject>(SECRETS)
        : Promise.resolve({ items: [] as KubeObject[] }),
    ]);
    const names = new Set(settings.localSecretNames);
    const rows = buildSyncStatus(settings, {
      remote: remoteObjs.items,
      local: localObjs.items,
      localNamespaces: namespaces.items,
      localSecrets: secrets.items.filter((s) => names.has(s.metadata.name)),
    });
    if (options.output === 'json') io.stdout.write(`${JSON.stringify({ pairs: rows }, null, 2)}\n`);
    else if (rows.length === 0) io.stderr.write('No synced pairs found.\n');
    else io.stdout.write(formatSyncStatus(rows));
    return rows.some((row) => row.phase === 'Invalid') ? 1 : 0;
  } finally {
    local.close();
    remote.close();
  }
}
