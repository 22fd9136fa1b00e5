// The hash of a Secret's uploaded content, byte-compatible with Teleport's sync-controller so a migration re-uploads nothing.
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { KubeObject } from '../kube-object.ts';

/**
 * Returns the hex sha256 of the JSON of [data, type, annotations without the hash annotation, labels], written the
 * way Go's encoding/json writes it (sorted map keys, absent maps as null, <, > and & escaped), because that is what
 * the seed stores in its last-uploaded-hash annotation.
 */
export function secretUploadHash(secret: KubeObject, hashAnnotation: string): string {
  const annotations: Record<string, string> = { ...(secret.metadata.annotations ?? {}) };
  delete annotations[hashAnnotation];
  const tuple = [
    nonEmpty(secret.data),
    typeof secret.type === 'string' ? secret.type : '',
    annotations,
    nonEmpty(secret.metadata.labels),
  ];
  return bytesToHex(sha256(utf8ToBytes(goJson(tuple))));
}

// The API server omits empty maps, so Go decodes them as nil maps, which encode as null.
function nonEmpty(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) return null;
  return value;
}

function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
