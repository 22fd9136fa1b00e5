// The on-disk state of a named control plane: its directory, ports, PIDs and the arguments to restart components.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Pki } from './pki.ts';

/** The processes of a control plane, in start order; the last four run only with a node (`up --with-node`). */
export const componentNames = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'containerd',
  'kubelet',
  'kube-proxy',
] as const;

/** One of the control-plane processes. */
export type ComponentName = (typeof componentNames)[number];

/** A running component: its process group leader and how to start it again. */
export interface ComponentState {
  pid: number;
  bin: string;
  args: string[];
  log: string;
}

/** The node of a plane started with `--with-node`: its network namespace, addresses and runtime paths. */
export interface NodeState {
  /** The link's slot: 10.213.<slot>.0/30 between host and node, pods in 10.244.<slot>.0/24. */
  slot: number;
  /** Node object name (also the kubelet's hostname override). */
  name: string;
  /** Network namespace the node's containerd, kubelet, kube-proxy and pods live in (`ip netns`). */
  netns: string;
  /** Host-side veth name and address: the apiserver's advertise address, reachable from the node. */
  hostVeth: string;
  hostIp: string;
  /** Node-side address (the node's InternalIP). */
  nodeIp: string;
  /** The cgroup (in every v1 hierarchy) holding the node's pods, removed on `down`. */
  cgroupRoot: string;
  /** containerd's gRPC socket. */
  containerdSocket: string;
}

/** Everything needed to attach to, restart or stop a control plane from another process. */
export interface ClusterState {
  name: string;
  dir: string;
  server: string;
  ports: { etcd: number; etcdPeer: number; apiserver: number; kcm: number; scheduler?: number };
  kubeconfig: string;
  pki: Pki;
  auditLog: string | null;
  components: Partial<Record<ComponentName, ComponentState>>;
  node?: NodeState;
  startedAt: string;
}

/** Root of all control-plane state dirs: $KUBE_REFLECT_CLUSTERS_DIR or ~/.cache/kube-reflect/clusters. */
export function clustersDir(): string {
  return process.env.KUBE_REFLECT_CLUSTERS_DIR ?? join(homedir(), '.cache', 'kube-reflect', 'clusters');
}

/** Throws unless `name` is a safe directory name. */
export function checkName(name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) {
    throw new Error(`invalid control plane name '${name}': use lowercase letters, digits, '.', '_' and '-'`);
  }
  return name;
}

/** State dir of the control plane called `name`. */
export function clusterDir(name: string): string {
  return join(clustersDir(), checkName(name));
}

const stateFile = (dir: string): string => join(dir, 'state.json');

/** Reads a control plane's state, or null if the dir has none. */
export function readState(dir: string): ClusterState | null {
  const f = stateFile(dir);
  if (!existsSync(f)) return null;
  return JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
}

/** Writes a control plane's state atomically, so a concurrent reader never sees half a file. */
export function writeState(state: ClusterState): void {
  const tmp = `${stateFile(state.dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, stateFile(state.dir));
}
