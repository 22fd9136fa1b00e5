// A connection to a cluster for one command: the client, the default namespace, the kinds to read, and the world.
import { KubeClient } from '../kube/client.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { resolveResourceTypes } from '../kube/resources.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { apiVersionOf } from '../kube/resource-type.ts';
import type { GlobalOptions } from './options.ts';
import { parseRequestTimeout } from './options.ts';
import type { ReadWorld } from './read-world.ts';
import { readWorld } from './read-world.ts';

/** What a command needs from the cluster. */
export interface Session {
  client: KubeClient;
  /** -n, else the context's namespace. */
  namespace: string;
  types: ResourceType[];
  within?: readonly string[];
  /** Reads every namespace and every object of the kinds (only -n's or --within's when cluster-wide reads are forbidden). */
  readWorld(signal?: AbortSignal): Promise<ReadWorld>;
  /** The resource type of an object. */
  typeOf(obj: { apiVersion: string; kind: string }): ResourceType;
  close(): void;
}

/** Loads the kubeconfig, connects, and resolves the kinds (plus any extra the arguments name). */
export async function openSession(options: GlobalOptions, extraKinds: readonly string[] = []): Promise<Session> {
  const requestTimeoutMs = parseRequestTimeout(options.requestTimeout);
  const config = loadKubeConfig({
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  });
  const client = new KubeClient(config, { userAgent: 'kubectl-reflect', maxConcurrency: 32 });
  const types = await resolveResourceTypes(client, [...new Set([...options.kinds, ...extraKinds])]);
  const typeOf = (obj: { apiVersion: string; kind: string }): ResourceType => {
    const t = types.find((x) => x.kind === obj.kind && apiVersionOf(x) === obj.apiVersion);
    if (t === undefined) throw new Error(`no resource type for ${obj.apiVersion} ${obj.kind}`);
    return t;
  };
  const namespace = options.namespace ?? config.namespace;
  return {
    client,
    namespace,
    types,
    ...(options.within ? { within: options.within } : {}),
    readWorld: (signal) =>
      readWorld(client, types, {
        namespace,
        ...(options.within ? { within: options.within } : {}),
        ...(signal ? { signal } : {}),
      }),
    typeOf,
    close: () => client.close(),
  };
}
