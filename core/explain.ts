import type { KubeObject, NamespaceInfo, ObjectRef } from './kube-object.ts';
import { identityOf, sourceRefOf } from './kube-object.ts';
import { denialOf } from './policy.ts';
import type { Finding } from './finding.ts';
import { parseObject } from './parse-object.ts';
import type { Plan, PlanOptions, World } from './plan-types.ts';
import { planReflection } from './plan.ts';
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
  if (!parsed.isSource) summary = 'It carries no reflection annotations, so it is not a source.';
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
      const out: NamespaceExplanation = { ...decision, pullAllowed: pull.allowed, pullWhy: pull.why };
      const state = stateIn.get(ns.name);
      if (state !== undefined) out.state = state;
      const transform = transformIn.get(ns.name);
      const rules = spec?.transform?.rules ?? [];
      const describe = (n: number) => (rules[n - 1] === undefined ? `${n}` : describeRule(rules[n - 1]!));
      if (transform !== undefined) {
        out.transform = { applied: transform.applied.map(describe), failed: transform.failed.map(describe) };
      }
      return out;
    });
  return {
    source: ref,
    summary,
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
