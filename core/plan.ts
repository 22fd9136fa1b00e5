import { appliedOver } from './apply-plan.ts';
import { allowAllSpec } from './dialects/common.ts';
import { isPeerMirrorOf, peerMirrorOf, peerOnceVersion } from './dialects/index.ts';
import { pushVariants } from './dialects/push-variants.ts';
import type { BlockedBy, Finding } from './finding.ts';
import { BLOCKED_WORDS, compareFindings, printableFinding } from './finding.ts';
import { needsRecreate, withContentOf } from './kinds.ts';
import type { KubeObject, NamespaceInfo, ObjectRef } from './kube-object.ts';
import { finalizersOf, groupKindOf, identityOf, isDnsLabel, keyOf, refOf, splitKey } from './kube-object.ts';
import { PEER_SOURCE_FINALIZERS, Provenance } from './names.ts';
import type { ParsedObject } from './parse-object.ts';
import { isBystander, parseObject } from './parse-object.ts';
import type {
  DeleteReason,
  MirrorStatus,
  Plan,
  PlanOptions,
  PlannedApply,
  PlannedDelete,
  PlannedRelease,
  SourceRef,
  World,
} from './plan-types.ts';
import { denialOf, groupKindString, isExcludedNamespace, mayPushFrom } from './policy.ts';
import { pullChains, pulledIdentity } from './pull-chains.ts';
import type { PullChains } from './pull-chains.ts';
import type { RenderedMirror } from './render.ts';
import { RenderMemo, isDrifted, isInSync, renderCleared, renderMirrorOutcome } from './render.ts';
import type { PullSpec, ReflectionSpec } from './spec.ts';
import { summarizeSources } from './summary.ts';
import { decidePull, pushTargets } from './targets.ts';

/**
 * Plans reflection for a world: the mirrors to apply, the mirrors to delete and the findings, all sorted.
 * Pure, deterministic and idempotent; it never plans a write or delete of an object that is not our mirror.
 * Pull mirrors go first, sources of a chain before the pull mirrors that copy them, so a chain (c <- b <- a) and a
 * source that also pulls are right after one plan.
 */
export function planReflection(world: World, options: PlanOptions = {}): Plan {
  const ctx = new PlanContext(world, options);
  for (const mirror of ctx.pullMirrors) ctx.planPullMirror(mirror);
  for (const source of ctx.sources) ctx.planSource(source);
  ctx.planAfterSources();
  return ctx.result();
}

/** The source identity ("Kind.group/namespace/name") a pushed or pull mirror belongs to. */
function sourceIdentity(mirror: KubeObject, sourceKey: string): string {
  return `${groupKindOf(mirror)}/${sourceKey}`;
}

/** Who a pushed mirror belongs to: the source recorded on it, and whether that source is gone. */
interface RecordedOwner {
  id: string;
  ref: ObjectRef;
  /** The object now at the recorded identity (the owner, or a same-named successor when the uid differs). */
  current?: ParsedObject;
  /** The recorded source no longer exists: nothing at its identity, or an object with another uid. */
  gone: boolean;
}

/** A write as the passes plan it; its precondition is added once the plan is complete. */
type PlannedWrite = Omit<PlannedApply, 'expect'>;

/**
 * One planning run's state and passes (planReflection runs them all; planRows runs them source by source). Each
 * source's planSource depends only on the world and the pull pass, never on another source's, so any order of sources
 * gives the same statuses and findings; only the pushed-mirror pass needs every source planned first.
 */
