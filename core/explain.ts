import type { KubeObject, NamespaceInfo, ObjectRef } from './kube-object.ts';
import { groupOf, identityOf, keyOf, sourceRefOf, splitKey } from './kube-object.ts';
import { denialOf } from './policy.ts';
import type { Finding } from './finding.ts';
import { parseObject } from './parse-object.ts';
import type { Plan, PlanOptions, SourceRef, World } from './plan-types.ts';
import { planReflection } from './plan.ts';
import { printable } from './printable.ts';
import type { MirrorStatus } from './plan-types.ts';
import type { TargetDecision } from './targets.ts';
import { decidePull, decidePushTarget } from './targets.ts';
import { describeRule } from './transform/apply.ts';

/** One namespace's part in an explanation: is it a target, why, and what stands there now. */
export interface NamespaceExplanation extends TargetDecision {
  /** The mirror's state when the namespace is a target or holds a mirror. */
  state?: MirrorStatus['state'];
  /** Whether a pull mirror in this namespace would be allowed to copy the source. */
  pullAllowed: boolean;
  pullWhy: string;
  /** When the source has transform rules and a mirror here: the rules applied and failed, described. */
  transform?: { applied: string[]; failed: string[] };
}

/** Everything a person needs to see why a source is, or is not, mirrored where. */
export interface SourceExplanation {
  source: ObjectRef;
  /** One sentence on what the source asks for, or why it does nothing. */
  summary: string;
  findings: Finding[];
  namespaces: NamespaceExplanation[];
  pullMirrors: MirrorStatus[];
}

/** Explains, for every namespace of the world, why it is or is not a target of a source under the plan's options. */
export function explainSource(world: World, source: KubeObject, options: PlanOptions = {}): SourceExplanation {
  const parsed = parseObject(source, options);
  const plan = planReflection(world, { ...options, sources: [sourceRefOf(source)] });
  const ref = parsed.ref;
  const own = (m: MirrorStatus) => identityOf(m.source) === identityOf(ref);
  const stateIn = new Map(
    plan.mirrors.filter((m) => own(m) && m.mode === 'push').map((m) => [m.mirror.namespace, m.state]),
  );
  const transformIn = new Map(
    plan.mirrors
      .filter((m) => own(m) && m.mode === 'push' && m.transform !== undefined)
      .map((m) => [m.mirror.namespace, m.transform!]),
  );
  const findings = plan.findings.filter(
    (f) => identityOf(f.object) === identityOf(ref) || (f.source && identityOf(f.source) === identityOf(ref)),
  );
  const spec = parsed.spec;
  const denial = denialOf(source, options);
  let summary: string;
  if (!parsed.isSource && findings.some((f) => f.severity === 'error'))
    summary = 'Its reflection annotations have errors, so nothing is done for it until they are fixed (see findings).';
  else if (!parsed.isSource) summary = 'It carries no reflection annotations, so it is not a source.';
  else if (spec === undefined)
    summary = 'Its annotations have errors, so nothing is done for it until they are fixed (see findings).';
  else if (denial !== undefined) summary = `It is never mirrored: ${denial.message}.`;
  else if (spec.paused) summary = 'Reflection is paused: nothing is written or deleted for it.';
  else if (spec.push === undefined && spec.allowed === undefined)
    summary = 'It neither pushes mirrors nor allows pull mirrors.';
  else if (spec.push === undefined)
    summary = `It pushes no mirrors; pull mirrors are allowed by ${spec.allowed?.annotation}.`;
  else summary = `It pushes mirrors named ${spec.mirrorName} to the namespaces selected by ${spec.push.annotation}.`;
  const namespaces = [...world.namespaces]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((ns: NamespaceInfo): NamespaceExplanation => {
      const decision: TargetDecision =
        spec === undefined
          ? { namespace: ns.name, target: false, code: 'NoPush', why: 'the source is not valid' }
          : decidePushTarget(spec, ns, options);
      const pull = spec === undefined ? { allowed: false, why: 'the source is not valid' } : decidePull(spec, ns);
      // The reasons quote patterns from the source's annotations: kept printable, as finding messages are.
      const out: NamespaceExplanation = {
        ...decision,
        why: printable(decision.why),
        pullAllowed: pull.allowed,
        pullWhy: printable(pull.why),
      };
      const state = stateIn.get(ns.name);
      if (state !== undefined) out.state = state;
      const transform = transformIn.get(ns.name);
      const rules = spec?.transform?.rules ?? [];
      const describe = (n: number) => (rules[n - 1] === undefined ? `${n}` : describeRule(rules[n - 1]!));
      if (transform !== undefined) {
        out.transform = {
          applied: transform.applied.map((n) => printable(describe(n))),
          failed: transform.failed.map((n) => printable(describe(n))),
        };
      }
      return out;
    });
  return {
    source: ref,
    summary: printable(summary),
    findings,
    namespaces,
    pullMirrors: plan.mirrors.filter((m) => own(m) && m.mode === 'pull'),
  };
}

