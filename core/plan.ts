import { allowAllSpec } from './dialects/common.ts';
import { isPeerMirrorOf, peerMirrorOf, peerOnceVersion } from './dialects/index.ts';
import { pushVariants } from './dialects/push-variants.ts';
import type { Finding } from './finding.ts';
import { compareFindings } from './finding.ts';
import { contentOf, needsRecreate } from './kinds.ts';
import type { KubeObject, NamespaceInfo, ObjectRef } from './kube-object.ts';
import { groupKindOf, identityOf, keyOf, refOf } from './kube-object.ts';
import { Provenance } from './names.ts';
import type { ParsedObject } from './parse-object.ts';
import { parseObject } from './parse-object.ts';
import { denialOf, groupKindString, isExcludedNamespace, mayPushFrom } from './policy.ts';
import type { MirrorStatus, Plan, PlanOptions, PlannedApply, PlannedDelete, SourceRef, World } from './plan-types.ts';
import type { RenderedMirror } from './render.ts';
import { isDrifted, isInSync, renderCleared, renderMirrorOutcome } from './render.ts';
import type { PullSpec, ReflectionSpec } from './spec.ts';
import { decidePull, pushTargets } from './targets.ts';

/**
 * Plans reflection for a world: the mirrors to apply, the mirrors to delete and the findings, all sorted.
 * Pure, deterministic and idempotent; it never plans a write or delete of an object that is not our mirror.
 */
export function planReflection(world: World, options: PlanOptions = {}): Plan {
  const ctx = new PlanContext(world, options);
  for (const source of ctx.sources) ctx.planSource(source);
  for (const mirror of ctx.pushedMirrors) ctx.planPushedMirror(mirror);
  for (const mirror of ctx.pullMirrors) ctx.planPullMirror(mirror);
  return ctx.result();
}

/** The source identity ("Kind.group/namespace/name") a pushed or pull mirror belongs to. */
function sourceIdentity(mirror: KubeObject, sourceKey: string): string {
  return `${groupKindOf(mirror)}/${sourceKey}`;
}

class PlanContext {
  readonly sources: ParsedObject[] = [];
  readonly pushedMirrors: ParsedObject[] = [];
  readonly pullMirrors: ParsedObject[] = [];
  private readonly byIdentity = new Map<string, ParsedObject>();
  private readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly scope: ReadonlySet<string> | undefined;
  private readonly focus: ReadonlySet<string> | undefined;
  private readonly adopt: boolean;
  /** Mirror identities wanted by a source in this plan, mapped to that source's identity. */
  private readonly claimed = new Map<string, string>();
  /** Sources whose pushed mirrors must be left alone (invalid, paused, over their target cap). */
  private readonly frozen = new Set<string>();
  private readonly apply: PlannedApply[] = [];
  private readonly del: PlannedDelete[] = [];
  private readonly findings: Finding[] = [];
  private readonly mirrors: MirrorStatus[] = [];

  constructor(
    world: World,
    private readonly options: PlanOptions,
  ) {
    this.scope = options.sources === undefined ? undefined : new Set(options.sources.map(sourceRefIdentity));
    this.focus = options.namespaces === undefined ? undefined : new Set(options.namespaces);
    this.adopt = options.adoptReflectorMirrors ?? true;
    for (const ns of world.namespaces) this.namespaces.set(ns.name, ns);
    for (const obj of world.objects) {
      const parsed = parseObject(obj, options);
      this.byIdentity.set(identityOf(obj), parsed);
      const own = this.inScope(identityOf(obj));
      if (parsed.isSource && own) this.sources.push(parsed);
      if (parsed.pushedBy !== undefined && this.inScope(sourceIdentity(obj, parsed.pushedBy.sourceKey))) {
        this.pushedMirrors.push(parsed);
      }
      const pulled = parsed.pull !== undefined && this.inScope(sourceIdentity(obj, pullKeyOf(parsed.pull)));
      if (pulled) this.pullMirrors.push(parsed);
      if (own || pulled) this.findings.push(...parsed.findings);
    }
    const byId = (a: ParsedObject, b: ParsedObject) => cmp(identityOf(a.ref), identityOf(b.ref));
    this.sources.sort(byId);
    this.pushedMirrors.sort(byId);
    this.pullMirrors.sort(byId);
  }

