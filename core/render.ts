import { canonicalEqual, contentHash, shortHash } from './content-hash.ts';
import { clearedPassword } from './dialects/cleared-secret.ts';
import { Interner } from './intern.ts';
import { filterKeys } from './key-filter.ts';
import type { KubeObject } from './kube-object.ts';
import { groupKindOf, keyOf } from './kube-object.ts';
import { contentOf } from './kinds.ts';
import { Labels, MANAGER_NAME, Provenance, Reflector } from './names.ts';
import type { ReflectionSpec } from './spec.ts';
import type { RuleFailure } from './transform/apply.ts';
import { applyTransform } from './transform/apply.ts';
import { copyMap } from './transform/path.ts';
import type { TemplateContext } from './transform/template-eval.ts';

/** How a mirror came to be: pushed by its source, or pulled by an object that names the source. */
export type MirrorMode = 'push' | 'pull';

/** Returns the value of the label that lets a source's pushed mirrors be listed with one server-side selector. */
export function sourceHashLabel(sourceKey: string): string {
  return sourceHashLabels.get(sourceKey);
}

// Every mirror a plan renders carries its source's label, and every reconcile renders them again: a SHA-256 in
// JavaScript each time (interpreted in the controller, which runs with --no-opt) was a new namespace's largest cost
// after JSON. The answers are remembered, a bounded number (a cluster of more sources starts over, never grows).
const sourceHashLabels = new Interner(shortHash, 4096);

/** A rendered mirror with what its source's transform rules did; no object when a strict rule failed. */
export interface RenderedMirror {
  object?: KubeObject;
  transform?: { applied: number[]; failed: RuleFailure[]; stopped: boolean };
}

/**
 * Renders the mirror of a source in a target namespace: deterministic, no server fields, no owner references,
 * with provenance and a content hash of everything it copies; undefined when a strict transform rule failed.
 */
export function renderMirror(
  source: KubeObject,
  spec: ReflectionSpec,
  target: { namespace: string; name: string },
  mode: MirrorMode,
): KubeObject | undefined {
  return renderMirrorOutcome(source, spec, target, mode).object;
}

/** What every mirror of a source copies before transform rules run, and its hash: the same in every namespace. */
interface CopiedBase {
  content: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hash: string;
}

function copiedBase(source: KubeObject, spec: ReflectionSpec, memo?: RenderMemo): CopiedBase {
  const remembered = memo?.baseOf(source, spec);
  if (remembered !== undefined) return { ...remembered, content: ownContent(remembered.content) };
  const content = contentOf(source);
  const labels = filterKeys(source.metadata.labels, spec.copyLabels);
  const annotations = filterKeys(source.metadata.annotations, spec.copyAnnotations);
  return {
    content,
    labels,
    annotations,
    hash: contentHash({ kind: groupKindOf(source), content, labels, annotations }),
  };
}

/**
 * A mirror's own copy of the content its source's mirrors share: a Secret's data map is copied (mirrors of one plan
 * must not share Secret data), as contentOf copies it; everything else is shared, as contentOf shares it.
 */
function ownContent(content: Record<string, unknown>): Record<string, unknown> {
  const data = content.data;
  return data !== undefined && content.type !== undefined
    ? { ...content, data: { ...(data as object) } }
    : { ...content };
}

/**
 * One plan's memory of what each source's mirrors start from, so a fan-out copies (transformed) and hashes (all) the
 * source once, not once per target namespace. Lives for one plan: objects are not re-read.
 */
export class RenderMemo {
  private readonly bases = new Map<KubeObject, { spec: ReflectionSpec; base: CopiedBase }[]>();
  private readonly sourceHashes = new Map<string, string>();

  /** The source-hash label value of a source key, computed on first use. */
  sourceHashLabel(sourceKey: string): string {
    let hash = this.sourceHashes.get(sourceKey);
    if (hash === undefined) this.sourceHashes.set(sourceKey, (hash = sourceHashLabel(sourceKey)));
    return hash;
  }

