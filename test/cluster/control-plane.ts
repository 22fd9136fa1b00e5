// Starting, restarting and stopping a named control plane (etcd, kube-apiserver, kube-controller-manager).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiserverArgs, auditPolicy, etcdArgs, kcmArgs } from './components.ts';
import { adminAuth, adminCall, httpCall } from './http.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { createPki, issueClientCert } from './pki.ts';
import { freePorts, waitPortFree } from './ports.ts';
import { cleanupNode, planNode, startNode } from './node.ts';
import { isAlive, launch, signalGroup, stopGroup, waitReady } from './process.ts';
import {
  clusterDir,
  clustersDir,
  componentNames,
  readState,
  writeState,
  type ClusterState,
  type ComponentName,
} from './state.ts';
import { toolPath, type Tool } from './tools.ts';
import { startWatchdog } from './watchdog.ts';

/** Options for `up`. */
export interface UpOptions {
  name: string;
  audit?: boolean;
  /** Also run kube-scheduler, containerd, kubelet and kube-proxy, so pods run (see node.ts). */
  withNode?: boolean;
  log?: (line: string) => void;
  /** Called once the state dir is claimed, before any process starts (so exit handlers can clean up). */
  onClaim?: (dir: string) => void;
  /** Stop the plane automatically when this process exits, however it dies (see watchdog.ts). */
  ownerPid?: number;
}

/** PIDs of a control plane's components that are still running. */
export function livePids(state: ClusterState): number[] {
  return componentNames.flatMap((c) => {
    const pid = state.components[c]?.pid;
    return pid !== undefined && isAlive(pid) ? [pid] : [];
  });
}

function claimDir(name: string): string {
  const dir = clusterDir(name);
  mkdirSync(clustersDir(), { recursive: true });
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'created'), String(Date.now()));
    return dir;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const old = readState(dir);
  const pids = old ? livePids(old) : [];
  // No process recorded yet and claimed recently: another `up` is still making the PKI.
  const starting = Object.keys(old?.components ?? {}).length === 0 && Date.now() - createdAt(dir) < 5 * 60_000;
  if (pids.length > 0 || starting) {
    throw new Error(
      `control plane '${name}' is already running (${dir}${pids.length ? `, pids ${pids.join(' ')}` : ', starting'}); ` +
        `stop it first with: npm run cluster -- down --name ${name}`,
    );
  }
  rmSync(dir, { recursive: true, force: true }); // stale leftovers of a crashed run
  mkdirSync(dir);
  writeFileSync(join(dir, 'created'), String(Date.now()));
  return dir;
}

function createdAt(dir: string): number {
  try {
    return Number(readFileSync(join(dir, 'created'), 'utf8'));
  } catch {
    return 0;
  }
}

async function startComponent(
  state: ClusterState,
  c: ComponentName,
  args: string[],
  probe: () => Promise<boolean>,
  bin: string = toolPath(c as Tool, { pinned: state.node !== undefined }),
): Promise<void> {
  const log = join(state.dir, `${c}.log`);
  const pid = launch(bin, args, log);
  state.components[c] = { pid, bin, args, log };
  writeState(state);
  await waitReady(c, pid, log, probe);
}

const etcdHealthy = (s: ClusterState) => async (): Promise<boolean> =>
  (await httpCall('GET', `http://127.0.0.1:${s.ports.etcd}/health`)).body.includes('"health":"true"');

const apiserverReady = (s: ClusterState) => async (): Promise<boolean> => {
  // Probed as admin: anonymous probes get 401/403 until RBAC bootstrap finishes.
  if ((await httpCall('GET', `${s.server}/readyz`, adminAuth(s))).status !== 200) return false;
  return (await adminCall(s, 'GET', '/api/v1/namespaces/default')).status === 200;
};

const kcmHealthy = (s: ClusterState) => async (): Promise<boolean> =>
  (await httpCall('GET', `https://127.0.0.1:${s.ports.kcm}/healthz`, { insecure: true })).status === 200;