  /** True when the plan may write or delete in this namespace: in focus, and not excluded. */
  private inFocus(namespace: string): boolean {
    return (this.focus === undefined || this.focus.has(namespace)) && !isExcludedNamespace(namespace, this.options);
  }

  private inScope(sourceIdentity: string): boolean {
    return this.scope === undefined || this.scope.has(sourceIdentity);
  }

  /** Plans the pushed mirrors of one source. */
  planSource(source: ParsedObject): void {
    const id = identityOf(source.ref);
    const spec = source.spec;
    if (spec === undefined) {
      // Invalid annotations: no action at all, so a typo never deletes a fleet of mirrors.
      if (source.findings.some((f) => f.severity === 'error')) this.frozen.add(id);
      return;
    }
    const denial = denialOf(source.object, this.options);
    if (denial !== undefined) {
      this.findings.push({
        severity: 'error',
        reason: denial.reason,
        message: `${describe(source.ref)}: ${denial.message}`,
        object: source.ref,
      });
      return;
    }
    if (spec.paused) {
      this.frozen.add(id);
      this.findings.push({
        severity: 'info',
        reason: 'Paused',
        message: `${describe(source.ref)}: reflection is paused`,
        object: source.ref,
      });
      return;
    }
    if (spec.push !== undefined && !mayPushFrom(source.ref.namespace, this.options)) {
      // Nothing is written or deleted: an administrator's policy change must not wipe a fleet of mirrors.
      this.frozen.add(id);
      this.findings.push({
        severity: 'error',
        reason: 'PushSourceNotAllowed',
        message: `${describe(source.ref)}: sources in namespace ${source.ref.namespace} may not push mirrors (allowed: ${(this.options.pushSourceNamespaces ?? []).join(', ') || 'none'}); nothing was written`,
        object: source.ref,
        annotation: spec.push.annotation,
      });
      return;
    }
    const variants = pushVariants(spec);
    const targetsOf = variants.map((variant) => pushTargets(variant, [...this.namespaces.values()], this.options));
    const count = targetsOf.reduce((n, targets) => n + targets.length, 0);
    const cap = Math.min(spec.maxTargets ?? Infinity, this.options.maxTargets ?? Infinity);
    if (count > cap) {
      this.frozen.add(id);
      this.findings.push({
        severity: 'error',
        reason: 'TooManyTargets',
        message: `${describe(source.ref)}: ${count} target namespaces exceed the limit of ${cap}; nothing was written`,
        object: source.ref,
      });
      return;
    }
    variants.forEach((variant, i) => {
      for (const namespace of targetsOf[i] ?? [])
        if (this.inFocus(namespace)) this.planPushTarget(source, variant, namespace);
    });
  }

  private planPushTarget(source: ParsedObject, spec: ReflectionSpec, namespace: string): void {
    const sourceId = identityOf(source.ref);
    const rendered = renderMirrorOutcome(source.object, spec, { namespace, name: spec.mirrorName }, 'push');
    const mirrorRef: ObjectRef = { ...source.ref, namespace, name: spec.mirrorName };
    const mirrorId = identityOf(mirrorRef);
    const transformed = this.noteTransform(source.ref, mirrorRef, spec, rendered);
    const status = (state: MirrorStatus['state']) =>
      void this.mirrors.push({ source: source.ref, mirror: mirrorRef, mode: 'push', state, ...transformed });
    const claimant = this.claimed.get(mirrorId);
    if (claimant !== undefined && claimant !== sourceId) {
      this.blocked(source.ref, mirrorRef, `it is wanted by another source (${claimant})`);
      return status('blocked');
    }
    const desired = rendered.object;
    if (desired === undefined) {
      // A strict transform rule failed here: whatever stands in the namespace stays as it is, and is not deleted.
      this.claimed.set(mirrorId, sourceId);
      return status('blocked');
    }
    const existing = this.byIdentity.get(mirrorId);
    if (existing === undefined) {
      this.claimed.set(mirrorId, sourceId);
      this.apply.push({ object: desired, source: source.ref, reason: 'create' });
      return status('missing');
    }
    const sourceKey = keyOf(source.ref);
    if (existing.pull !== undefined && pullKeyOf(existing.pull) === sourceKey) {
      return; // a pull mirror of this very source already stands there; the pull pass fills it
    }
    // A copy another replication tool made for this very source is adopted in place, as Reflector's are.
    const peer = existing.pushedBy === undefined ? peerMirrorOf(existing.object) : undefined;
    const adoptPeer = peer !== undefined && isPeerMirrorOf(peer, spec.dialect, sourceKey);
    if (!adoptPeer && !this.owns(existing, sourceKey) && !this.outranks(source, existing, namespace)) {
      const why =
        existing.pushedBy === undefined
          ? 'an object that is not a mirror of this source already exists there'
          : `it is the mirror of another source (${existing.pushedBy.sourceKey})`;
      this.blocked(source.ref, existing.ref, why);
      return status('blocked');
    }
    this.claimed.set(mirrorId, sourceId);
    const adopting = existing.pushedBy?.by === 'reflector' || adoptPeer;
    // A once-only copy the peer already made keeps its data: adopting must not replace a password it handed out.
    const keep = adoptPeer && spec.once !== undefined && peerOnceVersion(existing.object) === spec.once.version;
    const target = keep ? { ...desired, ...contentOf(existing.object) } : desired;
    this.compareAndApply(existing.object, target, source.ref, spec, adopting, status);
  }

