import { contentHash } from '../content-hash.ts';
import type { KubeObject } from '../kube-object.ts';
import { base64 } from '../kinds.ts';
import { Provenance } from '../names.ts';

/**
 * The password a cleared basic-auth Secret gets, as k8s-replicator clears it: never empty (an empty password may
 * let anyone log in), and unguessable without the data it replaces. The core has no randomness, so it is a hash of
 * the mirror's previous data; a mirror already cleared keeps its password, so clearing is idempotent.
 * Returns undefined when the mirror had no password to replace (nothing is weakened then).
 */
export function clearedPassword(mirror: KubeObject): string | undefined {
  const data = (mirror.data ?? {}) as Record<string, unknown>;
  const current = data.password;
  if (typeof current !== 'string' || current === '') return undefined;
  if (mirror.metadata.annotations?.[Provenance.contentHash] === 'cleared') return current;
  const digest = contentHash({ cleared: 'basic-auth', uid: mirror.metadata.uid ?? '', data }).slice('sha256:'.length);
  return base64(digest);
}
