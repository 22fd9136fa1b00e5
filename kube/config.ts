// Loading a kubeconfig the way kubectl does, with errors that name the file or context at fault.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RequestOptions } from 'node:https';
import { applyCredentials } from './credentials.ts';
import { KubeConfigFileError, mergeKubeConfigs, readKubeConfigFile } from './kubeconfig-file.ts';
import type { KubeCluster, KubeConfigFiles, KubeUser } from './kubeconfig-file.ts';

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

/** A loaded, validated configuration: the current context's cluster and user, and what we resolved from them. */
export interface LoadedKubeConfig {
  /** The current context's cluster (paths absolute). */
  cluster: KubeCluster;
  /** The current context's user, if it names one. */
  user: KubeUser | undefined;
  /** Every context the configuration defines (for completion). */
  contexts: string[];
  /** Applies TLS material and credentials to request options; exec plugins and auth providers run here. */
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
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
  let kc: KubeConfigFiles;
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
      kc = inCluster(env, saDir);
      source = 'in-cluster';
      const nsFile = join(saDir, 'namespace');
      if (existsSync(nsFile)) namespace = readFileSync(nsFile, 'utf8').trim();
    } else {
      throw new KubeConfigError(
        `no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ${defaultPath}, or run in a pod with a service account`,
      );
    }
  }
  const contexts = kc.contexts.map((c) => c.name);
  if (options.context && !contexts.includes(options.context)) {
    const known = contexts.join(', ') || 'none';
    throw new KubeConfigError(`context "${options.context}" not found in ${source} (known: ${known})`);
  }
  const contextName = options.context || kc.currentContext;
  if (!contextName) throw new KubeConfigError(`${source}: no current-context is set; pass --context`);
  const ctx = kc.contexts.find((c) => c.name === contextName);
  if (!ctx) throw new KubeConfigError(`${source}: current-context "${contextName}" is not defined`);
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster);
  if (!cluster) throw new KubeConfigError(`${source}: context "${contextName}" names unknown cluster "${ctx.cluster}"`);
  const user = ctx.user ? kc.users.find((u) => u.name === ctx.user) : undefined;
  if (ctx.user && !user) {
    throw new KubeConfigError(`${source}: context "${contextName}" names unknown user "${ctx.user}"`);
  }
  return {
    cluster,
    user,
    contexts,
    applyToHTTPSOptions: (opts) => applyCredentials(cluster, user, opts),
    source,
    contextName,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: ctx.namespace ?? namespace ?? 'default',
    requestTimeoutMs,
  };
}

function loadFiles(files: readonly string[], mustExist: boolean): KubeConfigFiles {
  return mergeKubeConfigs(
    files.map((file) => {
      if (mustExist && !existsSync(file)) throw new KubeConfigError(`kubeconfig ${file} does not exist`);
      try {
        return readKubeConfigFile(file);
      } catch (err) {
        const why = err instanceof KubeConfigFileError || err instanceof Error ? err.message : String(err);
        throw new KubeConfigError(`kubeconfig ${file}: ${why}`);
      }
    }),
  );
}

// The pod's service account, as client-go's rest.InClusterConfig: the token file is read again on each refresh.
function inCluster(env: Readonly<Record<string, string | undefined>>, saDir: string): KubeConfigFiles {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    clusters: [{ name: 'inCluster', server, caFile: join(saDir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', tokenFile: join(saDir, 'token') }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  };
}
