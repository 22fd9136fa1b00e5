import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { parseKey } from '../kube-object.ts';
import { Mittwald } from '../names.ts';
import { parseLabelSelector } from '../patterns/index.ts';
import type { NamespaceRule } from '../spec.ts';
import type { DialectOptions, DialectRead } from './common.ts';
import { COPY_ALL, allRule, baseSpec, strictListRule } from './common.ts';

/** Keys that make an object a mittwald source. */
export const MITTWALD_SOURCE_KEYS: readonly string[] = [
  Mittwald.replicateTo,
  Mittwald.replicateToMatching,
  Mittwald.replicationAllowed,
  Mittwald.replicationAllowedNamespaces,
  Mittwald.stripLabels,
  Mittwald.keepOwnerReferences,
];

/** Returns true when the object carries a mittwald key a user sets (source or pull target). */
export function hasMittwaldKeys(reader: AnnotationReader): boolean {
  return MITTWALD_SOURCE_KEYS.some((k) => reader.has(k)) || reader.has(Mittwald.replicateFrom);
}

/**
 * Reads mittwald's annotations: pushes to strict regexes and a namespace selector (same name), pulls from
 * "namespace/name" when the source allows it, labels copied unless stripped; owner references are refused.
 */
export function readMittwald(reader: AnnotationReader, obj: KubeObject, options: DialectOptions): DialectRead {
  const out: DialectRead = { isSource: MITTWALD_SOURCE_KEYS.some((k) => reader.has(k)) };
  const fromValue = reader.raw(Mittwald.replicateFrom);
  if (fromValue !== undefined) {
    const from = parseKey(fromValue);
    if (from === undefined) reader.invalid(Mittwald.replicateFrom, `"${fromValue}" is not "namespace/name"`);
    else if (from.namespace === obj.metadata.namespace && from.name === obj.metadata.name)
      reader.invalid(Mittwald.replicateFrom, 'an object cannot replicate from itself');
    else
      out.pull = {
        mirror: reader.ref,
        dialect: 'mittwald',
        from,
        annotation: Mittwald.replicateFrom,
        onSourceLoss: 'clear',
      };
  }
  if (!out.isSource) return out;
  const spec = baseSpec(reader, obj, 'mittwald');
  const push = readPush(reader);
  if (push !== undefined) spec.push = push;
  const allowed = readAllowed(reader, options);
  if (allowed !== undefined) spec.allowed = allowed;
  // mittwald copies labels unless strip-labels is present at all (its code tests presence, not the value).
  if (!reader.has(Mittwald.stripLabels)) spec.copyLabels = COPY_ALL;
  if (reader.bool(Mittwald.keepOwnerReferences)) {
    reader.findings.push({
      severity: 'error',
      reason: 'UnsupportedAnnotation',
      message: `${reader.ref.kind} ${reader.ref.namespace}/${reader.ref.name}: ${Mittwald.keepOwnerReferences}="true" is refused: an owner in another namespace makes the garbage collector delete the copy; remove it`,
      object: reader.ref,
      annotation: Mittwald.keepOwnerReferences,
    });
  }
  if (!reader.failed) out.spec = spec;
  return out;
}

function readPush(reader: AnnotationReader): NamespaceRule | undefined {
  const to = reader.raw(Mittwald.replicateTo);
  const matching = reader.raw(Mittwald.replicateToMatching);
  if (to === undefined && matching === undefined) return undefined;
  const rule = to === undefined ? allRule(Mittwald.replicateTo) : strictListRule(reader, Mittwald.replicateTo, to);
  if (rule === undefined) return undefined;
  if (to === undefined) rule.all = false;
  if (matching !== undefined) {
    rule.selectorAnnotation = Mittwald.replicateToMatching;
    if (matching.trim() === '') {
      rule.all = true; // labels.Parse("") is Everything in mittwald
    } else {
      const parsed = parseLabelSelector(matching);
      if (parsed.ok) rule.selector = parsed.selector;
      else reader.invalid(Mittwald.replicateToMatching, parsed.error);
    }
  }
  return rule;
}

// Pulls need replication-allowed="true" and a replication-allowed-namespaces list, unless --allow-all.
function readAllowed(reader: AnnotationReader, options: DialectOptions): NamespaceRule | undefined {
  if (options.allowAll === true) return allRule('--allow-all');
  if (!reader.bool(Mittwald.replicationAllowed)) return undefined;
  const namespaces = reader.raw(Mittwald.replicationAllowedNamespaces);
  if (namespaces === undefined) return undefined;
  return strictListRule(reader, Mittwald.replicationAllowedNamespaces, namespaces);
}
