import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { keyOf, parseKey } from '../kube-object.ts';
import { K8sReplicator, KubeMirror, Kubed, Mittwald, Native, Reflector } from '../names.ts';
import type { Dialect } from '../spec.ts';
import type { DialectOptions, DialectRead } from './common.ts';
import { checkK8sReplicatorUnknownKeys, hasK8sReplicatorKeys, readK8sReplicator } from './k8s-replicator.ts';
import { hasKubeMirrorKeys, readKubeMirror } from './kubemirror.ts';
import { hasKubedKeys, readKubed } from './kubed.ts';
import { hasMittwaldKeys, readMittwald } from './mittwald.ts';

export type { DialectOptions, DialectRead } from './common.ts';

/** The dialects of other replication tools that kube-reflect reads unchanged. */
export type PeerDialect = Exclude<Dialect, 'native' | 'reflector'>;

/** The Reflector keys users set (not the ones Reflector writes on its mirrors). */
export const REFLECTOR_USER_KEYS = [
  Reflector.allowed,
  Reflector.allowedNamespaces,
  Reflector.allowedNamespacesSelector,
  Reflector.autoEnabled,
  Reflector.autoNamespaces,
  Reflector.autoNamespacesSelector,
  Reflector.reflects,
];

/** Returns the peer dialects whose user-set keys an object carries. */
export function peerDialectsOf(reader: AnnotationReader, obj: KubeObject): PeerDialect[] {
  const out: PeerDialect[] = [];
  if (hasK8sReplicatorKeys(reader)) out.push('k8s-replicator');
  if (hasMittwaldKeys(reader)) out.push('mittwald');
  if (hasKubedKeys(reader)) out.push('kubed');
  if (hasKubeMirrorKeys(reader, obj)) out.push('kubemirror');
  return out;
}

/** Records the errors peer dialects raise about keys regardless of role (k8s-replicator's unknown keys). */
export function checkPeerKeys(reader: AnnotationReader, keys: readonly string[], options: DialectOptions): void {
  checkK8sReplicatorUnknownKeys(reader, keys, options);
}

/**
 * Reads an object in a peer dialect, or returns undefined when it carries none. An object that mixes a peer's keys
 * with another dialect's (native, Reflector or another peer) gets a MixedDialects error and no spec.
 */
export function readPeerObject(
  reader: AnnotationReader,
  obj: KubeObject,
  options: DialectOptions,
): DialectRead | undefined {
  const peers = peerDialectsOf(reader, obj);
  if (peers.length === 0) return undefined;
  const others: string[] = [...peers];
  // Only keys users set count: a filled pull mirror carries our provenance, an adopted one Reflector's versions.
  if (Object.values(Native).some((k) => reader.has(k))) others.push('native');
  if (REFLECTOR_USER_KEYS.some((k) => reader.has(k))) others.push('reflector');
  if (others.length > 1) {
    reader.findings.push({
      severity: 'error',
      reason: 'MixedDialects',
      message: `${reader.ref.kind} ${keyOf(obj)}: annotations of several dialects are set (${others.join(', ')}); use one dialect per object`,
      object: reader.ref,
    });
    return { isSource: true };
  }
  switch (peers[0]) {
    case 'k8s-replicator':
      return readK8sReplicator(reader, obj, options);
    case 'mittwald':
      return readMittwald(reader, obj, options);
    case 'kubed':
      return readKubed(reader, obj);
    default:
      return readKubeMirror(reader, obj);
  }
}

/** Who made a mirror we may adopt, and for which source when its markers say so. */
export interface PeerMirror {
  by: PeerDialect;
  /** "namespace/name" of the source its markers name; undefined when the peer records none (mittwald). */
  sourceKey?: string;
}

/** Returns the peer whose marker labels or annotations say it made this object, or undefined. */
export function peerMirrorOf(obj: KubeObject): PeerMirror | undefined {
  const a = obj.metadata.annotations ?? {};
  const labels = obj.metadata.labels ?? {};
  if (labels[KubeMirror.mirror] === 'true') {
    const ns = a[KubeMirror.sourceNamespace];
    const name = a[KubeMirror.sourceName];
    return { by: 'kubemirror', ...(ns !== undefined && name !== undefined ? { sourceKey: `${ns}/${name}` } : {}) };
  }
  const origin = a[Kubed.origin];
  if (origin !== undefined) {
    const ref = parseOrigin(origin);
    return { by: 'kubed', ...(ref !== undefined ? { sourceKey: ref } : {}) };
  }
  const by = a[K8sReplicator.replicatedBy];
  if (by !== undefined && parseKey(by) !== undefined) return { by: 'k8s-replicator', sourceKey: by.trim() };
  if (a[Mittwald.replicatedFromVersion] !== undefined && a[Mittwald.replicateFrom] === undefined)
    return { by: 'mittwald' };
  return undefined;
}

/** Returns true when a peer's mirror is exactly the one a source of that peer's dialect would make. */
export function isPeerMirrorOf(peer: PeerMirror, dialect: Dialect, sourceKey: string): boolean {
  if (peer.by !== dialect) return false;
  // mittwald records no source on its pushed copies; the same name in a namespace the source targets is its mark.
  return peer.sourceKey === undefined ? peer.by === 'mittwald' : peer.sourceKey === sourceKey;
}

// config-syncer writes a JSON ObjectReference; anything else is not its marker.
function parseOrigin(text: string): string | undefined {
  try {
    const ref = JSON.parse(text) as { namespace?: unknown; name?: unknown };
    if (typeof ref.namespace !== 'string' || typeof ref.name !== 'string') return undefined;
    const key = `${ref.namespace}/${ref.name}`;
    return parseKey(key) === undefined ? undefined : key;
  } catch {
    return undefined;
  }
}

/**
 * The once-version a k8s-replicator copy was made at, or undefined when k8s-replicator never filled it. Whether the
 * copy is once-only is the source's `replicate-once` (or a pull target's own): k8s-replicator stamps its pushed copies
 * with `replicated-from-version` and the source's `replicate-once-version` only, never with `replicate-once`, and
 * removes both when it clears a copy. A copy it made with no once-version reads as made at "".
 */
export function peerOnceVersion(obj: KubeObject): string | undefined {
  const a = obj.metadata.annotations ?? {};
  if (a[K8sReplicator.replicatedFromVersion] === undefined) return undefined;
  return a[K8sReplicator.replicateOnceVersion] ?? '';
}