async function startOnce(dir: string, opts: UpOptions): Promise<ClusterState> {
  const log = opts.log ?? (() => {});
  const [etcd = 0, etcdPeer = 0, apiserver = 0, kcm = 0, scheduler = 0] = await freePorts(5);
  const node = opts.withNode ? planNode(opts.name).node : undefined;
  if (node) log(`node network: netns ${node.netns}, node ${node.nodeIp}, apiserver reachable at ${node.hostIp}`);
  const pki = createPki(join(dir, 'pki'), node ? [node.hostIp] : []);
  const server = `https://127.0.0.1:${apiserver}`;
  const admin = issueClientCert(pki, 'admin', 'kube-reflect-admin', ['system:masters']);
  const kcmCert = issueClientCert(pki, 'kcm', 'system:kube-controller-manager', ['system:masters']);
  // The apiserver's identity towards kubelets (logs, exec); the kubelet's webhook authorizer asks RBAC about it.
  if (node) issueClientCert(pki, 'apiserver-kubelet-client', 'kube-apiserver-kubelet-client', ['system:masters']);
  const state: ClusterState = {
    name: opts.name,
    dir,
    server,
    ports: { etcd, etcdPeer, apiserver, kcm, ...(node ? { scheduler } : {}) },
    kubeconfig: writeKubeconfig(join(dir, 'admin.kubeconfig'), server, pki.caCert, 'admin', { clientCert: admin }),
    pki,
    auditLog: opts.audit ? join(dir, 'audit.log') : null,
    components: {},
    ...(node ? { node } : {}),
    startedAt: new Date().toISOString(),
  };
  writeKubeconfig(join(dir, 'kcm.kubeconfig'), server, pki.caCert, 'kcm', { clientCert: kcmCert });
  if (opts.audit) writeFileSync(join(dir, 'audit-policy.yaml'), auditPolicy);
  writeState(state);
  try {
    let t = Date.now();
    await startComponent(state, 'etcd', etcdArgs(state), etcdHealthy(state));
    log(`etcd ready on 127.0.0.1:${etcd} (${Date.now() - t} ms)`);
    t = Date.now();
    await startComponent(state, 'kube-apiserver', apiserverArgs(state), apiserverReady(state));
    log(`kube-apiserver ready on ${server} (${Date.now() - t} ms)`);
    t = Date.now();
    await startComponent(state, 'kube-controller-manager', kcmArgs(state), kcmHealthy(state));
    log(`kube-controller-manager ready on 127.0.0.1:${kcm} (${Date.now() - t} ms)`);
    if (node) await startNode(state, (c, bin, args, probe) => startComponent(state, c, args, probe, bin), log);
    return state;
  } catch (e) {
    await stopComponents(state);
    throw e;
  }
}

/** Starts a named control plane and returns its state once the apiserver is ready and `default` exists. */
export async function up(opts: UpOptions): Promise<ClusterState> {
  const dir = claimDir(opts.name);
  opts.onClaim?.(dir);
  if (opts.ownerPid !== undefined) startWatchdog(opts.ownerPid, dir);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dir, opts);
    } catch (e) {
      const portRace = String(e).includes('address already in use');
      if (!portRace || attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      opts.log?.('port taken by another process meanwhile; retrying with new ports');
      for (const f of ['etcd', 'pki', 'containerd', 'kubelet', 'cni'])
        rmSync(join(dir, f), { recursive: true, force: true });
    }
  }
}

async function stopComponents(state: ClusterState): Promise<void> {
  for (const c of [...componentNames].reverse()) {
    const pid = state.components[c]?.pid;
    if (pid !== undefined) await stopGroup(pid);
  }
  cleanupNode(state);
}

/** Stops a control plane's processes (KCM, apiserver, etcd) and removes its state dir. */
export async function down(dir: string): Promise<boolean> {
  const state = readState(dir);
  if (state) await stopComponents(state);
  rmSync(dir, { recursive: true, force: true });
  return state !== null;
}

/** Synchronously SIGKILLs every process group of a control plane and removes its dir (for exit handlers). */
export function killNow(dir: string): void {
  const state = readState(dir);
  for (const c of componentNames) {
    const pid = state?.components[c]?.pid;
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  }
  if (state) cleanupNode(state);
  rmSync(dir, { recursive: true, force: true });
}

/** Kills etcd (SIGKILL) and starts it again on the same ports and data; the apiserver reconnects on its own. */
export async function restartEtcd(dir: string): Promise<void> {
  const state = readState(dir);
  const etcd = state?.components.etcd;
  if (!state || !etcd) throw new Error(`no control plane at ${dir}`);
  await stopGroup(etcd.pid, 0);
  await waitPortFree(state.ports.etcd);
  await waitPortFree(state.ports.etcdPeer);
  etcd.pid = launch(etcd.bin, etcd.args, etcd.log);
  writeState(state);
  await waitReady('etcd (restarted)', etcd.pid, etcd.log, etcdHealthy(state));
}

/** Kills kube-apiserver (SIGKILL, or SIGTERM if `graceful`) and starts it again on the same port and etcd. */
export async function restartApiserver(dir: string, graceful = false): Promise<void> {
  const state = readState(dir);
  const api = state?.components['kube-apiserver'];
  if (!state || !api) throw new Error(`no control plane at ${dir}`);
  await stopGroup(api.pid, graceful ? 30_000 : 0);
  for (let attempt = 1; ; attempt++) {
    await waitPortFree(state.ports.apiserver);
    api.pid = launch(api.bin, api.args, api.log);
    writeState(state);
    try {
      return await waitReady('kube-apiserver (restarted)', api.pid, api.log, apiserverReady(state));
    } catch (e) {
      // The dying apiserver's threads can hold the port a moment after the port check; try again then.
      if (attempt >= 3 || !String(e).includes('address already in use')) throw e;
    }
  }
}
