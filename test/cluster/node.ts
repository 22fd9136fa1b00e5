// Starting and removing the test node: network namespace, cgroups, certificates, containerd, kubelet, kube-proxy and
// kube-scheduler; loading image archives into its containerd; and a cleanup that leaves no process, mount or link.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminCall, httpCall } from './http.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { createNodeLink, deleteNodeLink, inNetns, type NodeLink } from './netns.ts';
import {
  containerdArgs,
  kubeletArgs,
  kubeProxyArgs,
  nodePaths,
  pauseImage,
  podCidr,
  schedulerArgs,
  writeNodeConfig,
} from './node-config.ts';
import { pauseArchive } from './pause-image.ts';
import { issueClientCert } from './pki.ts';
import type { ClusterState, ComponentName, NodeState } from './state.ts';
import { toolPath } from './tools.ts';

/** Starts one component: (state, name, bin, args, readiness probe). */
export type StartFn = (c: ComponentName, bin: string, args: string[], probe: () => Promise<boolean>) => Promise<void>;

/** The node's network link and the NodeState that goes with it (before anything runs). */
export function planNode(planeName: string): { link: NodeLink; node: NodeState } {
  const link = createNodeLink(`kube-reflect-${planeName}`);
  const node: NodeState = {
    slot: link.slot,
    name: 'kube-reflect-node',
    netns: link.netns,
    hostVeth: link.hostVeth,
    hostIp: link.hostIp,
    nodeIp: link.nodeIp,
    cgroupRoot: `/kube-reflect-${planeName}`,
    // Short: a unix socket path has at most 107 bytes, and the state dir can be deep.
    containerdSocket: `/run/kube-reflect-${link.slot}/containerd.sock`,
  };
  return { link, node };
}

/** cgroup v1 hierarchies under /sys/fs/cgroup, and with `unified` the hybrid cgroup2 mount too (runc uses it). */
function cgroupHierarchies(unified = false): string[] {
  const base = '/sys/fs/cgroup';
  return readdirSync(base)
    .map((h) => join(base, h))
    .filter((p) => {
      try {
        return statSync(p).isDirectory() && existsSync(join(p, 'cgroup.procs')) && (unified || !p.endsWith('/unified'));
      } catch {
        return false;
      }
    });
}

/** The kubelet wants its cgroup root to exist; a new cpuset cgroup needs cpus and mems before anything can join. */
function createCgroupRoot(root: string): void {
  for (const h of cgroupHierarchies()) {
    const dir = join(h, root);
    mkdirSync(dir, { recursive: true });
    if (h.endsWith('/cpuset')) {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(join(dir, f), readFileSync(join(h, f)));
    }
  }
}

