// Completion's questions to the cluster, each bounded by a short timeout so a slow cluster never stalls the shell.
import type { KubeObject } from '../core/index.ts';
import { parseObject } from '../core/index.ts';
import { KubeClient } from '../kube/client.ts';
import { loadConnection } from '../kube/connection.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../kube/resource-type.ts';
import type { CompletionLookup } from './completion.ts';

/** How long completion waits for the cluster. */
export const COMPLETION_TIMEOUT_MS = 2000;

/** Returns a lookup against the kubeconfig and context named in the words being completed. */
export function clusterLookup(args: readonly string[]): CompletionLookup {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    const eq = args.find((a) => a.startsWith(`${name}=`));
    return i >= 0 && i + 1 < args.length - 1 ? args[i + 1] : eq?.slice(name.length + 1);
  };
  const kubeconfig = flag('--kubeconfig');
  const context = flag('--context');
  const load = () =>
    loadConnection(
      { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) },
      { requestTimeoutMs: COMPLETION_TIMEOUT_MS },
    );
  const withClient = async <T>(fn: (c: KubeClient, ns: string) => Promise<T>): Promise<T> => {
    const config = load();
    const client = new KubeClient(config, { userAgent: 'kubectl-reflect-completion', maxRetries: 0 });
    try {
      return await fn(client, config.namespace);
    } finally {
      client.close();
    }
  };
  return {
    namespaces: () =>
      withClient(async (c) =>
        (await c.list<KubeObject>(NAMESPACES, { metadataOnly: true })).items.map((n) => n.metadata.name),
      ),
    contexts: async () => loadConnection({ ...(kubeconfig ? { kubeconfig } : {}) }).contexts,
    objects: (namespace, mirrors) =>
      withClient(async (c, defaultNs) => {
        const out: string[] = [];
        for (const [type, prefix] of [
          [SECRETS, ''],
          [CONFIGMAPS, 'configmap/'],
        ] as const) {
          const { items } = await c.list<KubeObject>(type, { namespace: namespace ?? defaultNs, metadataOnly: true });
          for (const o of items) {
            const p = parseObject({ ...o, apiVersion: 'v1', kind: type.kind });
            if (p.isSource || (mirrors && (p.pull !== undefined || p.pushedBy !== undefined)))
              out.push(`${prefix}${o.metadata.name}`);
          }
        }
        return out.sort();
      }),
  };
}
