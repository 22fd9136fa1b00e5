import { AnnotationReader } from './annotation-reader.ts';
import type { DialectOptions } from './dialects/index.ts';
import { checkPeerKeys, readPeerObject } from './dialects/index.ts';
import type { Finding } from './finding.ts';
import { parseKeyFilter } from './key-filter.ts';
import type { KubeObject, ObjectRef } from './kube-object.ts';
import { isDnsLabel, isDnsSubdomain, isObjectName, keyOf, parseKey, refOf } from './kube-object.ts';
import {
  KubeMirror,
  KNOWN_NATIVE_KEYS,
  KNOWN_REFLECTOR_KEYS,
  Labels,
  NATIVE_PREFIX,
  Native,
  Provenance,
  REFLECTOR_PREFIX,
  Reflector,
} from './names.ts';
import { parseNativeRule, parseReflectorRule } from './parse-rule.ts';
import type { PullSpec, ReflectionSpec } from './spec.ts';
import { readTransform } from './transform/read.ts';
import type { TransformLimits } from './transform/rules.ts';
import { baseSpec } from './dialects/common.ts';

/** The largest target cap anyone may set: a source's max-targets, reflect-fn's maxTargets, the controller's flag. */
export const MAX_TARGETS_LIMIT = 100000;

/** What one object is to the planner: a source, a pull mirror, a mirror owned by a source, or none of these. */
export interface ParsedObject {
  object: KubeObject;
  ref: ObjectRef;
  /** Set when the object is a valid source. */
  spec?: ReflectionSpec;
  /** Set when the object carries source annotations, valid or not. */
  isSource: boolean;
  /** Set when the object is a pull mirror (it names a source to copy from). */
  pull?: PullSpec;
  /** Set when the object is a pushed mirror: the "namespace/name" of its source, and who made it. */
  pushedBy?: { sourceKey: string; by: 'kube-reflect' | 'reflector' };
  /** Problems with this object's annotations; an error means no action for it. */
  findings: Finding[];
}

const REFLECTOR_SOURCE_KEYS = [
  Reflector.allowed,
  Reflector.allowedNamespaces,
  Reflector.allowedNamespacesSelector,
  Reflector.autoEnabled,
  Reflector.autoNamespaces,
  Reflector.autoNamespacesSelector,
];
const NATIVE_TARGETING_KEYS = [
  Native.to,
  Native.toSelector,
  Native.allowedNamespaces,
  Native.allowedNamespacesSelector,
];
const NATIVE_MODIFIER_KEYS = [
  Native.optInOnly,
  Native.mirrorName,
  Native.copyLabels,
  Native.copyAnnotations,
  Native.once,
  Native.onceVersion,
  Native.paused,
  Native.maxTargets,
  Native.onSourceDelete,
  Native.transform,
  Native.transformStrict,
];

/** Options of parsing that come from the surface (controller flags), not from the object. */
export interface ParseOptions extends DialectOptions {
  /** Limits on transform rules per source (default: 50 rules, 10 KiB). */
  transformLimits?: TransformLimits;
}

const NO_ANNOTATIONS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * True when an object takes part in reflection only by existing: no annotation, no KubeMirror label, valid names
 * (parseObject of it is a plain reference with no finding).
 */
export function isBystander(obj: KubeObject): boolean {
  const { annotations, labels, name, namespace } = obj.metadata as KubeObject['metadata'] & { name: unknown };
  if (annotations !== undefined && hasAnyKey(annotations)) return false;
  if (labels?.[KubeMirror.enabled] !== undefined) return false;
  if (typeof name !== 'string' || !isObjectName(name)) return false;
  return namespace === undefined || namespace === '' || (typeof namespace === 'string' && isDnsLabel(namespace));
}

