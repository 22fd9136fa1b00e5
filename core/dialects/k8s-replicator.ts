import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { isDnsSubdomain } from '../kube-object.ts';
import { K8S_REPLICATOR_PREFIX, K8sReplicator, KNOWN_K8S_REPLICATOR_KEYS } from '../names.ts';
import type { NamespacePattern } from '../patterns/index.ts';
import type { ExtraPush, NamespaceRule, PullSpec } from '../spec.ts';
import type { DialectOptions, DialectRead } from './common.ts';
import { allRule, baseSpec, compileStrictEntry, splitList, strictListRule } from './common.ts';

/** Keys that make an object a k8s-replicator source. */
export const K8S_REPLICATOR_SOURCE_KEYS: readonly string[] = [
  K8sReplicator.replicateTo,
  K8sReplicator.replicateToNamespaces,
  K8sReplicator.replicationAllowed,
  K8sReplicator.replicationAllowedNamespaces,
];

// k8s-replicator's own test for a plain name (anything else in a namespace slot is a regex).
const VALID_NAME = /^[0-9a-z.-]+$/;

/** Returns true when the object carries a k8s-replicator key a user sets (source or pull target). */
export function hasK8sReplicatorKeys(reader: AnnotationReader): boolean {
  return K8S_REPLICATOR_SOURCE_KEYS.some((k) => reader.has(k)) || reader.has(K8sReplicator.replicateFrom);
}

/** Records an error for every unknown key under the prefix, as k8s-replicator refuses them unless --ignore-unknown. */
export function checkK8sReplicatorUnknownKeys(
  reader: AnnotationReader,
  keys: readonly string[],
  options: DialectOptions,
): void {
  if (options.ignoreUnknown === true) return;
  for (const key of keys) {
    if (!key.startsWith(K8S_REPLICATOR_PREFIX) || KNOWN_K8S_REPLICATOR_KEYS.has(key)) continue;
    reader.findings.push({
      severity: 'error',
      reason: 'UnknownAnnotation',
      message: `${reader.ref.kind} ${reader.ref.namespace}/${reader.ref.name}: unknown annotation ${key}; k8s-replicator takes no action on such an object (controller flag --ignore-unknown allows it)`,
      object: reader.ref,
      annotation: key,
    });
  }
}

/**
 * Reads k8s-replicator's annotations: a pull (`replicate-from`), a source (`replicate-to`, `replicate-to-namespaces`,
 * `replication-allowed*`), or both at once. Any ill-formed value is an error, so nothing happens for the object.
 */
export function readK8sReplicator(reader: AnnotationReader, obj: KubeObject, options: DialectOptions): DialectRead {
  const out: DialectRead = { isSource: K8S_REPLICATOR_SOURCE_KEYS.some((k) => reader.has(k)) };
  const once = readOnce(reader);
  const pull = readPull(reader, obj);
  if (pull !== undefined) {
    if (once !== undefined) pull.once = once;
    out.pull = pull;
  }
  if (!out.isSource) return out;
  const spec = baseSpec(reader, obj, 'k8s-replicator');
  const allowed = readAllowed(reader, options);
  if (allowed !== undefined) spec.allowed = allowed;
  const pushes = readPushes(reader, obj);
  if (pushes.length > 0) {
    const [first, ...rest] = pushes as [ExtraPush, ...ExtraPush[]];
    spec.push = first.push;
    spec.mirrorName = first.mirrorName;
    if (rest.length > 0) spec.extraPushes = rest;
  }
  if (once !== undefined) spec.once = once;
  if (!reader.failed) out.spec = spec;
  return out;
}

function readOnce(reader: AnnotationReader): { version: string } | undefined {
  const once = reader.bool(K8sReplicator.replicateOnce);
  const version = reader.raw(K8sReplicator.replicateOnceVersion);
  if (version !== undefined && version.length > 256) {
    reader.invalid(K8sReplicator.replicateOnceVersion, 'it is longer than 256 characters');
    return undefined;
  }
  return once ? { version: version ?? '' } : undefined;
}

