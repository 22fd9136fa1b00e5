// Where test/cluster/tools.sh puts the binaries it builds from the Go modules in test/cluster/go.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binaries tools.sh builds. */
export type Tool = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kustomize' | 'helm';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of test/cluster/tools.sh. */
export const toolsScript = join(here, 'tools.sh');

/** Root of the binary cache: $KUBE_REFLECT_BIN_CACHE or ~/.cache/kube-reflect/bin. */
export function binCacheDir(): string {
  return process.env.KUBE_REFLECT_BIN_CACHE ?? join(homedir(), '.cache', 'kube-reflect', 'bin');
}

/** Reads test/cluster/versions.env, the single source of the pinned tool versions. */
export function toolVersions(): Record<Tool, string> {
  const env = new Map<string, string>();
  for (const line of readFileSync(join(here, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (m?.[1] && m[2]) env.set(m[1], m[2]);
  }
  const get = (key: string): string => {
    const v = env.get(key);
    if (!v) throw new Error(`test/cluster/versions.env has no ${key}`);
    return v;
  };
  const k8s = get('KUBERNETES_VERSION');
  return {
    etcd: get('ETCD_VERSION'),
    'kube-apiserver': k8s,
    'kube-controller-manager': k8s,
    kustomize: get('KUSTOMIZE_VERSION'),
    helm: get('HELM_VERSION'),
  };
}

/** Path of a built tool in the cache; throws with the build command if it is missing. */
export function toolPath(tool: Tool): string {
  const p = join(binCacheDir(), tool, toolVersions()[tool], tool);
  if (!existsSync(p)) throw new Error(`${tool} is not built: run \`npm run tools\` (${p} is missing)`);
  return p;
}
