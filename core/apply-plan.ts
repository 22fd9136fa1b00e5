import type { KubeObject } from './kube-object.ts';
import { finalizersOf, identityOf } from './kube-object.ts';
import { contentFieldsOf } from './kinds.ts';
import type { Plan, World } from './plan-types.ts';

/**
 * Returns the world as it is after a plan is carried out the way server-side apply does it: deletes first, then each
 * applied object's labels, annotations and content laid over the live object (other keys of the live object stay).
 */
export function applyPlanToWorld(world: World, plan: Plan): World {
  const objects = new Map<string, KubeObject>();
  for (const obj of world.objects) objects.set(identityOf(obj), obj);
  for (const d of plan.delete) {
    const live = objects.get(identityOf(d.object));
    if (live !== undefined && (d.uid === undefined || live.metadata.uid === d.uid))
      objects.delete(identityOf(d.object));
  }
  for (const a of plan.apply) {
    const id = identityOf(a.object);
    const live = objects.get(id);
    objects.set(id, live === undefined ? structuredClone(a.object) : appliedOver(live, a.object));
  }
  for (const r of plan.release) {
    const id = identityOf(r.object);
    const live = objects.get(id);
    if (live === undefined || (r.uid !== undefined && live.metadata.uid !== r.uid)) continue;
    const list = finalizersOf(live);
    if (list[r.index] !== r.finalizer) continue;
    const finalizers = list.filter((_, i) => i !== r.index);
    const { finalizers: _old, ...metadata } = live.metadata;
    objects.set(id, { ...live, metadata: finalizers.length > 0 ? { ...metadata, finalizers } : metadata });
  }
  return { namespaces: world.namespaces, objects: [...objects.values()] };
}

/** The number of writes a plan asks for: applies, deletes and finalizer releases. */
export function planWrites(plan: Pick<Plan, 'apply' | 'delete' | 'release'>): number {
  return plan.apply.length + plan.delete.length + plan.release.length;
}

/**
 * Returns a live object as server-side apply leaves it after an applied object: labels and annotations merged, content
 * fields replaced (content fields the applied object no longer sets are removed).
 */
export function appliedOver(live: KubeObject, applied: KubeObject): KubeObject {
  const out: KubeObject = { ...structuredClone(live), ...structuredClone(applied) };
  // Content fields the applied object no longer sets were ours to remove, as server-side apply removes them.
  for (const key of contentFieldsOf(applied, applied, live)) {
    if (!(key in applied)) delete out[key];
  }
  out.metadata = {
    ...live.metadata,
    labels: { ...live.metadata.labels, ...applied.metadata.labels },
    annotations: { ...live.metadata.annotations, ...applied.metadata.annotations },
  };
  return out;
}