/** Parses an object's annotations once into its role and typed specs; never throws. */
export function parseObject(obj: KubeObject, options: ParseOptions = {}): ParsedObject {
  const annotations = obj.metadata.annotations ?? NO_ANNOTATIONS;
  // Most objects carry no annotation (a package's Deployments, a cluster's unrelated Secrets): then only KubeMirror's
  // label could make them anything, and they need no reader (reading them key by key was most of a large plan's
  // time; making a reader for each, much of its garbage).
  if (!hasAnyKey(annotations) && obj.metadata.labels?.[KubeMirror.enabled] === undefined) {
    const plain: ParsedObject = { object: obj, ref: refOf(obj), isSource: false, findings: [] };
    hasValidNames(plain);
    return plain;
  }
  const reader = new AnnotationReader(obj);
  const parsed: ParsedObject = { object: obj, ref: reader.ref, isSource: false, findings: reader.findings };
  if (!hasValidNames(parsed)) return parsed;
  checkUnknownKeys(reader, Object.keys(annotations));
  checkPeerKeys(reader, Object.keys(annotations), options);

  const pushedBy = pushedMirrorOf(obj, reader);
  if (pushedBy !== undefined) {
    // A pushed mirror is written by us; it carries no user intent, so it is never a source or a pull mirror.
    parsed.pushedBy = pushedBy;
    return parsed;
  }

  // Peer dialects (k8s-replicator, mittwald, config-syncer, KubeMirror) are read by core/dialects/.
  const peer = readPeerObject(reader, obj, options);
  if (peer !== undefined) return { ...parsed, ...peer };

  const pull = parsePull(reader, obj);
  if (pull !== undefined) parsed.pull = pull;

  const hasReflector = REFLECTOR_SOURCE_KEYS.some((k) => reader.has(k));
  const hasNativeTargeting = NATIVE_TARGETING_KEYS.some((k) => reader.has(k));
  const hasNativeModifier = NATIVE_MODIFIER_KEYS.some((k) => reader.has(k));
  if (!hasReflector && !hasNativeTargeting && !hasNativeModifier) return parsed;
  parsed.isSource = true;
  if (hasReflector && hasNativeTargeting) {
    parsed.findings.push({
      severity: 'error',
      reason: 'MixedDialects',
      message: `${parsed.ref.kind} ${keyOf(obj)}: both ${REFLECTOR_PREFIX}reflection-* and ${NATIVE_PREFIX}to/allowed-namespaces annotations are set; use one dialect for targeting`,
      object: parsed.ref,
    });
    return parsed;
  }
  if (!hasReflector && !hasNativeTargeting) {
    const modifier = NATIVE_MODIFIER_KEYS.find((k) => reader.has(k)) ?? Native.to;
    reader.invalid(
      modifier,
      `it has no effect without ${Native.to}, ${Native.toSelector} or ${Native.allowedNamespaces}`,
    );
    return parsed;
  }
  const spec = hasReflector ? parseReflectorSource(reader, obj) : parseNativeSource(reader, obj);
  applyModifiers(reader, spec, obj);
  const transform = readTransform(
    reader,
    obj,
    { transform: Native.transform, strict: Native.transformStrict },
    options.transformLimits,
  );
  if (transform !== undefined) spec.transform = transform;
  if (!reader.failed) parsed.spec = spec;
  return parsed;
}

/**
 * An object whose own name or namespace is not a valid one (hostile YAML in a package) is none of source, mirror or
 * pull mirror: its names would become mirror names and file paths. It gets an InvalidName error naming the field.
 */
function hasValidNames(parsed: ParsedObject): boolean {
  const { name, namespace } = parsed.object.metadata as { name: unknown; namespace: unknown };
  const bad =
    typeof name !== 'string' || !isObjectName(name)
      ? 'metadata.name'
      : namespace !== undefined && namespace !== '' && (typeof namespace !== 'string' || !isDnsLabel(namespace))
        ? 'metadata.namespace'
        : undefined;
  if (bad === undefined) return true;
  const value = bad === 'metadata.name' ? name : namespace;
  parsed.findings.push({
    severity: 'error',
    reason: 'InvalidName',
    message: `${parsed.ref.kind} ${String(parsed.ref.namespace)}/${String(parsed.ref.name)}: ${bad} ${JSON.stringify(value)} is not a valid ${bad === 'metadata.name' ? 'object' : 'namespace'} name; it is ignored`,
    object: parsed.ref,
    detail: { field: bad },
  });
  return false;
}

function checkUnknownKeys(reader: AnnotationReader, keys: readonly string[]): void {
  for (const key of keys) {
    const unknown =
      (key.startsWith(NATIVE_PREFIX) && !KNOWN_NATIVE_KEYS.has(key)) ||
      (key.startsWith(REFLECTOR_PREFIX) && !KNOWN_REFLECTOR_KEYS.has(key));
    if (!unknown) continue;
    reader.findings.push({
      severity: 'error',
      reason: 'UnknownAnnotation',
      message: `${reader.ref.kind} ${reader.ref.namespace}/${reader.ref.name}: unknown annotation ${key}; see docs/annotations.md`,
      object: reader.ref,
      annotation: key,
    });
  }
}

