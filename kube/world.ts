// Reading a whole world (namespaces and full objects of the mirrored kinds) for one-shot planners such as the plugin.
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import type { KubeClient, RequestOptions } from './client.ts';
import { NAMESPACES } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';

/** Options for gathering a world. */
export interface GatherOptions extends RequestOptions {
  /** Only these namespaces exist (as for a controller limited to them); undefined means the whole cluster. */
  within?: readonly string[];
  /** List page size; large pages make a cold read of thousands of objects fast (default 5000). */
  pageSize?: number;
}

/** The fields of a Namespace object the core needs. */
export type NamespaceObject = {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string };
};

/** Returns a Namespace object as the core sees it. */
export function namespaceInfoOf(obj: NamespaceObject): NamespaceInfo {
  const info: NamespaceInfo = { name: obj.metadata?.name ?? '', labels: obj.metadata?.labels ?? {} };
  if (obj.status?.phase === 'Terminating' || obj.metadata?.deletionTimestamp) info.terminating = true;
  return info;
}

/** Lists every namespace and every object of the given kinds (full bodies), all in parallel. */
export async function gatherWorld(
  client: Pick<KubeClient, 'list'>,
  types: readonly ResourceType[],
  options: GatherOptions = {},
): Promise<World> {
  const req = { limit: options.pageSize ?? 5000, ...(options.signal ? { signal: options.signal } : {}) };
  const [nsList, ...lists] = await Promise.all([
    client.list<NamespaceObject>(NAMESPACES, req),
    ...types.map((t) => client.list<KubeObject>(t, req)),
  ]);
  return worldOf(
    nsList.items,
    types.map((type, i) => ({ type, items: lists[i]?.items ?? [] })),
    options.within,
  );
}

/**
 * The one assembly of a World from what was read (a list or an informer's cache): namespaces as the core sees them,
 * sorted, and each object with its kind; with `within`, only those namespaces and the objects in them exist.
 * Objects are not changed (an informer's cache may be passed); one without a kind is copied with its type's.
 */
export function worldOf(
  namespaces: Iterable<NamespaceObject>,
  kinds: Iterable<{ type: ResourceType; items: Iterable<KubeObject> }>,
  within?: readonly string[],
): World {
  const scope = within === undefined ? undefined : new Set(within);
  const inScope = (ns: string): boolean => scope === undefined || scope.has(ns);
  const infos = [...namespaces]
    .map(namespaceInfoOf)
    .filter((n) => inScope(n.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const objects: KubeObject[] = [];
  for (const { type, items } of kinds)
    for (const o of items)
      if (inScope(o.metadata.namespace ?? '')) objects.push(o.kind ? o : { ...o, kind: type.kind });
  return { namespaces: infos, objects };
}