  private compareAndApply(
    live: KubeObject,
    desired: KubeObject,
    source: ObjectRef,
    spec: ReflectionSpec,
    adopting: boolean,
    status: (state: MirrorStatus['state']) => void,
  ): void {
    if (adopting) {
      this.apply.push({ object: desired, source, reason: 'adopt' });
      return status('outdated');
    }
    const liveOnce = live.metadata.annotations?.[Provenance.copiedOnceVersion];
    if (spec.once !== undefined && liveOnce === spec.once.version) return status('in-sync');
    if (isInSync(live, desired)) return status('in-sync');
    if (needsRecreate(live, desired)) {
      this.del.push({ object: refOf(live), ...uidOf(live), source, reason: 'recreate' });
      this.apply.push({ object: desired, source, reason: 'recreate' });
      return status('outdated');
    }
    const drifted = isDrifted(live, desired);
    this.apply.push({ object: desired, source, reason: drifted ? 'drift' : 'update' });
    status(drifted ? 'drifted' : 'outdated');
  }

  /**
   * Two sources that want the same mirror must not fight, whatever order they are reconciled in: the source whose
   * identity sorts first wins, and takes over the other's mirror while the other still wants it.
   */
  private outranks(source: ParsedObject, existing: ParsedObject, namespace: string): boolean {
    const by = existing.pushedBy;
    if (by === undefined || by.by !== 'kube-reflect') return false;
    const rival = this.byIdentity.get(sourceIdentity(existing.object, by.sourceKey));
    const spec = rival?.spec;
    if (rival === undefined || spec === undefined || spec.paused || spec.mirrorName !== existing.ref.name) return false;
    const ns = this.namespaces.get(namespace);
    if (ns === undefined || !pushTargets(spec, [ns], this.options).includes(namespace)) return false;
    return identityOf(source.ref) < identityOf(rival.ref);
  }

  private owns(existing: ParsedObject, sourceKey: string): boolean {
    const by = existing.pushedBy;
    if (by === undefined || by.sourceKey !== sourceKey) return false;
    return by.by === 'kube-reflect' || this.adopt;
  }

  /** Deletes (or keeps, as orphans) pushed mirrors that their source no longer wants. */
  planPushedMirror(mirror: ParsedObject): void {
    const by = mirror.pushedBy;
    if (by === undefined || (by.by === 'reflector' && !this.adopt) || !this.inFocus(mirror.ref.namespace)) return;
    const mirrorId = identityOf(mirror.ref);
    const srcId = sourceIdentity(mirror.object, by.sourceKey);
    // A claimed mirror is written (or already right) for the source that claimed it; never delete it here.
    if (this.claimed.has(mirrorId) || this.frozen.has(srcId)) return;
    if (this.namespaces.get(mirror.ref.namespace)?.terminating === true) return;
    const source = this.byIdentity.get(srcId);
    const sourceRef: ObjectRef = {
      ...mirror.ref,
      namespace: by.sourceKey.split('/')[0] ?? '',
      name: by.sourceKey.split('/')[1] ?? '',
    };
    if (source === undefined) {
      if (mirror.object.metadata.annotations?.[Provenance.onSourceDelete] === 'orphan') {
        this.findings.push({
          severity: 'info',
          reason: 'Orphaned',
          message: `${describe(mirror.ref)}: its source ${by.sourceKey} is gone; kept as an orphan as the source asked`,
          object: mirror.ref,
          source: sourceRef,
        });
        this.mirrors.push({ source: sourceRef, mirror: mirror.ref, mode: 'push', state: 'orphaned' });
        return;
      }
      this.del.push({ object: mirror.ref, ...uidOf(mirror.object), source: sourceRef, reason: 'source-deleted' });
      return;
    }
    const reason = source.spec?.push === undefined ? 'source-disabled' : 'not-targeted';
    this.del.push({ object: mirror.ref, ...uidOf(mirror.object), source: source.ref, reason });
  }

