// Test entry points: start or attach to a real control plane, share one per test run, and per-test namespaces.
import { randomBytes } from 'node:crypto';
import { up, killNow } from './control-plane.ts';
import { ControlPlane } from './handle.ts';
import { readState } from './state.ts';

export { ControlPlane } from './handle.ts';
export type { AuditCount, AuditFilter } from './audit.ts';

/** Env var holding the shared test control plane's state dir (set by scripts/test.mjs for the e2e tier). */
export const clusterEnv = 'KUBE_REFLECT_TEST_CLUSTER';
/** Env var holding the shared test control plane's admin kubeconfig. */
export const kubeconfigEnv = 'KUBE_REFLECT_TEST_KUBECONFIG';

/** Options for `startControlPlane`. */
export interface StartOptions {
  name?: string;
  audit?: boolean;
  /** Also start a node (kube-scheduler, containerd, kubelet, kube-proxy) so pods run; needs root. */
  withNode?: boolean;
  log?: (line: string) => void;
}

const owned = new Set<string>();
let handlersInstalled = false;

function killOwned(): void {
  for (const dir of owned) killNow(dir);
  owned.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killOwned);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      killOwned();
      process.exit(code);
    });
  }
}

/** Starts a control plane owned by this process; it is killed when the process exits, if `stop()` was not called. */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const name = opts.name ?? `test-${process.pid}-${randomBytes(3).toString('hex')}`;
  installExitHandlers();
  const state = await up({
    name,
    audit: opts.audit ?? false,
    withNode: opts.withNode ?? false,
    onClaim: (dir) => owned.add(dir),
    ownerPid: process.pid,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const cp = new ControlPlane(state, true);
  const stop = cp.stop.bind(cp);
  cp.stop = async () => {
    owned.delete(state.dir);
    await stop();
  };
  return cp;
}

/** Attaches to a running control plane by its state dir, without taking ownership. */
export function attachControlPlane(dir: string): ControlPlane {
  const state = readState(dir);
  if (!state) throw new Error(`no control plane state in ${dir}`);
  return new ControlPlane(state, false);
}

let shared: Promise<ControlPlane> | undefined;

/** The run's shared control plane from $KUBE_REFLECT_TEST_CLUSTER, or one started for this process if it is unset. */
export function useTestControlPlane(): Promise<ControlPlane> {
  shared ??= (async () => {
    const dir = process.env[clusterEnv];
    return dir ? attachControlPlane(dir) : startControlPlane({ audit: true });
  })();
  return shared;
}

/** What `testNamespace` needs from a node:test context: a hook that runs after the test. */
export interface AfterHook {
  after(fn: () => Promise<void> | void): void;
}

/** Creates a uniquely named namespace for one test and deletes it after the test. */
export async function testNamespace(t: AfterHook, prefix = 'e2e'): Promise<string> {
  const cp = await useTestControlPlane();
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  const res = await cp.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: ${res.status} ${res.body}`);
  t.after(async () => {
    await cp.request('DELETE', `/api/v1/namespaces/${name}`);
  });
  return name;
}
