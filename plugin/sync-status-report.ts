// The rows of `kubectl reflect sync-status`: every cross-cluster pair, planned by the core from both clusters' objects.
import { pairKeyString, pairOfLocal, pairOfRemote, planPair } from '../core/cross-cluster/index.ts';
import type { PairKey, PairSettings, PairState } from '../core/cross-cluster/index.ts';
import type { KubeObject } from '../core/index.ts';
import { FIELD_MANAGER } from '../core/names.ts';

/** The reason of the Warning Event the controller records on a local object when a cross-cluster write is refused. */
export const SYNC_FAILED_REASON = 'CrossClusterSyncFailed';

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
  /**
   * When the controller last uploaded to the remote (status or a Secret): the time of its field manager's entry for the
   * remote status subresource, or for the upload hash on a local Secret, whichever is later (RFC 3339).
   */
  lastUploadAt?: string;
  /** The controller's last refused write for this pair: its CrossClusterSyncFailed Event on the local object. */
  lastError?: { at: string; message: string; count: number };
}

/** What sync-status read from both clusters. */
export interface SyncStatusInput {
  remote: readonly KubeObject[];
  local: readonly KubeObject[];
  localNamespaces: readonly KubeObject[];
  localSecrets: readonly KubeObject[];
  /** events.k8s.io Events in the local namespaces (only CrossClusterSyncFailed ones are read). */
  events?: readonly KubeObject[];
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
  const errors = lastErrors(input.events ?? []);
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
    const uploadedAt = lastUploadAt(state.remote, state.localSecrets, settings.localSecretNames);
    const error = errors.get(`${localNs}/${key.name}`);
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
      ...(uploadedAt ? { lastUploadAt: uploadedAt } : {}),
      ...(error ? { lastError: error } : {}),
    });
  }
  return rows;
}

/** The latest time our field manager wrote the remote status or a listed local Secret's upload hash. */
function lastUploadAt(
  remote: KubeObject | undefined,
  secrets: readonly KubeObject[],
  names: readonly string[],
): string | undefined {
  const times: string[] = [];
  for (const e of managedFields(remote))
    if (e.manager === FIELD_MANAGER && e.subresource === 'status' && e.time) times.push(e.time);
  for (const s of secrets) {
    if (!names.includes(s.metadata.name)) continue;
    // The hash is recorded on the local Secret right after its upload to the remote succeeded.
    for (const e of managedFields(s)) if (e.manager === FIELD_MANAGER && e.time) times.push(e.time);
  }
  return times.sort().at(-1);
}

function managedFields(obj: KubeObject | undefined): Array<{ manager?: string; subresource?: string; time?: string }> {
  const m = obj?.metadata.managedFields;
  return Array.isArray(m) ? (m as Array<{ manager?: string; subresource?: string; time?: string }>) : [];
}

/** The newest CrossClusterSyncFailed Event per local object ("namespace/name"). */
function lastErrors(events: readonly KubeObject[]): Map<string, { at: string; message: string; count: number }> {
  const out = new Map<string, { at: string; message: string; count: number }>();
  for (const e of events) {
    const ev = e as KubeObject & {
      reason?: string;
      note?: string;
      eventTime?: string;
      regarding?: { namespace?: string; name?: string };
      series?: { count?: number; lastObservedTime?: string };
    };
    if (ev.reason !== SYNC_FAILED_REASON || !ev.regarding?.name) continue;
    const at = ev.series?.lastObservedTime ?? ev.eventTime ?? String(ev.metadata.creationTimestamp ?? '');
    const key = `${ev.regarding.namespace ?? ''}/${ev.regarding.name}`;
    const seen = out.get(key);
    if (seen === undefined || seen.at < at) out.set(key, { at, message: ev.note ?? '', count: ev.series?.count ?? 1 });
  }
  return out;
}

/** Formats rows as a kubectl-style table. */
export function formatSyncStatus(rows: readonly SyncStatusRow[], now: number = Date.now()): string {
  const header = [
    'NAMESPACE',
    'NAME',
    'PHASE',
    'REMOTE-GEN',
    'SYNCED-GEN',
    'LOCAL-GEN',
    'PAUSED',
    'STATUS-UPLOADED',
    'LAST-UPLOAD',
    'PENDING',
    'LAST-ERROR',
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
    r.lastUploadAt ? `${age(now, r.lastUploadAt)} ago` : '-',
    r.pending.join(',') || (r.reason ?? '-'),
    r.lastError ? `${age(now, r.lastError.at)} ago: ${oneLine(r.lastError.message, 80)}` : '-',
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return (
    all.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ')).join('\n') +
    '\n'
  );
}

/** kubectl's short ages: 42s, 5m, 3h, 2d. */
function age(now: number, at: string): string {
  const s = Math.max(0, Math.floor((now - Date.parse(at)) / 1000));
  if (!Number.isFinite(s)) return '?';
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
