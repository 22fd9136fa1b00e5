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
  client: KubeClient,
  types: readonly ResourceType[],
  options: GatherOptions = {},
): Promise<World> {
  const scope = options.within === undefined ? undefined : new Set(options.within);
  const req = { limit: options.pageSize ?? 5000, ...(options.signal ? { signal: options.signal } : {}) };
  const [nsList, ...lists] = await Promise.all([
    client.list<NamespaceObject>(NAMESPACES, req),
    ...types.map((t) => client.list<KubeObject>(t, req)),
  ]);
  const namespaces = nsList.items
    .map(namespaceInfoOf)
    .filter((n) => scope === undefined || scope.has(n.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const objects: KubeObject[] = [];
  for (const [i, list] of lists.entries()) {
    const kind = types[i]?.kind ?? '';
    for (const o of list.items) {
      if (scope !== undefined && !scope.has(o.metadata.namespace ?? '')) continue;
      o.kind ||= kind;
      objects.push(o);
    }
  }
  return { namespaces, objects };
}
