// The work queue's key: which source of which resource to reconcile, and optionally only one namespace of it.

/** One unit of work: a source (which may be gone) of one resource, focused on one namespace or not. */
export interface QueueKey {
  /** The resource label ("secrets", "networkpolicies.networking.k8s.io"). */
  resource: string;
  namespace: string;
  name: string;
  /** Plan and write only this namespace (a namespace event). */
  focus?: string;
}

// A separator no resource label, namespace or name can contain (DNS labels and subdomains), so decoding is exact.
const SEP = '|';

/** Encodes a key as the string the queue de-duplicates on; the only place the format is written. */
export function encodeQueueKey(k: QueueKey): string {
  const base = `${k.resource}${SEP}${k.namespace}${SEP}${k.name}`;
  return k.focus === undefined ? base : `${base}${SEP}${k.focus}`;
}

/** Decodes a key written by encodeQueueKey; the only place the format is read. */
export function decodeQueueKey(s: string): QueueKey {
  const [resource = '', namespace = '', name = '', focus] = s.split(SEP);
  return focus === undefined ? { resource, namespace, name } : { resource, namespace, name, focus };
}

/** The key of the whole source a key concerns (itself when it has no focus): the queue runs one of them at a time. */
export function sourceQueueKey(s: string): string {
  const { resource, namespace, name } = decodeQueueKey(s);
  return encodeQueueKey({ resource, namespace, name });
}
