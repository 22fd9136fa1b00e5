// Reading the world for one command: cluster-wide when allowed, else only the namespaces the user named, saying so.
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import type { KubeClient } from '../kube/client.ts';
import { KubeApiError, isNotFound } from '../kube/errors.ts';
import { NAMESPACES, resourceLabel } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { NamespaceObject } from '../kube/world.ts';
import { gatherWorld, namespaceInfoOf } from '../kube/world.ts';

/** A world as one command read it, and what it could not read. */
export interface ReadWorld extends World {
  /** Set when cluster-wide reads were forbidden: the only namespaces whose objects were read. */
  limitedTo?: readonly string[];
  /** What could not be read, in words, for a warning on stderr. */
  unread?: readonly string[];
}

/** Where to read. */
export interface ReadScope {
  /** --within: only these namespaces exist. */
  within?: readonly string[];
  /** -n (or the context's namespace): what a user with rights in one namespace can still read. */
  namespace: string;
  signal?: AbortSignal;
}

/** The requests reading needs (KubeClient has them). */
export type WorldClient = Pick<KubeClient, 'list' | 'get'>;

/**
 * Reads every namespace and object of the kinds; when a cluster-wide list is forbidden (a user with rights in one
 * namespace), reads only the --within namespaces, else the -n one, and says what it could not read. A --within
 * namespace that does not exist is an error, never silently an empty scope.
 */
export async function readWorld(
  client: WorldClient,
  types: readonly ResourceType[],
  scope: ReadScope,
): Promise<ReadWorld> {
  let world: World;
  try {
    world = await gatherWorld(client, types, {
      ...(scope.within ? { within: scope.within } : {}),
      ...(scope.signal ? { signal: scope.signal } : {}),
    });
  } catch (err) {
    if (!isForbidden(err)) throw err;
    return readNamespaces(client, types, scope, err);
  }
  const missing = (scope.within ?? []).filter((n) => !world.namespaces.some((x) => x.name === n));
  if (missing.length > 0) throw new Error(`--within names namespaces that do not exist: ${missing.join(', ')}`);
  return world;
}

/** True for 403 Forbidden. */
export function isForbidden(err: unknown): err is KubeApiError {
  return err instanceof KubeApiError && err.code === 403;
}

async function readNamespaces(
  client: WorldClient,
  types: readonly ResourceType[],
  scope: ReadScope,
  forbidden: KubeApiError,
): Promise<ReadWorld> {
  const names = [...new Set(scope.within ?? [scope.namespace])].sort();
  const req = scope.signal ? { signal: scope.signal } : {};
  // Which list failed first is a race between parallel lists; the warning names none of them.
  const unread = [`cluster-wide lists (${forbidden.reason})`];
  const namespaces: NamespaceInfo[] = [];
  for (const name of names) {
    try {
      namespaces.push(namespaceInfoOf(await client.get<NamespaceObject>(NAMESPACES, undefined, name, req)));
    } catch (err) {
      if (isNotFound(err)) throw new Error(`namespace "${name}" not found`);
      if (!isForbidden(err)) throw err;
      // A namespace's own users may not read its Namespace object; judged unlabelled, it is still theirs to use.
      namespaces.push({ name, labels: {} });
      unread.push(`the labels of namespace ${name} (label selectors and opt-outs treat it as unlabelled)`);
    }
  }
  const objects: KubeObject[] = [];
  for (const name of names)
    for (const type of types) {
      try {
        const list = await client.list<KubeObject>(type, { namespace: name, limit: 5000, ...req });
        for (const o of list.items) objects.push({ ...o, kind: o.kind || type.kind });
      } catch (err) {
        if (!isForbidden(err)) throw err;
        throw new Error(`you may not list ${resourceLabel(type)} in namespace ${name}: ${err.serverMessage}`);
      }
    }
  return { namespaces, objects, limitedTo: names, unread };
}

/** Returns the warning a limited read deserves, or '' for a whole world. */
export function limitWarning(world: ReadWorld): string {
  if (world.limitedTo === undefined) return '';
  return (
    `warning: read only namespace${world.limitedTo.length === 1 ? '' : 's'} ${world.limitedTo.join(', ')}: ` +
    `you may not read ${(world.unread ?? []).join('; nor ')}. Sources and mirrors elsewhere are not shown, ` +
    'and sync writes only there.\n'
  );
}