export class PlanContext {
  readonly sources: ParsedObject[] = [];
  readonly pushedMirrors: ParsedObject[] = [];
  readonly pullMirrors: ParsedObject[] = [];
  private readonly byIdentity = new Map<string, ParsedObject>();
  /** The world's bystanders, parsed only when looked up (bystanderParsed). */
  private readonly bystanders: ReadonlyMap<string, KubeObject> = new Map<string, KubeObject>();
  private readonly bystanderParsed = new Map<string, ParsedObject>();
  private readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly scope: ReadonlySet<string> | undefined;
  private readonly focus: ReadonlySet<string> | undefined;
  private readonly adopt: boolean;
  private readonly chains: PullChains;
  /** Mirror identities written (or found right) for a source in this plan, mapped to that source's reference. */
  private readonly claimed = new Map<string, ObjectRef>();
  /** Push targets of each source of the world, per push variant, computed once (a source's rivals need them too). */
  private readonly targetCache = new Map<string, readonly (readonly string[])[]>();
  /** The same targets as sets, built when first looked up in (targeted). */
  private readonly targetSets = new Map<string, readonly ReadonlySet<string>[]>();
  /** Each mirror identity asked about, with every source of the world that would write it (sorted): contested names. */
  private readonly wantedBy = new Map<string, ObjectRef[]>();
  /** The sources that push (sorted by identity), by "groupKind/mirrorName" of each push variant: a name's writers. */
  private readonly pushersByName = new Map<string, [string, ParsedObject][]>();
  /** Objects as this plan leaves them (filled pull mirrors), so a source that is also a pull mirror pushes fresh data. */
  private readonly after = new Map<string, KubeObject>();
  /** Sources whose pushed mirrors must be left alone (invalid, paused, over their target cap, not allowed to push). */
  private readonly frozen = new Set<string>();
  private readonly apply: PlannedWrite[] = [];
  private readonly del: PlannedDelete[] = [];
  private readonly release: PlannedRelease[] = [];
  /** Findings so far, in the order the passes made them (result() sorts and dedupes them). */
  readonly findings: Finding[] = [];
  /** Mirror statuses so far, in the order the passes made them (result() sorts them). */
  readonly mirrors: MirrorStatus[] = [];
  /** Each transformed source's copied base, hashed once for all its mirrors. */
  private readonly renderMemo = new RenderMemo();

  constructor(
    world: World,
    private readonly options: PlanOptions,
  ) {
    this.scope = options.sources === undefined ? undefined : new Set(options.sources.map(sourceRefIdentity));
    this.focus = options.namespaces === undefined ? undefined : new Set(options.namespaces);
    this.adopt = options.adoptReflectorMirrors ?? true;
    for (const ns of world.namespaces) {
      if (isDnsLabel(ns.name)) this.namespaces.set(ns.name, ns);
      else if (this.scope === undefined) this.findings.push(invalidNamespace(ns.name));
    }
    for (const obj of world.objects) this.addObject(obj);
    if (world.bystanders !== undefined) {
      this.bystanders = world.bystanders;
      // Trusted to exist, not to be plain: one that is not is planned as any object is (and found first).
      world.bystanders.forEach((obj, id) => {
        if (!isBystander(obj) && !this.byIdentity.has(id)) this.addObject(obj);
      });
    }
    this.chains = pullChains(this.byIdentity);
    // Every pushing source of the world, in scope or not (a source's rivals are its writers too).
    const pushing: [string, ParsedObject][] = [];
    for (const [id, p] of this.byIdentity) if (p.spec !== undefined && this.pushes(p, p.spec)) pushing.push([id, p]);
    for (const [id, parsed] of pushing.sort(([a], [b]) => cmp(a, b))) {
      for (const variant of pushVariants(parsed.spec as ReflectionSpec)) {
        const key = `${groupKindOf(parsed.object)}/${variant.mirrorName}`;
        const list = this.pushersByName.get(key);
        if (list === undefined) this.pushersByName.set(key, [[id, parsed]]);
        else if (!list.some(([x]) => x === id)) list.push([id, parsed]);
      }
    }
    const byId = (a: ParsedObject, b: ParsedObject) => cmp(identityOf(a.ref), identityOf(b.ref));
    const depth = (p: ParsedObject) => this.chains.depth.get(identityOf(p.ref)) ?? 0;
    this.sources.sort(byId);
    this.pushedMirrors.sort(byId);
    this.pullMirrors.sort((a, b) => depth(a) - depth(b) || byId(a, b));
  }

