import type { KubeObject } from './kube-object.ts';
import { groupKindOf } from './kube-object.ts';

/** Kinds ("Kind" or "Kind.group") that are never mirrored: they are owned by controllers or meaningless as copies. */
export const DENIED_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'Event',
  'Event.events.k8s.io',
  'Endpoints',
  'EndpointSlice.discovery.k8s.io',
  'Lease.coordination.k8s.io',
  'ReplicaSet.apps',
  'ControllerRevision.apps',
  'PersistentVolumeClaim',
  'Binding',
  'ResourceQuota',
  'LimitRange',
  'Job.batch',
  'CronJob.batch',
  'PodTemplate',
  'ReplicationController',
  'Namespace',
  'LocalSubjectAccessReview.authorization.k8s.io',
  'TokenReview.authentication.k8s.io',
  'CertificateRequest.cert-manager.io',
  'Order.acme.cert-manager.io',
  'Challenge.acme.cert-manager.io',
]);

/** Secret types that are never mirrored: credentials bound to their namespace or owned by Helm. */
export const DENIED_SECRET_TYPES: ReadonlySet<string> = new Set([
  'kubernetes.io/service-account-token',
  'bootstrap.kubernetes.io/token',
  'helm.sh/release.v1',
]);

/** Top-level fields that are never part of a mirror's content, whatever the kind. */
const NON_CONTENT_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * The top-level content fields of the kinds that have a fixed list (stringData is how a manifest writes a Secret's
 * data); every other kind's content is every top-level field but apiVersion, kind, metadata and status. The one table
 * the planner, the write path, reflect-fn's editor and the in-memory apply read.
 */
export const CONTENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Secret: ['type', 'data', 'stringData', 'immutable'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
};

/** Content fields that are maps of keys: a key another writer adds to one of a mirror's is not the source's. */
export const KEYED_CONTENT_FIELDS: readonly string[] = ['data', 'binaryData', 'stringData'];

/**
 * Returns the content fields of a kind: its fixed list, or for other kinds the top-level fields any of the objects
 * sets (in the order they first appear).
 */
export function contentFieldsOf(
  kind: Pick<KubeObject, 'apiVersion' | 'kind'>,
  ...objects: readonly Record<string, unknown>[]
): string[] {
  const fixed = CONTENT_FIELDS[groupKindOf(kind)];
  if (fixed !== undefined) return [...fixed];
  const keys = new Set(objects.flatMap((o) => Object.keys(o)));
  return [...keys].filter((k) => !NON_CONTENT_FIELDS.has(k));
}

/**
 * Returns the content a mirror copies from an object, with sorted keys: Secret type+data, ConfigMap data+binaryData,
 * or every top-level field but apiVersion, kind, metadata and status for other kinds.
 */
export function contentOf(obj: KubeObject): Record<string, unknown> {
  const gk = groupKindOf(obj);
  if (gk === 'Secret') {
    const out: Record<string, unknown> = { type: typeof obj.type === 'string' ? obj.type : 'Opaque' };
    const data = mergeStringData(obj);
    if (data !== undefined) out.data = data;
    if (obj.immutable === true) out.immutable = true;
    return out;
  }
  if (gk === 'ConfigMap') {
    const out: Record<string, unknown> = {};
    if (isNonEmptyMap(obj.data)) out.data = obj.data;
    if (isNonEmptyMap(obj.binaryData)) out.binaryData = obj.binaryData;
    if (obj.immutable === true) out.immutable = true;
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    if (!NON_CONTENT_FIELDS.has(key) && obj[key] !== undefined) out[key] = obj[key];
  }
  return out;
}

/**
 * Returns `obj` carrying exactly another object's content (contentOf) instead of its own: every content field of `obj`
 * is dropped first, so a field the other object lacks (an empty Secret has no data) is absent, not left over.
 */
export function withContentOf(obj: KubeObject, other: KubeObject): KubeObject {
  const out: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata };
  if (obj.status !== undefined) out.status = obj.status;
  return { ...out, ...contentOf(other) };
}

/** Returns true when the object cannot be updated in place once its content changes. */
export function isImmutable(obj: KubeObject): boolean {
  return obj.immutable === true;
}

/** Returns true when changing `field` requires deleting and recreating the object. */
export function needsRecreate(live: KubeObject, desired: KubeObject): boolean {
  if (groupKindOf(live) === 'Secret' && (live.type ?? 'Opaque') !== (desired.type ?? 'Opaque')) return true;
  return isImmutable(live);
}

// stringData is write-only on the server, but manifests (KRM packages) use it: fold it into data, base64-encoded
// the way the API server would, so a package and a cluster render the same mirror.
function mergeStringData(obj: KubeObject): Record<string, string> | undefined {
  const data = isNonEmptyMap(obj.data) ? { ...(obj.data as Record<string, string>) } : {};
  if (isNonEmptyMap(obj.stringData)) {
    for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) {
      data[k] = base64(String(v));
    }
  }
  return Object.keys(data).length === 0 ? undefined : sortKeys(data);
}

function isNonEmptyMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k] as string;
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Encodes a string's UTF-8 bytes as base64, without Buffer (the core imports nothing from Node). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}
