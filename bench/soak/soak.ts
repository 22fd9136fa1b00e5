// The soak: churn against two leader-elected controller processes behind a fault proxy, one fault per cycle, and an
// invariant checker after each quiet period. Used by bench/soak/run.ts (an hour) and test/e2e/soak.test.ts (2 minutes).
import { readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from '../../core/index.ts';
import { Labels, planReflection } from '../../core/index.ts';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import { gatherWorld } from '../../kube/world.ts';
import type { ControlPlane } from '../../test/cluster/harness.ts';
import { startControllerProcess } from '../../test/e2e/support/controller-process.ts';
import type { ControllerProcess } from '../../test/e2e/support/controller-process.ts';
import { kubeconfigVia, startFaultProxy } from '../../test/e2e/support/fault-proxy.ts';
import { procStat } from '../lib/pool.ts';
import { Churn, FOREIGN_LABEL, prng } from './churn.ts';
import type { FaultName } from './faults.ts';
import { inject } from './faults.ts';

/** How a soak runs. */
export interface SoakOptions {
  /** Total time; cycles start until it is used up, and every fault runs at least once. */
  durationMs: number;
  /** The faults, injected one per cycle in this order, round robin. */
  faults: readonly FaultName[];
  /** Churn time per cycle (the fault is injected at its start and healed at its middle). */
  churnMs: number;
  /** How long the world may take to converge after churn stops and the fault is healed. */
  convergeBoundMs: number;
  seed: number;
  /** Leader election timings for the controller replicas (lease, renew, retry). */
  lease: { duration: string; renew: string; retry: string };
  /** Asked before each new cycle: true ends the soak early (the hour-long run stops on SIGUSR2 with its figures). */
  stopEarly?(): boolean;
  log(line: string): void;
}

/** One cycle's outcome. */
export interface SoakCycle {
  fault: FaultName;
  /** Milliseconds from the end of churn to a world whose plan is empty; undefined if it never converged. */
  convergedMs: number | undefined;
  violations: string[];
  /** When it did not converge: the sources ("namespace/name") whose writes were still due, for the log. */
  pendingSources?: string[];
}

/** A soak's figures. */
export interface SoakReport {
  cycles: SoakCycle[];
  churn: Record<string, number>;
  churnErrors: number;
  /** Writes (create/update/patch/delete) by the controllers, from the audit log. */
  controllerWrites: number;
  controllerRequests: number;
  /** Samples of the controller processes: seconds since start, summed RSS and open sockets of the live replicas. */
  samples: Array<{ t: number; rssMiB: number; sockets: number; replicas: number }>;
  /** Replicas that exited on their own (seconds since start, exit code or signal). */
  exits: Array<{ t: number; code: number | null; signal: NodeJS.Signals | null }>;
  violations: string[];
}

const CONTROLLER_USER = 'soak-controller';
// kubelet's first CrashLoopBackOff delay.
const RESTART_DELAY_MS = 10_000;
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

function sockets(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return 0;
  }
}