  /**
   * Every source of the world that would write this mirror identity, sorted (within its target cap; computed when first
   * asked, from the sources that push under its name, so a plan of few sources computes few sources' targets).
   */
  private writersOf(mirrorId: string): ObjectRef[] {
    let list = this.wantedBy.get(mirrorId);
    if (list !== undefined) return list;
    const [groupKind = '', namespace = '', name = ''] = mirrorId.split('/');
    list = [];
    for (const [id, parsed] of this.pushersByName.get(`${groupKind}/${name}`) ?? []) {
      const spec = parsed.spec as ReflectionSpec;
      const targets = this.targetsOf(id, spec);
      if (count(targets) > this.capOf(spec)) continue;
      const wants = pushVariants(spec).some(
        (variant, i) => variant.mirrorName === name && this.targeted(id, spec, i, namespace),
      );
      if (wants) list.push(parsed.ref);
    }
    this.wantedBy.set(mirrorId, list);
    return list;
  }

  /** True when the plan may write or delete in this namespace: in focus, and not excluded. */
  private inFocus(namespace: string): boolean {
    return (this.focus === undefined || this.focus.has(namespace)) && !isExcludedNamespace(namespace, this.options);
  }

  /** Parses an object of the world and files it under its identity and its roles. */
  private addObject(obj: KubeObject): void {
    const parsed = parseObject(obj, this.options);
    const id = identityOf(obj);
    this.byIdentity.set(id, parsed);
    const own = this.inScope(id);
    if (parsed.isSource && own) this.sources.push(parsed);
    if (parsed.pushedBy !== undefined && this.inScope(sourceIdentity(obj, parsed.pushedBy.sourceKey))) {
      this.pushedMirrors.push(parsed);
    }
    const pulled = parsed.pull !== undefined && this.inScope(pulledIdentity(parsed) ?? '');
    if (pulled) this.pullMirrors.push(parsed);
    // A focused plan speaks for its namespace alone: a pull mirror elsewhere is neither planned nor reported.
    const seen = this.focus === undefined || this.focus.has(obj.metadata.namespace ?? '');
    // Most objects have no finding; a spread of an empty list still costs an allocation per object.
    if ((own || (pulled && seen)) && parsed.findings.length > 0) this.findings.push(...parsed.findings);
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
    if (hasPush(spec) && !mayPushFrom(source.ref.namespace, this.options)) {
      // Nothing is written or deleted: an administrator's policy change must not wipe a fleet of mirrors.
      this.frozen.add(id);
      this.findings.push({
        severity: 'error',
        reason: 'PushSourceNotAllowed',
        message: `${describe(source.ref)}: sources in namespace ${source.ref.namespace} may not push mirrors (allowed: ${(this.options.pushSourceNamespaces ?? []).join(', ') || 'none'}); nothing was written`,
        object: source.ref,
        ...(spec.push === undefined ? {} : { annotation: spec.push.annotation }),
      });
      return;
    }
    const variants = pushVariants(spec);
    const targetsOf = this.targetsOf(id, spec);
    const total = count(targetsOf);
    const cap = this.capOf(spec);
    if (total > cap) {
      this.frozen.add(id);
      this.findings.push({
        severity: 'error',
        reason: 'TooManyTargets',
        message: `${describe(source.ref)}: ${total} target namespaces exceed the limit of ${cap}; nothing was written`,
        object: source.ref,
      });
      return;
    }
    variants.forEach((variant, i) => {
      for (const namespace of targetsOf[i] ?? [])
        if (this.inFocus(namespace)) this.planPushTarget(source, variant, namespace);
    });
  }

  /** True when a source would write pushed mirrors: valid, of an allowed kind, not paused, allowed to push. */
  private pushes(source: ParsedObject, spec: ReflectionSpec): boolean {
    return (
      hasPush(spec) &&
      !spec.paused &&
      denialOf(source.object, this.options) === undefined &&
      mayPushFrom(source.ref.namespace, this.options)
    );
  }

