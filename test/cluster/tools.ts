// Where test/cluster/tools.sh puts the binaries it builds from the Go modules in test/cluster/go.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binaries tools.sh builds. */
export type Tool =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubelet'
  | 'kube-proxy'
  | 'pause'
  | 'kustomize'
  | 'helm'
  | 'krew';

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
    'kube-scheduler': k8s,
    kubelet: k8s,
    'kube-proxy': k8s,
    pause: get('PAUSE_VERSION'),
    kustomize: get('KUSTOMIZE_VERSION'),
    helm: get('HELM_VERSION'),
    krew: get('KREW_VERSION'),
  };
}

/** Versions of a plane binary found outside our cache that the harness accepts (its flags exist in all of them). */
const external: Partial<Record<Tool, RegExp>> = {
  etcd: /etcd Version: 3\.([5-9])\./,
  'kube-apiserver': /Kubernetes v1\.(3[1-5])\./,
  'kube-controller-manager': /Kubernetes v1\.(3[1-5])\./,
};

const found = new Map<string, string | null>();

/**
 * A supported binary of `tool` that we did not build: from $KUBEBUILDER_ASSETS (what controller-runtime's setup-envtest
 * installs) or from PATH. Null if none, or if its version is not supported (it is run once with --version).
 */
export function externalTool(tool: Tool): string | null {
  const want = external[tool];
  if (!want) return null;
  const dirs = [process.env.KUBEBUILDER_ASSETS, ...(process.env.PATH ?? '').split(':')].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const p = join(dir, tool);
    if (!found.has(p)) {
      const ok =
        existsSync(p) && want.test(spawnSync(p, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '');
      found.set(p, ok ? p : null);
    }
    const hit = found.get(p);
    if (hit) return hit;
  }
  return null;
}

/**
 * The binary to run for `tool`: $KUBEBUILDER_ASSETS' first, then ours (built by tools.sh), then one on PATH, for the
 * plane binaries; `pinned` (a plane with a node, whose kubelet must not be newer than its apiserver) takes only ours.
 * Throws with the build command if there is none.
 */
export function toolPath(tool: Tool, opts: { pinned?: boolean } = {}): string {
  const ours = join(binCacheDir(), tool, toolVersions()[tool], tool);
  if (opts.pinned) return builtTool(tool);
  const envtest = process.env.KUBEBUILDER_ASSETS ? externalTool(tool) : null;
  if (envtest?.startsWith(`${process.env.KUBEBUILDER_ASSETS}/`)) return envtest;
  if (existsSync(ours)) return ours;
  return externalTool(tool) ?? builtTool(tool);
}

/** Path of a built tool in the cache; throws with the build command if it is missing. */
export function builtTool(tool: Tool): string {
  const p = join(binCacheDir(), tool, toolVersions()[tool], tool);
  if (!existsSync(p)) throw new Error(`${tool} is not built: run \`npm run tools -- ${tool}\` (${p} is missing)`);
  return p;
}
