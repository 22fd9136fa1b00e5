// Gathers, from the controller's caches alone, the part of the world one source's plan depends on.
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import { identityOf, pushVariants } from '../core/index.ts';
import type { KindIndex } from './kind-index.ts';

/** What the gatherer reads: one kind's indexed cache and the namespaces the controller sees. */
export interface GatherInput {
  index: KindIndex;
  namespaces: readonly NamespaceInfo[];
  /** Namespaces the controller may see (namespaced mode); undefined means all. */
  scope?: ReadonlySet<string>;
}

/**
 * Returns the partial world that plans a source exactly as the whole cluster would (`gatherer.property.test.ts`).
 *
 * Reads: only the caches, never the API server. A reconcile therefore makes no request but its writes, and a
 * controller restarted in sync makes none but its informers' LISTs and WATCHes (issue 16).
 *
 * Returns, for the source `namespace/name` (or only the namespace `focus`, when given):
 * - every namespace in scope (targets are decided over all of them, so caps hold even in a focused reconcile);
 * - the source, whole, unless it is gone;
 * - its pushed mirrors and its pull mirrors, whole (the source-hash index; a deleted source's mirrors too);
 * - every object named like its mirrors (a foreign blocker needs only its name), and for each that is another
 *   source's mirror, that rival source, so the planner can tell who keeps a contested mirror;
 * - every other source that pushes mirrors under the same name, so the planner can tell a name several sources
 *   want (none of them gets it) from a free one, whatever the order of reconciles;
 * - objects named like the source itself (its pull mirrors may sit there under the same name);
 * - when the source is itself a copy (a chain), the source it copies, which decides who may pull from the copy.
 *
 * Tolerates: a cache that lags the API server. The plan is then made from an older state, and the writes carry the
 * resourceVersion seen, so the API server refuses them (409) and the source is reconciled again when the cache
 * catches up; nothing is written from a stale view.
 */
export function gatherWorld(input: GatherInput, sourceKey: string, focus?: string): World {
  const { index, scope } = input;
  const name = sourceKey.slice(sourceKey.indexOf('/') + 1);
  const objects = new Map<string, KubeObject>();
  const visible = (ns: string | undefined) => scope === undefined || scope.has(ns ?? '');
  const wanted = (ns: string | undefined) => visible(ns) && (focus === undefined || ns === focus);
  const put = (o: KubeObject) => objects.set(identityOf(o), o);
  // Whatever is cached under the source's key: a source, or an object that stopped being one (its mirrors then go).
  const source = index.get(sourceKey);

  const mirrorName = (source && index.parsed(sourceKey)?.spec?.mirrorName) ?? name;
  for (const o of index.objectsNamed(mirrorName, focus)) {
    if (!wanted(o.metadata.namespace)) continue;
    put(o);
    const rival = index.parsed(keyOfObject(o))?.pushedBy?.sourceKey;
    const rivalSource = rival === undefined || rival === sourceKey ? undefined : index.get(rival);
    if (rivalSource !== undefined) put(rivalSource);
  }
  if (mirrorName !== name) for (const o of index.objectsNamed(name, focus)) if (wanted(o.metadata.namespace)) put(o);
  const spec = source === undefined ? undefined : index.parsed(sourceKey)?.spec;
  for (const variant of spec === undefined ? [] : pushVariants(spec)) {
    for (const key of index.sourcesNaming(variant.mirrorName)) {
      const rival = key === sourceKey ? undefined : index.get(key);
      if (rival !== undefined) put(rival);
    }
  }
  for (const m of index.mirrorsOf(sourceKey, focus)) if (wanted(m.object.metadata.namespace)) put(m.object);
  if (source !== undefined) put(source);
  // A source that is itself a copy (a chain) is allowed or not by its own source: the planner needs that one too.
  const upstream = source === undefined ? undefined : index.upstreamOf(sourceKey);
  const upstreamSource = upstream === undefined ? undefined : index.get(upstream);
  if (upstreamSource !== undefined) put(upstreamSource);
  const namespaces = scope === undefined ? input.namespaces : input.namespaces.filter((ns) => visible(ns.name));
  return { namespaces, objects: [...objects.values()] };
}

function keyOfObject(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