  /** The push targets of a source, one list per push variant (see pushVariants). */
  private targetsOf(id: string, spec: ReflectionSpec): readonly (readonly string[])[] {
    let targets = this.targetCache.get(id);
    if (targets === undefined) {
      // A focused plan asks about targets in its focus alone, and counts every target only to hold a cap; with no more
      // namespaces than the cap the count cannot pass it, so no other namespace is decided (a new namespace in a big
      // cluster reconciles every source: deciding each source over every namespace made that cost grow with it).
      const namespaces =
        this.focus !== undefined && this.namespaces.size <= this.capOf(spec)
          ? [...this.focus].flatMap((name) => this.namespaces.get(name) ?? [])
          : [...this.namespaces.values()];
      targets = pushVariants(spec).map((variant) => pushTargets(variant, namespaces, this.options));
      this.targetCache.set(id, targets);
    }
    return targets;
  }

  /**
   * True when a push variant of a source targets the namespace. Asked once per mirror name and per existing mirror, so
   * it looks the namespace up in a set of the variant's targets: a search of the list made a fan-out to 16,000
   * namespaces quadratic (0.9 s of 1.3 s to plan it).
   */
  private targeted(id: string, spec: ReflectionSpec, variant: number, namespace: string): boolean {
    let sets = this.targetSets.get(id);
    if (sets === undefined) this.targetSets.set(id, (sets = this.targetsOf(id, spec).map((t) => new Set(t))));
    return sets[variant]?.has(namespace) ?? false;
  }

  private capOf(spec: ReflectionSpec): number {
    return Math.min(spec.maxTargets ?? Infinity, this.options.maxTargets ?? Infinity);
  }

  private planPushTarget(source: ParsedObject, spec: ReflectionSpec, namespace: string): void {
    const sourceId = identityOf(source.ref);
    const body = this.after.get(sourceId) ?? source.object;
    const rendered = renderMirrorOutcome(body, spec, { namespace, name: spec.mirrorName }, 'push', this.renderMemo);
    const mirrorRef: ObjectRef = { ...source.ref, namespace, name: spec.mirrorName };
    const mirrorId = identityOf(mirrorRef);
    const transformed = this.noteTransform(source.ref, mirrorRef, spec, rendered);
    const status = (state: MirrorStatus['state']) =>
      void this.mirrors.push({ source: source.ref, mirror: mirrorRef, mode: 'push', state, ...transformed });
    const blocked = (blockedBy: BlockedBy, holder?: ObjectRef) => {
      this.blocked(source.ref, mirrorRef, blockedBy, holder);
      status('blocked');
    };
    const rival = this.writersOf(mirrorId).find((r) => identityOf(r) !== sourceId);
    const desired = rendered.object;
    if (desired === undefined) {
      // A strict transform rule failed here: whatever stands in the namespace stays as it is, and is not deleted.
      this.claimed.set(mirrorId, source.ref);
      return status('blocked');
    }
    const existing = this.objectAt(mirrorId);
    if (existing === undefined) {
      // A free name that several sources want goes to none of them: no name, order or race picks a winner.
      if (rival !== undefined) return blocked('contested', rival);
      this.claimed.set(mirrorId, source.ref);
      this.apply.push({ object: desired, source: source.ref, reason: 'create' });
      return status('missing');
    }
    // A pull mirror of this very source already stands there; the pull pass fills it.
    if (existing.pull !== undefined && pulledIdentity(existing) === sourceId) return;
    // A copy another replication tool made for this very source is adopted in place, as Reflector's are; one that
    // records no source (mittwald) only while no other source wants the name, so a same-named source cannot take it.
    const peer = existing.pushedBy === undefined ? peerMirrorOf(existing.object) : undefined;
    if (peer !== undefined && isPeerMirrorOf(peer, spec.dialect, keyOf(source.ref))) {
      if (peer.sourceKey === undefined && rival !== undefined) return blocked('contested', rival);
      this.claimed.set(mirrorId, source.ref);
      // A once-only copy the peer already made keeps its data: adopting must not replace a password it handed out.
      // Its content comes from the live copy, which every surface holds whole (the controller caches any object
      // with a dialect's key whole, sync reads whole objects, reflect-fn has the package): the copy's content,
      // exactly, and not laid over the source's, so an empty copy stays empty.
      const keep = spec.once !== undefined && peerOnceVersion(existing.object) === spec.once.version;
      const target = keep ? withContentOf(desired, existing.object) : desired;
      return this.compareAndApply(existing.object, target, source.ref, spec, true, status);
    }
    const by = existing.pushedBy;
    if (by === undefined || (by.by === 'reflector' && !this.adopt)) return blocked('foreign-object');
    const owner = this.recordedOwner(existing);
    if (owner.id === sourceId) {
      this.claimed.set(mirrorId, source.ref);
      return this.compareAndApply(existing.object, desired, source.ref, spec, by.by === 'reflector', status);
    }
    // A challenger: the mirror stays with the source recorded on it for as long as that source exists and wants it.
    if (this.holds(existing, owner)) {
      return blocked(owner.gone ? 'orphan' : 'owned-mirror', owner.current?.ref ?? owner.ref);
    }
    if (rival !== undefined) return blocked('contested', rival);
    // Its recorded source is gone or has let it go: it is deleted (only that very object, by uid) and made anew.
    this.claimed.set(mirrorId, source.ref);
    this.del.push({
      object: existing.ref,
      ...uidOf(existing.object),
      source: owner.ref,
      reason: this.releaseReason(owner),
    });
    this.apply.push({ object: desired, source: source.ref, reason: 'create' });
    status('missing');
  }

