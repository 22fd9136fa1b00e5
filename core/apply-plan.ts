import type { KubeObject } from './kube-object.ts';
import { identityOf } from './kube-object.ts';
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
  return { namespaces: world.namespaces, objects: [...objects.values()] };
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