  /** Fills a pull mirror from its source when the source allows it; reports it otherwise. */
  planPullMirror(mirror: ParsedObject): void {
    const pull = mirror.pull as PullSpec;
    if (mirror.findings.some((f) => f.severity === 'error') || !this.inFocus(mirror.ref.namespace)) return;
    const sourceKey = pullKeyOf(pull);
    const source = this.byIdentity.get(sourceIdentity(mirror.object, sourceKey));
    const sourceRef: ObjectRef = { ...mirror.ref, namespace: pull.from.namespace, name: pull.from.name };
    const status = (state: MirrorStatus['state']) =>
      void this.mirrors.push({ source: sourceRef, mirror: mirror.ref, mode: 'pull', state });
    const lose = (reason: 'SourceNotFound' | 'PullDenied', why: string, state: MirrorStatus['state']) => {
      this.findings.push({
        severity: 'warning',
        reason,
        message: `${describe(mirror.ref)}: ${why}; its data is ${pull.onSourceLoss === 'clear' ? 'cleared' : 'left as it is'}`,
        object: mirror.ref,
        annotation: pull.annotation,
        source: sourceRef,
      });
      status(state);
      if (pull.onSourceLoss === 'clear') {
        const cleared = renderCleared(mirror.object);
        if (!isInSync(mirror.object, cleared)) this.apply.push({ object: cleared, source: sourceRef, reason: 'clear' });
      }
    };
    if (source === undefined)
      return lose('SourceNotFound', `its source ${mirror.ref.kind} ${sourceKey} does not exist`, 'orphaned');
    if (source.isSource && source.spec === undefined) return; // the source's own findings say what is wrong
    const spec = this.pullPermission(source, pull);
    if (spec === undefined) return lose('PullDenied', `its source ${sourceKey} does not allow reflection`, 'denied');
    const denial = denialOf(source.object, this.options);
    if (denial !== undefined)
      return lose('PullDenied', `its source ${sourceKey} may not be mirrored: ${denial.message}`, 'denied');
    if (spec.paused) return status('paused');
    const ns = this.namespaces.get(mirror.ref.namespace) ?? { name: mirror.ref.namespace, labels: {} };
    const decision = decidePull(spec, ns);
    if (!decision.allowed)
      return lose(
        'PullDenied',
        `its source ${sourceKey} does not allow namespace ${ns.name}: ${decision.why}`,
        'denied',
      );
    const target = { namespace: mirror.ref.namespace, name: mirror.ref.name };
    const rendered = renderMirrorOutcome(source.object, withPullOnce(spec, pull), target, 'pull');
    const transformed = this.noteTransform(source.ref, mirror.ref, spec, rendered);
    const report = (state: MirrorStatus['state']) =>
      void this.mirrors.push({ source: sourceRef, mirror: mirror.ref, mode: 'pull', state, ...transformed });
    const desired = rendered.object;
    if (desired === undefined) return report('blocked');
    if (needsRecreate(mirror.object, desired) && !isInSync(mirror.object, desired)) {
      this.findings.push({
        severity: 'warning',
        reason: 'InvalidMirror',
        message: `${describe(mirror.ref)}: its type or immutability differs from its source ${sourceKey}; delete it and create it again to reflect`,
        object: mirror.ref,
        source: source.ref,
      });
      return report('blocked');
    }
    const live = mirror.object;
    const wasFilled = live.metadata.annotations?.[Provenance.contentHash] !== undefined;
    const once = withPullOnce(spec, pull).once;
    if (once !== undefined && live.metadata.annotations?.[Provenance.copiedOnceVersion] === once.version)
      return report('in-sync');
    if (once !== undefined && !wasFilled && peerOnceVersion(live) === once.version) return report('in-sync');
    if (isInSync(live, desired)) return report('in-sync');
    const drifted = isDrifted(live, desired);
    this.apply.push({
      object: desired,
      source: source.ref,
      reason: !wasFilled ? 'fill' : drifted ? 'drift' : 'update',
    });
    report(!wasFilled ? 'missing' : drifted ? 'drifted' : 'outdated');
  }

