import type { ReflectionSpec } from '../spec.ts';

/**
 * Returns one spec per set of pushed mirrors a source makes: itself, then one per extra push under another name
 * (k8s-replicator's `replicate-to` names). Each variant has no extra pushes of its own.
 */
export function pushVariants(spec: ReflectionSpec): ReflectionSpec[] {
  if (spec.extraPushes === undefined || spec.extraPushes.length === 0) return [spec];
  const { extraPushes, ...main } = spec;
  return [main, ...extraPushes.map((e) => ({ ...main, push: e.push, mirrorName: e.mirrorName }))];
}
