import type { NamespaceInfo } from './kube-object.ts';
import { Labels } from './names.ts';
import type { PlanOptions } from './plan-types.ts';
import { isExcludedNamespace } from './policy.ts';
import type { NamespaceRule, ReflectionSpec } from './spec.ts';

/** Why a namespace is or is not a target, in a stable code and in words. */
export interface TargetDecision {
  namespace: string;
  target: boolean;
  code:
    | 'Target'
    | 'SourceNamespace'
    | 'Terminating'
    | 'ExcludedByController'
    | 'NoPush'
    | 'NotSelected'
    | 'Excluded'
    | 'NotAllowed'
    | 'OptedOut'
    | 'NotOptedIn';
  why: string;
}

/** Returns how a namespace relates to a rule: matched by what, excluded by what, or not matched. */
export function matchRule(
  rule: NamespaceRule,
  ns: NamespaceInfo,
): { match: true; by: string } | { match: false; excludedBy?: string } {
  const exclusion = rule.exclusions.find((p) => p.matches(ns.name));
  if (exclusion !== undefined) return { match: false, excludedBy: `!${exclusion.text} in ${rule.annotation}` };
  if (rule.all) return { match: true, by: `all namespaces (${rule.annotation})` };
  const pattern = rule.patterns.find((p) => p.matches(ns.name));
  if (pattern !== undefined) return { match: true, by: `${pattern.kind} "${pattern.text}" in ${rule.annotation}` };
  if (rule.selector !== undefined && rule.selector.matches(ns.labels)) {
    return { match: true, by: `selector "${rule.selector.text}" in ${rule.selectorAnnotation ?? rule.annotation}` };
  }
  return { match: false };
}

/** Decides whether a namespace gets a pushed mirror of a source under the plan's options, and says why. */
export function decidePushTarget(
  spec: ReflectionSpec,
  ns: NamespaceInfo,
  options: Pick<PlanOptions, 'excludeNamespaces'> = {},
): TargetDecision {
  const no = (code: TargetDecision['code'], why: string): TargetDecision => ({
    namespace: ns.name,
    target: false,
    code,
    why,
  });
  if (ns.name === spec.source.namespace && !sameNamespaceCopy(spec, ns.name))
    return no('SourceNamespace', 'it is the source namespace; a source is never its own mirror');
  if (spec.push === undefined) return no('NoPush', 'the source pushes no mirrors (no automatic targets)');
  if (isExcludedNamespace(ns.name, options))
    return no('ExcludedByController', "excluded by the controller's --exclude-namespaces");
  const pushed = matchRule(spec.push, ns);
  if (!pushed.match) {
    return pushed.excludedBy !== undefined
      ? no('Excluded', `excluded by ${pushed.excludedBy}`)
      : no(
          'NotSelected',
          `no entry of ${spec.push.annotation}${spec.push.selector ? ' or its selector' : ''} matches it`,
        );
  }
  // k8s-replicator and mittwald check their allow annotations on pulls only; for the others they cap pushes too.
  if (spec.allowed !== undefined && spec.dialect !== 'k8s-replicator' && spec.dialect !== 'mittwald') {
    const allowed = matchRule(spec.allowed, ns);
    if (!allowed.match)
      return no('NotAllowed', `selected by ${pushed.by}, but ${spec.allowed.annotation} does not allow it`);
  }
  const accept = ns.labels[Labels.acceptMirrors];
  if (accept === 'false') return no('OptedOut', `the namespace opted out with label ${Labels.acceptMirrors}=false`);
  if (spec.optInOnly && accept !== 'true') {
    return no('NotOptedIn', `the source is opt-in only and the namespace lacks label ${Labels.acceptMirrors}=true`);
  }
  if (ns.terminating === true) return no('Terminating', 'the namespace is being deleted');
  return { namespace: ns.name, target: true, code: 'Target', why: `selected by ${pushed.by}` };
}

/**
 * A copy in the source's own namespace needs another name; the native dialect also needs that namespace named
 * exactly in `to` (so `all` or a glob never adds one), while k8s-replicator's `replicate-to` targets may match it.
 */
function sameNamespaceCopy(spec: ReflectionSpec, namespace: string): boolean {
  if (spec.mirrorName === spec.source.name || spec.push === undefined) return false;
  if (spec.dialect === 'k8s-replicator') return true;
  return spec.dialect === 'native' && spec.push.patterns.some((p) => p.kind === 'exact' && p.text === namespace);
}

/** Decides whether a pull mirror in a namespace may copy the source, and says why. */
export function decidePull(spec: ReflectionSpec, ns: NamespaceInfo): { allowed: boolean; why: string } {
  // Native sources without an allowed list let their push targets pull, so a renamed pull copy needs no second list.
  const rule = spec.allowed ?? (spec.dialect === 'native' ? spec.push : undefined);
  if (rule === undefined) return { allowed: false, why: 'the source allows no namespaces to reflect it' };
  const m = matchRule(rule, ns);
  if (m.match) return { allowed: true, why: `allowed by ${m.by}` };
  return { allowed: false, why: m.excludedBy ? `excluded by ${m.excludedBy}` : `${rule.annotation} does not allow it` };
}

/** Returns the sorted names of the namespaces that get pushed mirrors of a source under the plan's options. */
export function pushTargets(
  spec: ReflectionSpec,
  namespaces: readonly NamespaceInfo[],
  options: Pick<PlanOptions, 'excludeNamespaces'> = {},
): string[] {
  if (spec.push === undefined) return [];
  const out: string[] = [];
  for (const ns of namespaces) if (decidePushTarget(spec, ns, options).target) out.push(ns.name);
  return out.sort();
}
