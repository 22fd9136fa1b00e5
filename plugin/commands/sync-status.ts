// `kubectl reflect sync-status`: every cross-cluster pair between the current (local) cluster and a remote one.
import { CrossCluster, TeleportCrossCluster } from '../../core/names.ts';
import type { KubeObject } from '../../core/index.ts';
import type { PairSettings } from '../../core/cross-cluster/index.ts';
import { parseSyncResource } from '../../kube/resource-type.ts';
import { KubeClient } from '../../kube/client.ts';
import { KubeApiError } from '../../kube/errors.ts';
import { loadConnection } from '../../kube/connection.ts';
import { resolveResourceTypes } from '../../kube/resources.ts';
import { EVENTS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { buildSyncStatus, formatSyncStatus, SYNC_FAILED_REASON } from '../sync-status-report.ts';

/** The flags of sync-status: the controller's cross-cluster flags, read-only. */
export interface SyncStatusFlags {
  remoteKubeconfig: string;
  syncResource: string;
  remoteResourceSuffix?: string;
  localNamespaceSuffix?: string;
  namespacePrefix?: string;
  remoteNamespaces?: string;
  localSecretNames?: string;
  teleportAnnotations?: boolean;
}

/** Reads both clusters (lists only, nothing is written) and prints each pair; returns the exit code. */
export async function runSyncStatus(io: Io, options: GlobalOptions, flags: SyncStatusFlags): Promise<number> {
  const r = parseSyncResource(flags.syncResource);
  const remoteNamespaces = flags.remoteNamespaces
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const settings: PairSettings = {
    remoteResourceSuffix: flags.remoteResourceSuffix ?? '',
    localNamespaceSuffix: flags.localNamespaceSuffix ?? '',
    namespacePrefix: flags.namespacePrefix ?? '',
    ...(remoteNamespaces?.length ? { remoteNamespaces } : {}),
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
    const [remoteObjs, localObjs, namespaces, secrets, events] = await Promise.all([
      // With --remote-namespaces, one list per namespace: what a remote RoleBinding there allows.
      settings.remoteNamespaces
        ? Promise.all(settings.remoteNamespaces.map((namespace) => remote.list<KubeObject>(type, { namespace }))).then(
            (lists) => ({ items: lists.flatMap((l) => l.items) }),
          )
        : remote.list<KubeObject>(type),
      local.list<KubeObject>(type),
      local.list<KubeObject>(NAMESPACES),
      settings.localSecretNames.length > 0
        ? local.list<KubeObject>(SECRETS)
        : Promise.resolve({ items: [] as KubeObject[] }),
      syncFailedEvents(local, io),
    ]);
    const names = new Set(settings.localSecretNames);
    const rows = buildSyncStatus(settings, {
      remote: remoteObjs.items,
      local: localObjs.items,
      localNamespaces: namespaces.items,
      localSecrets: secrets.items.filter((s) => names.has(s.metadata.name)),
      events,
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

/** The controller's CrossClusterSyncFailed Events in the local cluster; a warning and none when they cannot be read. */
async function syncFailedEvents(local: KubeClient, io: Io): Promise<KubeObject[]> {
  try {
    try {
      return (await local.list<KubeObject>(EVENTS, { fieldSelector: `reason=${SYNC_FAILED_REASON}` })).items;
    } catch (err) {
      // An API server that cannot select Events by reason: all of them, filtered here.
      if (!(err instanceof KubeApiError) || err.code !== 400) throw err;
      return (await local.list<KubeObject>(EVENTS)).items;
    }
  } catch (err) {
    io.stderr.write(`warning: cannot read Events, so write errors are not shown: ${String(err)}\n`);
    return [];
  }
}