function readPull(reader: AnnotationReader, obj: KubeObject): PullSpec | undefined {
  const key = K8sReplicator.replicateFrom;
  const value = reader.raw(key);
  if (value === undefined) return undefined;
  const parts = value.split('/');
  const namespace = parts.length === 2 ? (parts[0] as string) : (obj.metadata.namespace ?? '');
  const name = parts[parts.length - 1] as string;
  if (parts.length > 2 || !VALID_NAME.test(namespace) || !isDnsSubdomain(name)) {
    reader.invalid(key, `"${value}" is not "namespace/name" or "name"`);
    return undefined;
  }
  if (namespace === obj.metadata.namespace && name === obj.metadata.name) {
    reader.invalid(key, 'an object cannot replicate from itself');
    return undefined;
  }
  return {
    mirror: reader.ref,
    dialect: 'k8s-replicator',
    from: { namespace, name },
    annotation: key,
    onSourceLoss: 'clear',
  };
}

function readAllowed(reader: AnnotationReader, options: DialectOptions): NamespaceRule | undefined {
  const allowedKey = K8sReplicator.replicationAllowed;
  const namespacesKey = K8sReplicator.replicationAllowedNamespaces;
  const hasAllowed = reader.has(allowedKey);
  const allowed = reader.bool(allowedKey);
  // "false" forbids pulls even under --allow-all; both annotations present must both allow.
  if (hasAllowed && !allowed) return undefined;
  const namespaces = reader.raw(namespacesKey);
  if (namespaces !== undefined) return strictListRule(reader, namespacesKey, namespaces);
  if (hasAllowed) return allRule(allowedKey);
  if (options.allowAll === true) return allRule('--allow-all');
  return undefined;
}

// Targets are names × namespaces (each defaulting to the source's own), plus qualified "namespace/name" entries.
function readPushes(reader: AnnotationReader, obj: KubeObject): ExtraPush[] {
  const toKey = K8sReplicator.replicateTo;
  const nsKey = K8sReplicator.replicateToNamespaces;
  const to = reader.raw(toKey);
  const toNs = reader.raw(nsKey);
  if (to === undefined && toNs === undefined) return [];
  const sourceNs = obj.metadata.namespace ?? '';
  const names: string[] = [];
  const qualified: [string, string][] = [];
  if (to === undefined) names.push(obj.metadata.name);
  for (const entry of splitList(to ?? '')) {
    const parts = entry.split('/');
    if (parts.length === 1 && VALID_NAME.test(entry)) names.push(entry);
    else if (parts.length === 2 && VALID_NAME.test(parts[1] as string) && parts[0] !== '')
      qualified.push([parts[0] as string, parts[1] as string]);
    else reader.invalid(toKey, `entry "${entry}" is not "name", "namespace/name" or "namespace-pattern/name"`);
  }
  const namespaces = toNs === undefined ? [sourceNs] : splitList(toNs);
  for (const ns of namespaces) if (ns.includes('/')) reader.invalid(nsKey, `entry "${ns}" must not contain "/"`);
  const byName = new Map<string, { patterns: NamespacePattern[]; annotation: string }>();
  const add = (name: string, nsText: string, annotation: string) => {
    const compiled = compileStrictEntry(nsText);
    if (!compiled.ok) return reader.invalid(annotation, `namespace "${nsText}": ${compiled.error}`);
    const slot = byName.get(name) ?? { patterns: [], annotation };
    if (!slot.patterns.some((p) => p.kind === compiled.pattern.kind && p.text === compiled.pattern.text))
      slot.patterns.push(compiled.pattern);
    byName.set(name, slot);
  };
  for (const name of names)
    for (const ns of namespaces) if (!ns.includes('/')) add(name, ns, toNs === undefined ? toKey : nsKey);
  for (const [ns, name] of qualified) add(name, ns, toKey);
  const pushes: ExtraPush[] = [];
  for (const [mirrorName, slot] of byName) {
    pushes.push({
      mirrorName,
      push: { all: false, patterns: slot.patterns, exclusions: [], annotation: slot.annotation },
    });
  }
  // The source's own name first (it is the spec's main push), then by name, for a deterministic spec.
  return pushes.sort((a, b) =>
    a.mirrorName === obj.metadata.name
      ? -1
      : b.mirrorName === obj.metadata.name
        ? 1
        : a.mirrorName < b.mirrorName
          ? -1
          : 1,
  );
}