  /** The copied base of a source under a spec, computed on first use. */
  baseOf(source: KubeObject, spec: ReflectionSpec): CopiedBase {
    let list = this.bases.get(source);
    if (list === undefined) this.bases.set(source, (list = []));
    // Push variants and pull specs are separate objects that may copy alike; the filters decide.
    const hit = list.find(
      (e) => e.spec.copyLabels === spec.copyLabels && e.spec.copyAnnotations === spec.copyAnnotations,
    );
    if (hit !== undefined) return hit.base;
    const base = copiedBase(source, spec);
    list.push({ spec, base });
    return base;
  }
}

/** Renders a mirror as renderMirror does, and reports which transform rules applied or failed in its namespace. */
export function renderMirrorOutcome(
  source: KubeObject,
  spec: ReflectionSpec,
  target: { namespace: string; name: string },
  mode: MirrorMode,
  memo?: RenderMemo,
): RenderedMirror {
  const sourceKey = keyOf(source);
  let copiedLabels: Record<string, string>;
  let copiedAnnotations: Record<string, string>;
  let content: Record<string, unknown>;
  let hash: string;
  let outcome: RenderedMirror['transform'];
  if (spec.transform === undefined) {
    // Each mirror gets its own copy (mirrors of one plan must not share Secret data), but the hash of what they all
    // copy is the same in every namespace: taken from the memo, a fan-out hashes the source once, not per namespace.
    ({ content, labels: copiedLabels, annotations: copiedAnnotations, hash } = copiedBase(source, spec, memo));
  } else {
    // Rules change what is copied; provenance is added after them, so no rule can touch it.
    const base = memo?.baseOf(source, spec) ?? copiedBase(source, spec);
    const result = applyTransform(
      { kind: groupKindOf(source), content: base.content, labels: base.labels, annotations: base.annotations },
      spec.transform.rules,
      templateContextOf(source, target),
    );
    const stopped = spec.transform.strict && result.failed.length > 0;
    outcome = { applied: result.applied, failed: result.failed, stopped };
    if (stopped) return { transform: outcome };
    content = sortRecordDeep(result.content);
    copiedLabels = result.labels;
    copiedAnnotations = result.annotations;
    // The mirror is the copied base with the rules' effects applied in order, so hashing the two covers the
    // transformed mirror, for a fraction of the cost of hashing all of it again in every namespace.
    hash = contentHash(`${base.hash}\n${result.effects}`);
  }
  const labels = copyMap(copiedLabels) as Record<string, string>;
  const annotations = copyMap(copiedAnnotations) as Record<string, string>;
  if (mode === 'push') {
    labels[Labels.managedBy] = MANAGER_NAME;
    labels[Labels.mirror] = 'true';
    labels[Labels.sourceHash] = memo?.sourceHashLabel(sourceKey) ?? sourceHashLabel(sourceKey);
    if (spec.onSourceDelete === 'orphan') annotations[Provenance.onSourceDelete] = 'orphan';
    if (spec.dialect === 'reflector') {
      // Reflector-aware tooling recognises automatic mirrors by these two annotations.
      annotations[Reflector.reflects] = sourceKey;
      annotations[Reflector.autoReflects] = 'True';
    }
  }
  annotations[Provenance.source] = sourceKey;
  if (source.metadata.uid !== undefined && source.metadata.uid !== '')
    annotations[Provenance.sourceUid] = source.metadata.uid;
  annotations[Provenance.contentHash] = hash;
  if (spec.once !== undefined) annotations[Provenance.copiedOnceVersion] = spec.once.version;
  const object: KubeObject = {
    apiVersion: source.apiVersion,
    kind: source.kind,
    metadata: {
      name: target.name,
      namespace: target.namespace,
      labels: sortRecord(labels),
      annotations: sortRecord(annotations),
    },
    ...content,
  };
  return outcome === undefined ? { object } : { object, transform: outcome };
}