  /** Reports the transform rules that failed for one mirror, and returns what its status should say about them. */
  private noteTransform(
    source: ObjectRef,
    mirror: ObjectRef,
    spec: ReflectionSpec,
    rendered: RenderedMirror,
  ): { transform?: NonNullable<MirrorStatus['transform']> } {
    const t = rendered.transform;
    if (t === undefined) return {};
    for (const f of t.failed) {
      this.findings.push({
        severity: 'warning',
        reason: 'TransformFailed',
        message: `${describe(mirror)}: transform rule ${f.rule} (${f.path}) failed: ${f.why}; ${
          t.stopped ? 'the mirror was not written (transform-strict)' : 'the rule was skipped'
        }`,
        object: mirror,
        annotation: spec.transform?.annotation ?? '',
        source,
      });
    }
    return { transform: { applied: t.applied, failed: t.failed.map((f) => f.rule) } };
  }

  /**
   * The spec whose permission governs a pull: the source's own; for a k8s-replicator copy, the spec of the source
   * that pushed it (a copy inherits its source's allow annotations); under allowAll, an implicit allow-all spec.
   */
  private pullPermission(source: ParsedObject, pull: PullSpec): ReflectionSpec | undefined {
    if (source.spec !== undefined) return source.spec;
    if (source.pushedBy !== undefined) {
      const origin = this.byIdentity.get(sourceIdentity(source.object, source.pushedBy.sourceKey))?.spec;
      return origin?.dialect === 'k8s-replicator' ? origin : undefined;
    }
    if (this.options.allowAll === true && (pull.dialect === 'k8s-replicator' || pull.dialect === 'mittwald'))
      return allowAllSpec(source.object, pull.dialect);
    return undefined;
  }

  private blocked(source: ObjectRef, at: ObjectRef, why: string): void {
    this.findings.push({
      severity: 'warning',
      reason: 'TargetBlocked',
      message: `${describe(at)}: not written for source ${keyOf(source)}: ${why}; it is left untouched`,
      object: at,
      source,
    });
  }

  result(): Plan {
    const byObj = (a: { object: ObjectRef | KubeObject }, b: { object: ObjectRef | KubeObject }) =>
      cmp(identityOf(a.object), identityOf(b.object));
    return {
      apply: dedupe(this.apply.sort(byObj), (a) => identityOf(a.object)),
      delete: dedupe(this.del.sort(byObj), (d) => identityOf(d.object)),
      findings: dedupe(this.findings.sort(compareFindings), (f) => JSON.stringify(f)),
      mirrors: this.mirrors.sort(
        (a, b) => cmp(identityOf(a.source), identityOf(b.source)) || cmp(identityOf(a.mirror), identityOf(b.mirror)),
      ),
    };
  }
}

/** The identity of a source named by a SourceRef, as identityOf spells it. */
function sourceRefIdentity(ref: SourceRef): string {
  return `${groupKindString(ref)}/${ref.namespace}/${ref.name}`;
}

/** The "namespace/name" of the source a pull mirror names. */
function pullKeyOf(pull: PullSpec): string {
  return `${pull.from.namespace}/${pull.from.name}`;
}

/** The spec a pull renders with: a once asked by the pull mirror itself applies when the source sets none. */
function withPullOnce(spec: ReflectionSpec, pull: PullSpec): ReflectionSpec {
  return spec.once === undefined && pull.once !== undefined ? { ...spec, once: pull.once } : spec;
}

function uidOf(obj: KubeObject): { uid?: string } {
  return obj.metadata.uid === undefined ? {} : { uid: obj.metadata.uid };
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

function dedupe<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