  /** The source recorded on a pushed mirror (identity and uid), and what stands at that identity now. */
  private recordedOwner(mirror: ParsedObject): RecordedOwner {
    const by = mirror.pushedBy as NonNullable<ParsedObject['pushedBy']>;
    const id = sourceIdentity(mirror.object, by.sourceKey);
    const current = this.objectAt(id);
    const { namespace, name } = splitKey(by.sourceKey);
    const ref: ObjectRef = { ...mirror.ref, namespace, name };
    const recordedUid = mirror.object.metadata.annotations?.[Provenance.sourceUid];
    const liveUid = current?.object.metadata.uid;
    const replaced = recordedUid !== undefined && liveUid !== undefined && liveUid !== recordedUid;
    return { id, ref, ...(current === undefined ? {} : { current }), gone: current === undefined || replaced };
  }

  /**
   * True while a mirror belongs to its recorded source: that identity wants it (or is frozen: invalid, paused, over its
   * cap, not allowed to push, so nothing may move), or the source is gone and asked for its mirrors to be kept.
   */
  private holds(mirror: ParsedObject, owner: RecordedOwner): boolean {
    if (owner.current !== undefined && this.wants(owner.current, mirror.ref)) return true;
    return owner.gone && mirror.object.metadata.annotations?.[Provenance.onSourceDelete] === 'orphan';
  }

  /** True when a source wants (or keeps, being frozen) a mirror at this reference, whatever the plan's scope. */
  private wants(source: ParsedObject, mirror: ObjectRef): boolean {
    if (!source.isSource) return false;
    const spec = source.spec;
    if (spec === undefined) return true;
    if (denialOf(source.object, this.options) !== undefined) return false;
    if (spec.paused) return true;
    if (!hasPush(spec)) return false;
    if (!mayPushFrom(source.ref.namespace, this.options)) return true;
    const id = identityOf(source.ref);
    if (count(this.targetsOf(id, spec)) > this.capOf(spec)) return true;
    return pushVariants(spec).some(
      (variant, i) => variant.mirrorName === mirror.name && this.targeted(id, spec, i, mirror.namespace),
    );
  }