function describePlan(plan: Plan): string {
  const ref = (o: { metadata: { namespace?: string; name: string }; kind: string }) =>
    `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
  return [
    ...plan.apply.slice(0, 5).map((a) => `apply ${ref(a.object)} (${a.reason})`),
    ...plan.delete
      .slice(0, 5)
      .map((d) => `delete ${d.object.kind} ${d.object.namespace}/${d.object.name} (${d.reason})`),
  ].join('; ');
}

/** Runs a soak on `cp` (started with audit) and returns its figures; it stops everything it started. */
export async function runSoak(cp: ControlPlane, options: SoakOptions): Promise<SoakReport> {
  const admin = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), {
    userAgent: 'soak-admin',
    maxConcurrency: 16,
  });
  const proxy = await startFaultProxy(new URL(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }).server));
  // Not system:masters: that group is exempt from API Priority and Fairness, and the 429 fault must reach it.
  await admin.create(
    {
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      resource: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      namespaced: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'soak-controller' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: CONTROLLER_USER }],
    },
  );
  const controllerKubeconfig = kubeconfigVia(cp.userKubeconfig(CONTROLLER_USER), proxy.url);
  const churn = new Churn(admin, prng(options.seed));
  for (const name of [...churn.initialNamespaces(), 'kube-reflect']) {
    await admin.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  const replicas: ControllerProcess[] = [];
  const stopped = new Set<ControllerProcess>();
  const exits: SoakReport['exits'] = [];
  const restarts: Promise<unknown>[] = [];
  let ending = false;
  const begun = performance.now();
  const startReplica = async () => {
    const proc = await startControllerProcess(controllerKubeconfig, [
      '--leader-elect',
      '--leader-election-namespace',
      'kube-reflect',
      '--leader-election-lease-duration',
      options.lease.duration,
      '--leader-election-renew-deadline',
      options.lease.renew,
      '--leader-election-retry-period',
      options.lease.retry,
    ]);
    replicas.push(proc);
    // A replica that exits on its own (a lost Lease, a crash) is reported with its last log lines: a Deployment would
    // restart it, and the soak does at the end of the cycle, but why it went must be in the soak's log.
    proc.child.once('exit', (code, signal) => {
      if (stopped.has(proc)) return;
      exits.push({ t: (performance.now() - begun) / 1000, code, signal });
      const last = proc.logs.slice(-4).map((l) => JSON.stringify(l).slice(0, 400));
      options.log(
        `replica ${proc.child.pid} exited (code ${code}, signal ${signal}); last log lines: ${last.join(' ')}`,
      );
      // The Deployment's kubelet restarts it after CrashLoopBackOff's first delay; the soak does the same, so a fault
      // that makes both replicas exit is measured as the outage a cluster would see, not as one that never ends.
      restarts.push(
        sleep(RESTART_DELAY_MS).then(async () => {
          if (!ending && live().length < 2) await startReplica();
        }),
      );
    });
    return proc;
  };

  const live = () => replicas.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  const killLeader = async () => {
    const leader = live().find((p) => p.logs.some((l) => l.msg === 'became leader; starting workers'));
    if (leader) {
      stopped.add(leader);
      await leader.kill('SIGKILL');
    }
    await startReplica();
  };
  await startReplica();
  await startReplica();

  const t0 = performance.now();
  const samples: SoakReport['samples'] = [];
  const sampler = setInterval(() => {
    const procs = live();
    let rss = 0;
    let socks = 0;
    for (const p of procs) {
      try {
        rss += procStat(p.child.pid!).rssMiB;
        socks += sockets(p.child.pid!);
      } catch {
        // Gone between the check and the read.
      }
    }
    samples.push({ t: (performance.now() - t0) / 1000, rssMiB: rss, sockets: socks, replicas: procs.length });
  }, 2_000);

  const cycles: SoakCycle[] = [];
  const since = new Date();
  // Watches the watchdog found dead (silent past its period), over every replica that ever ran: a stall is named.
  const silentWatches = () =>
    replicas.flatMap((p) =>
      p.logs.filter((l) => l.msg === 'watch silent; reconnecting').map((l) => String(l.resource)),
    );
  let silentBefore = 0;
  try {
    for (
      let i = 0;
      (performance.now() - t0 < options.durationMs || i < options.faults.length) && !options.stopEarly?.();
      i++
    ) {
      const fault = options.faults[i % options.faults.length]!;
      churn.start();
      const heal = await inject(fault, { cp, admin, proxy, controllerUser: CONTROLLER_USER, killLeader }).catch(
        (err: unknown) => {
          options.log(`cycle ${i}: injecting ${fault} failed: ${String(err)}`);
          return async () => {};
        },
      );
      await sleep(options.churnMs / 2);
      await heal();
      await sleep(options.churnMs / 2);
      await churn.stop();
      const cycle = await check(admin, churn, fault, options.convergeBoundMs);
      cycles.push(cycle);
      // A cycle that did not converge is the soak's finding: each replica's last log lines say what it was doing, and
      // its every line about a source still due says what happened to that source (the last 40 lines may not).
      if (cycle.convergedMs === undefined) {
        const due = new Set(cycle.pendingSources ?? []);
        const line = (l: Record<string, unknown>) => `  ${JSON.stringify(l).slice(0, 300)}`;
        for (const p of live()) {
          options.log(`cycle ${i}: replica ${p.child.pid} last log lines:\n${p.logs.slice(-40).map(line).join('\n')}`);
          const about = p.logs.filter((l) => typeof l.source === 'string' && due.has(l.source));
          if (about.length > 0)
            options.log(
              `cycle ${i}: replica ${p.child.pid} lines about ${[...due].join(', ')} (last 200):\n${about.slice(-200).map(line).join('\n')}`,
            );
        }
      }
      if (live().length < 2) await startReplica();
      // The replicas' memory goes into the log too, so a run cut short still shows it over time.
      const now = samples.at(-1);
      const elapsed = ((performance.now() - t0) / 60_000).toFixed(1);
      const silent = silentWatches();
      const newlySilent = silent.slice(silentBefore);
      silentBefore = silent.length;
      options.log(
        `cycle ${i} (${fault}) at ${elapsed} min: ${cycle.convergedMs === undefined ? 'NOT converged' : `converged in ${cycle.convergedMs.toFixed(0)} ms`}${now ? `; RSS ${now.rssMiB.toFixed(0)} MiB, ${now.sockets} sockets, ${now.replicas} replicas` : ''}${newlySilent.length ? `; dead watches reconnected by the watchdog: ${newlySilent.join(', ')}` : ''}${cycle.violations.length ? `; violations: ${cycle.violations.join(' | ')}` : ''}`,
      );
    }
  } finally {
    ending = true;
    await Promise.allSettled(restarts);
    clearInterval(sampler);
    await churn.stop();
    for (const p of live()) stopped.add(p);
    await Promise.all(live().map((p) => p.kill('SIGTERM')));
    proxy.close();
    admin.close();
  }
  const counts = cp.auditCounts({ since, user: CONTROLLER_USER });
  return {
    cycles,
    churn: churn.log.actions,
    churnErrors: churn.log.errors,
    controllerWrites: counts.filter((c) => WRITE_VERBS.has(c.verb)).reduce((n, c) => n + c.count, 0),
    controllerRequests: counts.reduce((n, c) => n + c.count, 0),
    samples,
    exits,
    violations: cycles.flatMap((c) => c.violations.map((v) => `${c.fault}: ${v}`)),
  };
}

/**
 * The invariant checker, after churn stopped and the fault was healed: the world converges (the core plans nothing for
 * it: every mirror equals its source, none is left where its source does not allow it, no update is lost) within the
 * bound, and no foreign object was written by anyone but the churn that made it.
 */
async function check(admin: KubeClient, churn: Churn, fault: FaultName, boundMs: number): Promise<SoakCycle> {
  const violations: string[] = [];
  const t0 = performance.now();
  let convergedMs: number | undefined;
  let last: Plan | undefined;
  while (performance.now() - t0 < boundMs) {
    try {
      const world = await gatherWorld(admin, [SECRETS, CONFIGMAPS]);
      last = planReflection(world);
      if (last.apply.length === 0 && last.delete.length === 0) {
        convergedMs = performance.now() - t0;
        break;
      }
    } catch {
      // The apiserver may still be coming back; the bound covers it.
    }
    await sleep(500);
  }
  let pendingSources: string[] | undefined;
  if (convergedMs === undefined) {
    violations.push(`not converged within ${boundMs} ms: ${last ? describePlan(last) : 'no world read'}`);
    const due = [...(last?.apply ?? []), ...(last?.delete ?? [])].map((w) => `${w.source.namespace}/${w.source.name}`);
    pendingSources = [...new Set(due)].sort();
  }
  for (const type of [SECRETS, CONFIGMAPS]) {
    const { items } = await admin.list<{
      kind?: string;
      metadata: { namespace: string; name: string; resourceVersion: string; labels?: Record<string, string> };
    }>(type, { labelSelector: `${FOREIGN_LABEL}=true`, metadataOnly: true });
    for (const o of items) {
      const key = `${o.metadata.namespace}/${o.metadata.name}/${type.kind}`;
      const wrote = churn.log.foreign.get(key);
      if (wrote && wrote.resourceVersion !== o.metadata.resourceVersion) {
        violations.push(`foreign ${type.kind} ${o.metadata.namespace}/${o.metadata.name} was written by someone else`);
      }
      if (o.metadata.labels?.[Labels.mirror] === 'true') {
        violations.push(`foreign ${type.kind} ${o.metadata.namespace}/${o.metadata.name} was taken over as a mirror`);
      }
    }
  }
  return { fault, convergedMs, violations, ...(pendingSources ? { pendingSources } : {}) };
}