/** The findings of a plan about one object: what an explanation of that object shows. */
export function findingsAbout(plan: Plan, ref: ObjectRef): Finding[] {
  const id = identityOf(ref);
  return plan.findings.filter((f) => identityOf(f.object) === id);
}

/** What explaining a named object found: the source's explanation, and the mirror that led to it when one was named. */
export interface Explanation {
  /** The object that was named. */
  subject: ObjectRef;
  /** Set when the named object is a mirror (or a pull mirror): how it relates to its source. */
  mirror?: {
    /** The source's "namespace/name". */
    source: string;
    mode: 'push' | 'pull';
    /** Who made it: the pull annotation, "kube-reflect" or "emberstack Reflector". */
    by: string;
    state?: MirrorStatus['state'];
    findings: Finding[];
    /** Set when the source's namespace could not be read (a user with rights in fewer namespaces). */
    sourceUnread?: boolean;
  };
  /** The source's explanation; undefined when a mirror's source is gone or unread. */
  source?: SourceExplanation;
}

/**
 * Explains the object a reference names: a source (why each namespace is or is not a target), or a mirror (its
 * source, its state, its findings, and its source's explanation). `readable` lists the namespaces the world holds
 * when it is partial, so a mirror whose source sits elsewhere is "unread", not "orphaned". Undefined when the world
 * has no such object.
 */
export function explainObject(
  world: World,
  ref: SourceRef,
  options: PlanOptions = {},
  readable?: readonly string[],
): Explanation | undefined {
  const named = (o: KubeObject) =>
    o.metadata.name === ref.name &&
    (o.metadata.namespace ?? '') === ref.namespace &&
    o.kind === ref.kind &&
    groupOf(o.apiVersion) === ref.group;
  const obj = world.objects.find(named);
  if (obj === undefined) return undefined;
  const parsed = parseObject(obj, options);
  const subject = parsed.ref;
  const sourceKey = parsed.pull ? `${parsed.pull.from.namespace}/${parsed.pull.from.name}` : parsed.pushedBy?.sourceKey;
  if (parsed.isSource || sourceKey === undefined) return { subject, source: explainSource(world, obj, options) };
  const mode = parsed.pull ? 'pull' : 'push';
  const by = parsed.pull
    ? parsed.pull.annotation
    : parsed.pushedBy?.by === 'reflector'
      ? 'emberstack Reflector'
      : 'kube-reflect';
  const source = world.objects.find(
    (o) => keyOf(o) === sourceKey && o.kind === obj.kind && o.apiVersion === obj.apiVersion,
  );
  const { namespace: srcNamespace, name: srcName } = splitKey(sourceKey);
  if (source === undefined && readable !== undefined && !readable.includes(srcNamespace)) {
    // Its source may well exist where this reader cannot look: say that, not "orphaned".
    return { subject, mirror: { source: sourceKey, mode, by, findings: [], sourceUnread: true } };
  }
  const plan = planReflection(world, {
    ...options,
    sources: [{ ...sourceRefOf(obj), namespace: srcNamespace, name: srcName }],
  });
  const state = plan.mirrors.find((m) => identityOf(m.mirror) === identityOf(subject))?.state;
  return {
    subject,
    mirror: {
      source: sourceKey,
      mode,
      by,
      findings: findingsAbout(plan, subject),
      ...(state === undefined ? {} : { state }),
    },
    ...(source === undefined ? {} : { source: explainSource(world, source, options) }),
  };
}
