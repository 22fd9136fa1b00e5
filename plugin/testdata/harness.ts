// Running the CLI in-process over a fixed world, for the golden files and the command tests (a module, not a test file,
// so importing it registers no tests).
import { Readable } from 'node:stream';
import type { World } from '../../core/index.ts';
import type { DiscoveryClient } from '../../kube/resources.ts';
import { resolveResourceTypes } from '../../kube/resources.ts';
import type { MemoryCluster } from '../../kube/test-support/memory-cluster.ts';
import { runCli } from '../cli.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { planOptionsOf } from '../options.ts';
import type { Session } from '../session.ts';
import { resolveKinds, typeLookups } from '../session.ts';
import { readWorld } from '../read-world.ts';

/**
 * What discovery says in the golden cluster: core Secrets and ConfigMaps (cm), NetworkPolicies (netpol) and
 * Deployments (deploy).
 */
const DISCOVERY: Readonly<Record<string, unknown>> = {
  '/api/v1': {
    resources: [
      { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret' },
      { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] },
      { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', shortNames: ['ns'] },
    ],
  },
  '/apis': {
    groups: [
      {
        name: 'networking.k8s.io',
        versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'networking.k8s.io/v1', version: 'v1' },
      },
      {
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      },
    ],
  },
  '/apis/apps/v1': {
    resources: [
      { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', shortNames: ['deploy'] },
    ],
  },
  '/apis/networking.k8s.io/v1': {
    resources: [
      {
        name: 'networkpolicies',
        singularName: 'networkpolicy',
        namespaced: true,
        kind: 'NetworkPolicy',
        shortNames: ['netpol'],
      },
    ],
  },
};

const discovery: DiscoveryClient = {
  getPath: async <T>(path: string) => {
    if (DISCOVERY[path] === undefined) throw new Error(`no discovery document ${path}`);
    return structuredClone(DISCOVERY[path]) as T;
  },
};

/** A session over a fixed world, with the flags' kinds resolved through the golden discovery: no cluster; writing fails loudly. */
export async function worldSession(
  world: World,
  options: Partial<GlobalOptions> = {},
  extraKinds: readonly string[] = [],
): Promise<Session> {
  const { types, named } = await resolveKinds(
    (names) => resolveResourceTypes(discovery, names),
    options.kinds ?? ['secrets', 'configmaps'],
    extraKinds,
  );
  return {
    client: {} as never,
    contextName: 'golden',
    namespace: options.namespace ?? 'platform',
    types,
    planOptions: planOptionsOf({ allNamespaces: false, noHeaders: false, kinds: [], ...options }),
    readWorld: async () => structuredClone(world),
    ...typeLookups(types, named),
    close: () => undefined,
  };
}

/**
 * A session over the in-memory cluster (kube/test-support/memory-cluster.ts): reads and writes go through the same
 * ports as on a real one, kinds resolve through the golden discovery, so sync, status and explain run for real.
 */
export async function clusterSession(
  cluster: MemoryCluster,
  options: Partial<GlobalOptions> = {},
  extraKinds: readonly string[] = [],
): Promise<Session> {
  const { types, named } = await resolveKinds(
    (names) => resolveResourceTypes(discovery, names),
    options.kinds ?? ['secrets', 'configmaps'],
    extraKinds,
  );
  const namespace = options.namespace ?? 'default';
  return {
    client: cluster,
    contextName: 'memory',
    namespace,
    types,
    ...(options.within ? { within: options.within } : {}),
    planOptions: planOptionsOf({ allNamespaces: false, noHeaders: false, kinds: [], ...options }),
    readWorld: () => readWorld(cluster, types, { namespace, ...(options.within ? { within: options.within } : {}) }),
    ...typeLookups(types, named),
    close: () => undefined,
  };
}

/** Runs the CLI in-process over a world; returns its exit code and output. */
export function runOver(
  world: World,
  args: string[],
  opts: { tty?: boolean; stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith((o, extra) => worldSession(world, o, extra), args, opts);
}

/** Runs the CLI in-process against the in-memory cluster; returns its exit code and output. */
export function runOnCluster(
  cluster: MemoryCluster,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith((o, extra) => clusterSession(cluster, o, extra), args);
}

async function runWith(
  openSession: Io['openSession'],
  args: string[],
  opts: { tty?: boolean; stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false, columns: 100 },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([opts.stdin ?? '']) as never,
    env: opts.env ?? {},
    openSession,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
