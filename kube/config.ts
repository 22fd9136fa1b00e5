// Loading a kubeconfig the way kubectl does, with errors that name the file or context at fault.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';

/** Where the in-cluster service account files live. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Options for loadKubeConfig; env/homeDir/serviceAccountDir exist for tests. */
export interface LoadKubeConfigOptions {
  /** An explicit kubeconfig path (`--kubeconfig`); wins over KUBECONFIG and ~/.kube/config. */
  kubeconfig?: string;
  /** A context name (`--context`); defaults to the kubeconfig's current-context. */
  context?: string;
  /** Timeout for ordinary (non-watch) requests, in milliseconds. */
  requestTimeoutMs?: number;
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  serviceAccountDir?: string;
}

/** A loaded, validated configuration: the client-node KubeConfig plus what we resolved from it. */
export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** Where it came from: file path(s) joined by the path delimiter, or "in-cluster". */
  source: string;
  contextName: string;
  server: string;
  /** The context's default namespace ("default" when unset). */
  namespace: string;
  requestTimeoutMs: number;
}

/** Raised when no usable configuration can be loaded; the message names the file or context. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

/** Default timeout for non-watch requests (kubectl has none; 30 s keeps a hung apiserver from hanging us). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Loads a kubeconfig from --kubeconfig, KUBECONFIG (merged like kubectl), ~/.kube/config or the in-cluster service account. */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let kc: KubeConfig;
  let source: string;
  let namespace: string | undefined;
  if (options.kubeconfig) {
    kc = loadFiles([options.kubeconfig], true);
    source = options.kubeconfig;
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter((f) => f !== '');
    // kubectl skips missing files in KUBECONFIG but fails when none exists.
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) throw new KubeConfigError(`KUBECONFIG=${env.KUBECONFIG}: none of these files exists`);
    kc = loadFiles(present, false);
    source = present.join(delimiter);
  } else {
    const home = options.homeDir ?? env.HOME ?? homedir();
    const defaultPath = join(home, '.kube', 'config');
    const saDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    if (existsSync(defaultPath)) {
      kc = loadFiles([defaultPath], true);
      source = defaultPath;
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(join(saDir, 'token'))) {
      kc = loadInCluster(env, saDir);
      source = 'in-cluster';
      const nsFile = join(saDir, 'namespace');
      if (existsSync(nsFile)) namespace = readFileSync(nsFile, 'utf8').trim();
    } else {
      throw new KubeConfigError(
        `no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ${defaultPath}, or run in a pod with a service account`,
      );
    }
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.contexts.map((c) => c.name).join(', ') || 'none';
      throw new KubeConfigError(`context "${options.context}" not found in ${source} (known: ${known})`);
    }
    kc.setCurrentContext(options.context);
  }
  const contextName = kc.getCurrentContext();
  if (!contextName) throw new KubeConfigError(`${source}: no current-context is set; pass --context`);
  const ctx = kc.getContextObject(contextName);
  if (!ctx) throw new KubeConfigError(`${source}: current-context "${contextName}" is not defined`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new KubeConfigError(`${source}: context "${contextName}" names unknown cluster "${ctx.cluster}"`);
  if (!cluster.server) throw new KubeConfigError(`${source}: cluster "${cluster.name}" has no server`);
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new KubeConfigError(`${source}: context "${contextName}" names unknown user "${ctx.user}"`);
  }
  return {
    kubeConfig: kc,
    source,
    contextName,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: ctx.namespace ?? namespace ?? 'default',
    requestTimeoutMs,
  };
}

// Merges files with kubectl's rule (the first file to define a name or current-context wins), which client-node's
// mergeConfig does not follow: it throws on duplicates and lets the last current-context win.
function loadFiles(files: readonly string[], mustExist: boolean): KubeConfig {
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  for (const file of files) {
    if (mustExist && !existsSync(file)) throw new KubeConfigError(`kubeconfig ${file} does not exist`);
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new KubeConfigError(`kubeconfig ${file}: ${(err as Error).message}`);
    }
    for (const c of one.clusters ?? []) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of one.users ?? []) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of one.contexts ?? []) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
    if (!currentContext && one.currentContext) currentContext = one.currentContext;
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters, users, contexts, currentContext });
  return kc;
}

function loadInCluster(env: Readonly<Record<string, string | undefined>>, saDir: string): KubeConfig {
  const kc = new KubeConfig();
  if (saDir === SERVICE_ACCOUNT_DIR) {
    kc.loadFromCluster();
    return kc;
  }
  // loadFromCluster only takes a prefix of the standard path, so tests with another directory build it by hand.
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: join(saDir, 'ca.crt'), skipTLSVerify: false }],
    users: [
      { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: join(saDir, 'token') } } },
    ],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  });
  return kc;
}
