// The rows of `kubectl reflect sync-status`: every cross-cluster pair, planned by the core from both clusters' objects.
import { pairKeyString, pairOfLocal, pairOfRemote, planPair } from '../core/cross-cluster/index.ts';
import type { PairKey, PairSettings, PairState } from '../core/cross-cluster/index.ts';
import type { KubeObject } from '../core/index.ts';

/** One pair as sync-status shows it. */
export interface SyncStatusRow {
  namespace: string;
  name: string;
  phase: string;
  remoteGeneration?: number;
  syncedRemoteGeneration?: number;
  localGeneration?: number;
  paused?: 'local' | 'remote';
  /** The local status is on the remote (the last upload is current). */
  statusUploaded: boolean;
  /** The writes the controller would make next (what is out of sync). */
  pending: string[];
  reason?: string;
}

/** What sync-status read from both clusters. */
export interface SyncStatusInput {
  remote: readonly KubeObject[];
  local: readonly KubeObject[];
  localNamespaces: readonly KubeObject[];
  localSecrets: readonly KubeObject[];
}

/** Plans every pair found on either side and returns its row, sorted by namespace and name. */
export function buildSyncStatus(settings: PairSettings, input: SyncStatusInput): SyncStatusRow[] {
  const keys = new Map<string, PairKey>();
  for (const o of input.remote) {
    const k = pairOfRemote(settings, o.metadata.namespace ?? '', o.metadata.name);
    if (k) keys.set(pairKeyString(k), k);
  }
  for (const o of input.local) {
    const k = pairOfLocal(settings, o.metadata.namespace ?? '', o.metadata.name);
    if (k) keys.set(pairKeyString(k), k);
  }
  const byKey = (list: readonly KubeObject[]) =>
    new Map(list.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const remote = byKey(input.remote);
  const local = byKey(input.local);
  const namespaces = new Map(input.localNamespaces.map((n) => [n.metadata.name, n]));
  const rows: SyncStatusRow[] = [];
  for (const key of [...keys.values()].sort((a, b) => pairKeyString(a).localeCompare(pairKeyString(b)))) {
    const remoteName = key.name + settings.remoteResourceSuffix;
    const localNs = key.namespace + settings.localNamespaceSuffix;
    const ns = namespaces.get(localNs);
    const state: PairState = {
      key,
      remote: remote.get(`${key.namespace}/${remoteName}`),
      local: local.get(`${localNs}/${key.name}`),
      localNamespace: ns && {
        name: ns.metadata.name,
        ...(ns.metadata.uid ? { uid: ns.metadata.uid } : {}),
        annotations: ns.metadata.annotations ?? {},
        terminating: typeof ns.metadata.deletionTimestamp === 'string',
      },
      localSecrets: input.localSecrets.filter((s) => s.metadata.namespace === localNs),
    };
    const plan = planPair(settings, state);
    const pending = plan.actions.map((a) => a.kind);
    rows.push({
      namespace: key.namespace,
      name: key.name,
      phase: plan.phase,
      ...(plan.remoteGeneration !== undefined ? { remoteGeneration: plan.remoteGeneration } : {}),
      ...(plan.syncedRemoteGeneration !== undefined ? { syncedRemoteGeneration: plan.syncedRemoteGeneration } : {}),
      ...(plan.localGeneration !== undefined ? { localGeneration: plan.localGeneration } : {}),
      ...(plan.pausedBy ? { paused: plan.pausedBy } : {}),
      statusUploaded: state.local !== undefined && !pending.includes('upload-status'),
      pending,
      ...(plan.reason ? { reason: plan.reason } : {}),
    });
  }
  return rows;
}

/** Formats rows as a kubectl-style table. */
export function formatSyncStatus(rows: readonly SyncStatusRow[]): string {
  const header = [
    'NAMESPACE',
    'NAME',
    'PHASE',
    'REMOTE-GEN',
    'SYNCED-GEN',
    'LOCAL-GEN',
    'PAUSED',
    'STATUS-UPLOADED',
    'PENDING',
  ];
  const n = (v: number | undefined) => (v === undefined ? '-' : String(v));
  const body = rows.map((r) => [
    r.namespace,
    r.name,
    r.phase,
    n(r.remoteGeneration),
    n(r.syncedRemoteGeneration),
    n(r.localGeneration),
    r.paused ?? '-',
    r.statusUploaded ? 'yes' : 'no',
    r.pending.join(',') || (r.reason ?? '-'),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return (
    all.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ')).join('\n') +
    '\n'
  );
}