function ctr(node: NodeState, args: string[]): string {
  const r = spawnSync('ctr', ['--address', node.containerdSocket, '--namespace', 'k8s.io', ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ctr ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Imports an image archive (OCI layout or docker-archive) into the node's containerd; returns the image names. */
export function loadImage(state: ClusterState, archive: string): string[] {
  if (!state.node) throw new Error(`control plane '${state.name}' has no node: start it with up --with-node`);
  ctr(state.node, ['images', 'import', archive]);
  return ctr(state.node, ['images', 'list', '-q'])
    .split('\n')
    .filter((l) => l && !l.startsWith('sha256:'));
}

type Node = {
  spec?: { taints?: { key: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
};

/** Starts kube-scheduler, containerd, kubelet and kube-proxy for `state.node`, each ready before the next. */
export async function startNode(state: ClusterState, start: StartFn, log: (line: string) => void): Promise<void> {
  const node = state.node;
  if (!node) throw new Error('startNode: no node planned');
  const p = nodePaths(state.dir);
  for (const d of [p.cniConfDir, p.cniDataDir, p.kubeletRoot, p.containerdRoot, p.containerdState])
    mkdirSync(d, { recursive: true });
  mkdirSync(join(node.containerdSocket, '..'), { recursive: true });
  createCgroupRoot(node.cgroupRoot);
  const nodeServer = `https://${node.hostIp}:${state.ports.apiserver}`;
  const kubelet = issueClientCert(state.pki, 'kubelet', `system:node:${node.name}`, ['system:nodes']);
  writeKubeconfig(p.kubeletKubeconfig, nodeServer, state.pki.caCert, `system:node:${node.name}`, {
    clientCert: kubelet,
  });
  const proxy = issueClientCert(state.pki, 'kube-proxy', 'system:kube-proxy', []);
  writeKubeconfig(p.kubeProxyKubeconfig, nodeServer, state.pki.caCert, 'system:kube-proxy', { clientCert: proxy });
  const sched = issueClientCert(state.pki, 'kube-scheduler', 'system:kube-scheduler', []);
  writeKubeconfig(p.schedulerKubeconfig, state.server, state.pki.caCert, 'system:kube-scheduler', {
    clientCert: sched,
  });
  writeNodeConfig(state, node);

  let t = Date.now();
  await start('kube-scheduler', toolPath('kube-scheduler'), schedulerArgs(state), async () => {
    const r = await httpCall('GET', `https://127.0.0.1:${state.ports.scheduler}/healthz`, { insecure: true });
    return r.status === 200;
  });
  log(`kube-scheduler ready (${Date.now() - t} ms)`);

  t = Date.now();
  const cd = inNetns(node.netns, 'containerd', containerdArgs(state));
  await start('containerd', cd.bin, cd.args, async () => {
    if (!existsSync(node.containerdSocket)) return false;
    return spawnSync('ctr', ['--address', node.containerdSocket, 'version'], { stdio: 'ignore' }).status === 0;
  });
  ctr(node, ['images', 'import', pauseArchive()]);
  log(`containerd ready in netns ${node.netns}, ${pauseImage} imported (${Date.now() - t} ms)`);

  t = Date.now();
  const kl = inNetns(node.netns, toolPath('kubelet'), kubeletArgs(state, node));
  await start('kubelet', kl.bin, kl.args, async () => {
    const r = await adminCall(state, 'GET', `/api/v1/nodes/${node.name}`);
    if (r.status !== 200) return false;
    const n = JSON.parse(r.body) as Node;
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    // The node-lifecycle controller lifts the not-ready taint a moment after Ready; pods schedule only then.
    return ready && !(n.spec?.taints ?? []).some((x) => x.key.startsWith('node.kubernetes.io/'));
  });
  log(`kubelet ready: node ${node.name} at ${node.nodeIp}, pods in ${podCidr(node)} (${Date.now() - t} ms)`);

  t = Date.now();
  const kp = inNetns(node.netns, toolPath('kube-proxy'), kubeProxyArgs(state));
  await start('kube-proxy', kp.bin, kp.args, async () => {
    return (await httpCall('GET', `http://${node.nodeIp}:10256/healthz`)).status === 200;
  });
  log(`kube-proxy ready (iptables mode) (${Date.now() - t} ms)`);
}

function pidsIn(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    try {
      for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l) out.push(Number(l));
    } catch {
      // gone meanwhile
    }
    for (const e of entries) if (statSync(join(d, e), { throwIfNoEntry: false })?.isDirectory()) walk(join(d, e));
  };
  walk(dir);
  return out;
}

/** containerd shims started for this node's socket (they outlive containerd by design). */
function shimPids(node: NodeState): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.includes('containerd-shim') && argv.includes(node.containerdSocket)) out.push(Number(e));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Mount points under `prefix`, deepest first. */
function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .map((m) => m.replace(/\\040/g, ' '))
    .filter((m) => m === prefix || m.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length);
}

/** Pod network namespaces containerd made in /run/netns whose address is in this node's pod range. */
function podNetnsOf(node: NodeState): string[] {
  if (!existsSync('/run/netns')) return [];
  const prefix = `10.244.${node.slot}.`;
  return readdirSync('/run/netns')
    .filter((n) => n.startsWith('cni-'))
    .filter((n) => {
      const r = spawnSync('ip', ['-n', n, '-4', '-o', 'addr'], { encoding: 'utf8' });
      return r.status === 0 && r.stdout.includes(`inet ${prefix}`);
    });
}

/**
 * Removes what the node leaves after its processes are stopped: containers and shims (killed), mounts under the
 * state dir, the pods' network namespaces, the cgroups and the node's own network namespace. Synchronous, so exit
 * handlers can call it.
 */
export function cleanupNode(state: ClusterState): void {
  const node = state.node;
  if (!node) return;
  const hierarchies = cgroupHierarchies(true);
  // Containers first, while their shims still reap them (an unreaped process keeps its cgroup busy); then the shims.
  for (let i = 0; i < 50; i++) {
    const pids = [...new Set(hierarchies.flatMap((h) => pidsIn(join(h, node.cgroupRoot))))];
    if (pids.length === 0) break;
    killAll(pids);
    sleepSync(100);
  }
  killAll(shimPids(node));
  for (const ns of podNetnsOf(node)) {
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  }
  for (const m of [...mountsUnder(state.dir), ...mountsUnder(join(node.containerdSocket, '..'))]) {
    spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  }
  for (const h of hierarchies) {
    const root = join(h, node.cgroupRoot);
    for (let i = 0; i < 50 && existsSync(root); i++) {
      removeCgroupTree(root);
      if (existsSync(root)) sleepSync(100);
    }
  }
  deleteNodeLink(node.netns);
  try {
    execFileSync('rm', ['-rf', join(node.containerdSocket, '..')]);
  } catch {
    // best effort
  }
}

function removeCgroupTree(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries)
    if (statSync(join(dir, e), { throwIfNoEntry: false })?.isDirectory()) removeCgroupTree(join(dir, e));
  try {
    rmdirSync(dir);
  } catch {
    // still has a task; the caller retries
  }
}