function hasAnyKey(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function pushedMirrorOf(obj: KubeObject, reader: AnnotationReader): ParsedObject['pushedBy'] {
  const labels = obj.metadata.labels ?? {};
  const source = reader.raw(Provenance.source);
  if (labels[Labels.mirror] === 'true' && source !== undefined && parseKey(source) !== undefined) {
    return { sourceKey: source.trim(), by: 'kube-reflect' };
  }
  const reflects = reader.raw(Reflector.reflects);
  const auto = (reader.raw(Reflector.autoReflects) ?? '').trim().toLowerCase() === 'true';
  if (auto && reflects !== undefined && parseKey(reflects) !== undefined) {
    return { sourceKey: reflects.trim(), by: 'reflector' };
  }
  return undefined;
}

function parsePull(reader: AnnotationReader, obj: KubeObject): PullSpec | undefined {
  const key = reader.has(Native.from) ? Native.from : reader.has(Reflector.reflects) ? Reflector.reflects : undefined;
  if (key === undefined) return undefined;
  if (reader.has(Native.from) && reader.has(Reflector.reflects)) {
    reader.invalid(Native.from, `it cannot be combined with ${Reflector.reflects}`);
    return undefined;
  }
  const value = reader.raw(key) ?? '';
  const from = parseKey(value);
  if (from === undefined) {
    reader.invalid(key, `"${value}" is not "namespace/name"`);
    return undefined;
  }
  if (from.namespace === obj.metadata.namespace && from.name === obj.metadata.name) {
    reader.invalid(key, 'an object cannot reflect itself');
    return undefined;
  }
  const onSourceLoss = reader.oneOf(Native.onSourceLoss, ['keep', 'clear'] as const, 'keep');
  return {
    mirror: reader.ref,
    dialect: key === Native.from ? 'native' : 'reflector',
    from,
    annotation: key,
    onSourceLoss,
  };
}

function parseReflectorSource(reader: AnnotationReader, obj: KubeObject): ReflectionSpec {
  const spec = baseSpec(reader, obj, 'reflector');
  const allowed = reader.bool(Reflector.allowed);
  const autoEnabled = reader.bool(Reflector.autoEnabled);
  if (!allowed) return spec;
  const allowedRule = parseReflectorRule(reader, Reflector.allowedNamespaces, Reflector.allowedNamespacesSelector);
  if (allowedRule !== undefined) spec.allowed = allowedRule;
  if (autoEnabled) {
    const pushRule = parseReflectorRule(reader, Reflector.autoNamespaces, Reflector.autoNamespacesSelector);
    if (pushRule !== undefined) spec.push = pushRule;
  }
  return spec;
}

function parseNativeSource(reader: AnnotationReader, obj: KubeObject): ReflectionSpec {
  const spec = baseSpec(reader, obj, 'native');
  const push = parseNativeRule(reader, Native.to, Native.toSelector);
  if (push !== undefined) spec.push = push;
  const allowed = parseNativeRule(reader, Native.allowedNamespaces, Native.allowedNamespacesSelector);
  if (allowed !== undefined) spec.allowed = allowed;
  spec.optInOnly = reader.bool(Native.optInOnly);
  return spec;
}

function applyModifiers(reader: AnnotationReader, spec: ReflectionSpec, obj: KubeObject): void {
  const mirrorName = reader.raw(Native.mirrorName);
  if (mirrorName !== undefined) {
    if (isDnsSubdomain(mirrorName.trim())) spec.mirrorName = mirrorName.trim();
    else reader.invalid(Native.mirrorName, `"${mirrorName}" is not a valid object name`);
  }
  spec.copyLabels = parseKeyFilter(reader, Native.copyLabels);
  spec.copyAnnotations = parseKeyFilter(reader, Native.copyAnnotations);
  const once = reader.bool(Native.once);
  const onceVersion = reader.raw(Native.onceVersion);
  if (onceVersion !== undefined && onceVersion.length > 256) {
    reader.invalid(Native.onceVersion, 'it is longer than 256 characters');
  } else if (once || onceVersion !== undefined) {
    spec.once = { version: (onceVersion ?? '').trim() };
  }
  spec.paused = reader.bool(Native.paused);
  const max = reader.positiveInt(Native.maxTargets, MAX_TARGETS_LIMIT);
  if (max !== undefined) spec.maxTargets = max;
  spec.onSourceDelete = reader.oneOf(Native.onSourceDelete, ['delete', 'orphan'] as const, 'delete');
  if (obj.metadata.namespace === undefined || obj.metadata.namespace === '') {
    reader.invalid(Native.to, 'the source has no namespace; only namespaced objects can be mirrored');
  }
}