  private releaseReason(owner: RecordedOwner): DeleteReason {
    if (owner.gone) return 'source-deleted';
    const spec = owner.current?.spec;
    return spec === undefined || !hasPush(spec) ? 'source-disabled' : 'not-targeted';
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

  /** The passes after every source is planned: pushed mirrors no source wants, then peer finalizers to release. */
  planAfterSources(): void {
    for (const mirror of this.pushedMirrors) this.planPushedMirror(mirror);
    for (const source of this.sources) this.planRelease(source);
  }

  /** True when an object of this identity exists in the world. */
  exists(identity: string): boolean {
    return this.byIdentity.has(identity) || this.bystanders.has(identity);
  }

  /** The object at an identity: one of the world's objects, or a bystander, parsed when first looked up. */
  private objectAt(identity: string): ParsedObject | undefined {
    const parsed = this.byIdentity.get(identity) ?? this.bystanderParsed.get(identity);
    if (parsed !== undefined) return parsed;
    const obj = this.bystanders.get(identity);
    if (obj === undefined) return undefined;
    const plain = parseObject(obj, this.options);
    this.bystanderParsed.set(identity, plain);
    return plain;
  }

  /**
   * The identities of deleted (or replaced) sources whose pushed mirrors asked to be kept: the pushed-mirror pass may
   * report those mirrors as orphaned, so their rows are known only after every source is planned.
   */
  orphanOwners(): Map<string, ObjectRef> {
    const out = new Map<string, ObjectRef>();
    for (const mirror of this.pushedMirrors) {
      if (mirror.object.metadata.annotations?.[Provenance.onSourceDelete] !== 'orphan') continue;
      const owner = this.recordedOwner(mirror);
      if (owner.gone && !out.has(owner.id)) out.set(owner.id, owner.ref);
    }
    return out;
  }

  /** Deletes (or keeps, as orphans) pushed mirrors that their source no longer wants. */
  planPushedMirror(mirror: ParsedObject): void {
    const by = mirror.pushedBy;
    if (by === undefined || (by.by === 'reflector' && !this.adopt) || !this.inFocus(mirror.ref.namespace)) return;
    const mirrorId = identityOf(mirror.ref);
    const owner = this.recordedOwner(mirror);
    // A claimed mirror is written (or already right) for the source that claimed it; never delete it here.
    if (this.claimed.has(mirrorId) || this.frozen.has(owner.id)) return;
    if (this.namespaces.get(mirror.ref.namespace)?.terminating === true) return;
    if (owner.gone) {
      if (mirror.object.metadata.annotations?.[Provenance.onSourceDelete] === 'orphan') {
        this.findings.push({
          severity: 'info',
          reason: 'Orphaned',
          message: `${describe(mirror.ref)}: its source ${by.sourceKey} is gone; kept as an orphan as the source asked`,
          object: mirror.ref,
          source: owner.ref,
        });
        this.mirrors.push({ source: owner.ref, mirror: mirror.ref, mode: 'push', state: 'orphaned' });
        return;
      }
      this.del.push({ object: mirror.ref, ...uidOf(mirror.object), source: owner.ref, reason: 'source-deleted' });
      return;
    }
    const source = owner.current as ParsedObject;
    this.del.push({
      object: mirror.ref,
      ...uidOf(mirror.object),
      source: source.ref,
      reason: this.releaseReason(owner),
    });
  }

  /**
   * Plans the removal of a finalizer a stopped peer left on a source (KubeMirror's, which it drops only after deleting
   * its copies), once every position the source writes that holds that peer's copy of it is adopted by this plan: from
   * then on its mirrors are ours and go with the source as ours do, and the source can be deleted again. A copy left
   * where the source cannot write (contested, a strict transform failing) keeps the finalizer. Only a plan that sees
   * every namespace decides it, and never in an excluded namespace. The executor releases only after the adoptions
   * succeeded. Copies the peer made where the source no longer writes stay: they are not ours to delete.
   */
  planRelease(source: ParsedObject): void {
    if (this.focus !== undefined || isExcludedNamespace(source.ref.namespace, this.options)) return;
    const finalizers = finalizersOf(source.object);
    if (!finalizers.some((f) => PEER_SOURCE_FINALIZERS.includes(f))) return;
    const id = identityOf(source.ref);
    const key = keyOf(source.ref);
    const adopted = new Set(this.apply.filter((a) => a.reason === 'adopt').map((a) => identityOf(a.object)));
    const peerCopyLeft = this.mirrors.some((m) => {
      if (m.mode !== 'push' || identityOf(m.source) !== id || adopted.has(identityOf(m.mirror))) return false;
      const existing = this.objectAt(identityOf(m.mirror));
      const peer = existing?.pushedBy === undefined ? peerMirrorOf(existing?.object ?? EMPTY) : undefined;
      return peer !== undefined && (peer.sourceKey === undefined || peer.sourceKey === key);
    });
    if (peerCopyLeft) return;
    finalizers.forEach((finalizer, index) => {
      if (PEER_SOURCE_FINALIZERS.includes(finalizer))
        this.release.push({ object: source.ref, ...uidOf(source.object), finalizer, index });
    });
  }

  /** Fills a pull mirror from its source when the source allows it; reports it otherwise. */
  planPullMirror(mirror: ParsedObject): void {
    const pull = mirror.pull as PullSpec;
    if (mirror.findings.some((f) => f.severity === 'error') || !this.inFocus(mirror.ref.namespace)) return;
    const sourceKey = pullKeyOf(pull);
    const sourceId = sourceIdentity(mirror.object, sourceKey);
    const source = this.objectAt(sourceId);
    const sourceRef: ObjectRef = { ...mirror.ref, namespace: pull.from.namespace, name: pull.from.name };
    const status = (state: MirrorStatus['state']) =>
      void this.mirrors.push({ source: sourceRef, mirror: mirror.ref, mode: 'pull', state });
    const cycle = this.chains.cycles.get(identityOf(mirror.ref));
    if (cycle !== undefined) {
      const members = cycle.map((id) => this.objectAt(id)?.ref as ObjectRef);
      const path = [...members, mirror.ref].map((r) => `${r.namespace}/${r.name}`).join(' <- ');
      this.findings.push({
        severity: 'error',
        reason: 'PullCycle',
        message: `${describe(mirror.ref)}: pull mirrors copy each other in a cycle (${mirror.ref.kind} ${path}); nothing is written for them until one stops pulling`,
        object: mirror.ref,
        annotation: pull.annotation,
        source: sourceRef,
        detail: { cycle: members, namespace: mirror.ref.namespace },
      });
      return status('blocked');
    }
    const lose = (reason: 'SourceNotFound' | 'PullDenied', why: string, state: MirrorStatus['state']) => {
      this.findings.push({
        severity: 'warning',
        reason,
        message: `${describe(mirror.ref)}: ${why}; its data is ${pull.onSourceLoss === 'clear' ? 'cleared' : 'left as it is'}`,
        object: mirror.ref,
        annotation: pull.annotation,
        source: sourceRef,
        detail: { namespace: mirror.ref.namespace },
      });
      status(state);
      if (pull.onSourceLoss === 'clear') {
        const cleared = renderCleared(mirror.object);
        if (!isInSync(mirror.object, cleared))
          this.write(mirror, { object: cleared, source: sourceRef, reason: 'clear' });
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
    const body = this.after.get(sourceId) ?? source.object;
    const target = { namespace: mirror.ref.namespace, name: mirror.ref.name };
    const rendered = renderMirrorOutcome(body, withPullOnce(spec, pull), target, 'pull', this.renderMemo);
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
    this.write(mirror, {
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
      const origin = this.objectAt(sourceIdentity(source.object, source.pushedBy.sourceKey))?.spec;
      return origin?.dialect === 'k8s-replicator' ? origin : undefined;
    }
    if (this.options.allowAll === true && (pull.dialect === 'k8s-replicator' || pull.dialect === 'mittwald'))
      return allowAllSpec(source.object, pull.dialect);
    return undefined;
  }

  /** Plans a write of a pull mirror and remembers the object as the plan leaves it, for the chains that copy it. */
  private write(mirror: ParsedObject, apply: PlannedWrite): void {
    this.apply.push(apply);
    this.after.set(identityOf(mirror.ref), appliedOver(mirror.object, apply.object));
  }

  /** Reports a target a source may not write, on the source itself: a tenant learns nothing about the holder. */
  private blocked(source: ObjectRef, at: ObjectRef, blockedBy: BlockedBy, holder?: ObjectRef): void {
    this.findings.push({
      severity: 'warning',
      reason: 'TargetBlocked',
      message: `${describe(source)}: not written to ${at.namespace}/${at.name}: ${BLOCKED_WORDS[blockedBy]}; it is left untouched`,
      object: source,
      detail: {
        namespace: at.namespace,
        mirror: at,
        blockedBy,
        ...(holder === undefined ? {} : { holder }),
      },
    });
  }

  /**
   * The precondition of a write, from the world the plan read: a create (nothing there, or only what this plan deletes
   * first) must find nothing; any other write must find the very object read, so nothing written in between is
   * overwritten or taken over.
   */
  private withPrecondition(a: PlannedWrite, deleted: ReadonlySet<string>): PlannedApply {
    const id = identityOf(a.object);
    const live = this.objectAt(id)?.object;
    if (live === undefined || deleted.has(id)) return { ...a, expect: { absent: true } };
    const { resourceVersion, uid } = live.metadata;
    return {
      ...a,
      expect: {
        absent: false,
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
        ...(uid === undefined ? {} : { uid }),
      },
    };
  }

  result(): Plan {
    const byObj = (a: { object: ObjectRef | KubeObject }, b: { object: ObjectRef | KubeObject }) =>
      cmp(identityOf(a.object), identityOf(b.object));
    const deleted = new Set(this.del.map((d) => identityOf(d.object)));
    const findings = dedupe(this.findings.sort(compareFindings), (f) => JSON.stringify(f)).map(printableFinding);
    const mirrors = this.mirrors.sort(
      (a, b) => cmp(identityOf(a.source), identityOf(b.source)) || cmp(identityOf(a.mirror), identityOf(b.mirror)),
    );
    return {
      apply: dedupe(this.apply.sort(byObj), (a) => identityOf(a.object)).map((a) => this.withPrecondition(a, deleted)),
      delete: dedupe(this.del.sort(byObj), (d) => identityOf(d.object)),
      release: this.release.sort((a, b) => byObj(a, b) || a.index - b.index),
      findings,
      mirrors,
      sources: summarizeSources({
        sources: this.sources,
        exists: (id) => this.exists(id),
        mirrors,
        findings,
      }),
    };
  }
}

const EMPTY: KubeObject = { apiVersion: 'v1', kind: '', metadata: { name: '' } };

function invalidNamespace(name: string): Finding {
  return {
    severity: 'error',
    reason: 'InvalidName',
    message: `Namespace ${JSON.stringify(name)}: not a valid namespace name; it is never a target`,
    object: { apiVersion: 'v1', kind: 'Namespace', namespace: '', name },
    detail: { field: 'metadata.name' },
  };
}

/** The spec a pull renders with: a once asked by the pull mirror itself applies when the source sets none. */
function withPullOnce(spec: ReflectionSpec, pull: PullSpec): ReflectionSpec {
  return spec.once === undefined && pull.once !== undefined ? { ...spec, once: pull.once } : spec;
}

/** True when a source pushes at all: its own push rule, or an extra push under another name. */
function hasPush(spec: ReflectionSpec): boolean {
  return pushVariants(spec).some((variant) => variant.push !== undefined);
}

/** How many targets a source has over all its push variants. */
function count(targets: readonly (readonly string[])[]): number {
  return targets.reduce((n, t) => n + t.length, 0);
}

/** The identity of a source named by a SourceRef, as identityOf spells it. */
export function sourceRefIdentity(ref: SourceRef): string {
  return `${groupKindString(ref)}/${ref.namespace}/${ref.name}`;
}

/** The "namespace/name" of the source a pull mirror names. */
function pullKeyOf(pull: PullSpec): string {
  return `${pull.from.namespace}/${pull.from.name}`;
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