function templateContextOf(source: KubeObject, target: { namespace: string; name: string }): TemplateContext {
  return {
    TargetNamespace: target.namespace,
    SourceNamespace: source.metadata.namespace ?? '',
    SourceName: source.metadata.name,
    TargetName: target.name,
    Labels: source.metadata.labels ?? {},
    Annotations: source.metadata.annotations ?? {},
  };
}

// contentOf sorts top-level keys; a rule may add one, so the transformed content is sorted again.
function sortRecordDeep(map: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k];
  return out;
}

/** Renders a pull mirror emptied of its source's data, keeping the minimal payload its Secret type requires. */
export function renderCleared(mirror: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: mirror.apiVersion,
    kind: mirror.kind,
    metadata: { name: mirror.metadata.name, namespace: mirror.metadata.namespace ?? '' },
  };
  const annotations: Record<string, string> = { [Provenance.contentHash]: 'cleared' };
  out.metadata.annotations = annotations;
  if (mirror.kind === 'Secret') {
    const type = typeof mirror.type === 'string' ? mirror.type : 'Opaque';
    out.type = type;
    const minimal = MINIMAL_SECRET_DATA[type];
    if (minimal !== undefined) out.data = { ...minimal };
    if (type === 'kubernetes.io/basic-auth') {
      const password = clearedPassword(mirror);
      if (password !== undefined) (out.data as Record<string, string>).password = password;
    }
  }
  return out;
}

// Typed Secrets fail API validation without these keys, so a cleared mirror keeps them with empty values.
const MINIMAL_SECRET_DATA: Record<string, Record<string, string>> = {
  'kubernetes.io/tls': { 'tls.crt': '', 'tls.key': '' },
  'kubernetes.io/dockerconfigjson': { '.dockerconfigjson': 'eyJhdXRocyI6e319' },
  'kubernetes.io/dockercfg': { '.dockercfg': 'e30=' },
  // The API server accepts an empty key, but k8s-replicator clears with the word "empty", which tools parse as bad.
  'kubernetes.io/ssh-auth': { 'ssh-privatekey': 'ZW1wdHk=' },
  'kubernetes.io/basic-auth': { username: '' },
};

/**
 * Returns true when a live object already carries everything a desired mirror sets: the same content and the same
 * values for each label and annotation the mirror sets. Extra keys on the live object are tolerated.
 */
export function isInSync(live: KubeObject, desired: KubeObject): boolean {
  // The content hash is one of the annotations a mirror sets, so a live mirror carrying another is out of sync: the
  // answer for every mirror of an updated source, found without building the two views.
  const hash = desired.metadata.annotations?.[Provenance.contentHash];
  if (hash !== undefined && live.metadata.annotations?.[Provenance.contentHash] !== hash) return false;
  return canonicalEqual(managedView(live, desired), managedView(desired, desired));
}

/** Returns true when a live mirror differs from the desired one only because someone edited the mirror. */
export function isDrifted(live: KubeObject, desired: KubeObject): boolean {
  return (
    live.metadata.annotations?.[Provenance.contentHash] === desired.metadata.annotations?.[Provenance.contentHash] &&
    !isInSync(live, desired)
  );
}

function managedView(obj: KubeObject, desired: KubeObject): unknown {
  const pick = (map: Record<string, string> | undefined, keys: Record<string, string> | undefined) => {
    const out: Record<string, string | null> = {};
    for (const k of Object.keys(keys ?? {})) out[k] = map?.[k] ?? null;
    return out;
  };
  return {
    content:
      desired.metadata.annotations?.[Provenance.contentHash] === 'cleared' ? clearedContent(obj) : contentOf(obj),
    labels: pick(obj.metadata.labels, desired.metadata.labels),
    annotations: pick(obj.metadata.annotations, desired.metadata.annotations),
  };
}

function clearedContent(obj: KubeObject): unknown {
  return { type: obj.type, data: obj.data ?? null, binaryData: obj.binaryData ?? null };
}

function sortRecord(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k] as string;
  return out;
}
