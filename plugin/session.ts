// A connection to a cluster for one command: the client, the default namespace, the kinds to read, and the world.
import type { PlanOptions } from '../core/index.ts';
import { KubeClient } from '../kube/client.ts';
import type { ClusterReader, ClusterWriter } from '../kube/cluster-port.ts';
import { loadConnection } from '../kube/connection.ts';
import { resolveResourceTypes } from '../kube/resources.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { apiVersionOf } from '../kube/resource-type.ts';
import type { GlobalOptions } from './options.ts';
import { planOptionsOf } from './options.ts';
import type { ReadWorld } from './read-world.ts';
import { readWorld } from './read-world.ts';

/** What a command needs from the cluster. */
export interface Session {
  /** The narrow ports to the cluster (KubeClient, or kube/test-support/memory-cluster.ts in the unit tier). */
  client: ClusterReader & ClusterWriter;
  /** The kubeconfig context's name, for titles. */
  contextName: string;
  /** -n, else the context's namespace. */
  namespace: string;
  types: ResourceType[];
  within?: readonly string[];
  /** The controller's exclusions and policies from the flags: every plan of this command uses them. */
  planOptions: PlanOptions;
  /** Reads every namespace and every object of the kinds (only -n's or --within's when cluster-wide reads are forbidden). */
  readWorld(signal?: AbortSignal): Promise<ReadWorld>;
  /** The resource type of an object. */
  typeOf(obj: { apiVersion: string; kind: string }): ResourceType;
  /** The resource type a kind named in the arguments resolved to through discovery ("netpol", "secrets", "cm"). */
  typeNamed(kind: string): ResourceType;
  close(): void;
}

/** Returns typeOf and typeNamed over resolved types: the parts of a session that need no connection. */
export function typeLookups(
  types: readonly ResourceType[],
  named: ReadonlyMap<string, ResourceType>,
): Pick<Session, 'typeOf' | 'typeNamed'> {
  return {
    typeOf: (obj) => {
      const t = types.find((x) => x.kind === obj.kind && apiVersionOf(x) === obj.apiVersion);
      if (t === undefined) throw new Error(`no resource type for ${obj.apiVersion} ${obj.kind}`);
      return t;
    },
    typeNamed: (kind) => {
      const t = named.get(kind);
      if (t === undefined) throw new Error(`kind "${kind}" was not resolved when the session opened (a bug)`);
      return t;
    },
  };
}

/** Loads the kubeconfig, connects, and resolves the kinds (plus any extra the arguments name). */
export async function openSession(options: GlobalOptions, extraKinds: readonly string[] = []): Promise<Session> {
  const config = loadConnection(options);
  const client = new KubeClient(config, { userAgent: 'kubectl-reflect', maxConcurrency: 32 });
  const { types, named } = await resolveKinds(
    (names) => resolveResourceTypes(client, names),
    options.kinds,
    extraKinds,
  );
  const namespace = options.namespace ?? config.namespace;
  return {
    client,
    contextName: config.contextName,
    namespace,
    types,
    ...(options.within ? { within: options.within } : {}),
    planOptions: planOptionsOf(options),
    readWorld: (signal) =>
      readWorld(client, types, {
        namespace,
        ...(options.within ? { within: options.within } : {}),
        ...(signal ? { signal } : {}),
      }),
    ...typeLookups(types, named),
    close: () => client.close(),
  };
}

/** Resolves --kinds and each kind the arguments name (remembering what each name became), reading every kind once. */
export async function resolveKinds(
  resolve: (names: readonly string[]) => Promise<ResourceType[]>,
  kinds: readonly string[],
  extraKinds: readonly string[],
): Promise<{ types: ResourceType[]; named: Map<string, ResourceType> }> {
  const named = new Map<string, ResourceType>();
  for (const k of new Set(extraKinds)) {
    const [t] = await resolve([k]);
    if (t !== undefined) named.set(k, t);
  }
  const types = await resolve(kinds);
  for (const t of named.values())
    if (!types.some((x) => x.group === t.group && x.resource === t.resource)) types.push(t);
  return { types, named };
}
