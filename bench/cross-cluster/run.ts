// Cross-cluster bench: one remote plane, three local planes, each claiming a third of the remote objects by suffix.
// Usage: node --import tsx bench/cross-cluster/run.ts
// Env: BENCH_XC_OBJECTS (1000), BENCH_XC_NAMESPACES (100), BENCH_XC_PLANES (3), BENCH_XC_IDLE_SECONDS (60),
//      BENCH_XC_STATUS_CHANGES (100), BENCH_XC_OUTAGE_SECONDS (60; 0 skips the outage).
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../core/index.ts';
import { CrossCluster } from '../../core/names.ts';
import type { KubeClient } from '../../kube/client.ts';
import { Informer } from '../../kube/informer.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { startControlPlane } from '../../test/cluster/harness.ts';
import type { ControlPlane } from '../../test/cluster/harness.ts';
import { buildController, startControllerProcess } from '../../test/e2e/support/controller-process.ts';
import type { ControllerProcess } from '../../test/e2e/support/controller-process.ts';
import {
  adminOf,
  database,
  DATABASES,
  installDatabaseCrd,
  remoteServiceAccount,
} from '../../test/e2e/support/cross-cluster.ts';
import { parallel, percentile } from '../lib/pool.ts';

const OBJECTS = Number(process.env.BENCH_XC_OBJECTS ?? 1000);
const NAMESPACE_COUNT = Number(process.env.BENCH_XC_NAMESPACES ?? 100);
const PLANES = Number(process.env.BENCH_XC_PLANES ?? 3);
const IDLE_SECONDS = Number(process.env.BENCH_XC_IDLE_SECONDS ?? 60);
const STATUS_CHANGES = Number(process.env.BENCH_XC_STATUS_CHANGES ?? 100);
const OUTAGE_SECONDS = Number(process.env.BENCH_XC_OUTAGE_SECONDS ?? 60);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await check()) return performance.now() - t0;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const suffix = (plane: number) => `-p${plane}`;
const nsName = (i: number) => `fleet-${String(i).padStart(3, '0')}`;

async function main(): Promise<void> {
  buildController();
  const planes: ControlPlane[] = [];
  const controllers: ControllerProcess[] = [];
  const clients: KubeClient[] = [];
  try {
    const t0 = performance.now();
    const all = await Promise.all([
      startControlPlane({ name: `xcb-remote-${process.pid}`, audit: true }),
      ...Array.from({ length: PLANES }, (_, i) =>
        startControlPlane({ name: `xcb-local${i}-${process.pid}`, audit: true }),
      ),
    ]);
    planes.push(...all);
    const [remoteCp, ...localCps] = all as [ControlPlane, ...ControlPlane[]];
    print(`control planes: 1 remote + ${PLANES} local up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const remote = adminOf(remoteCp);
    const locals = localCps.map(adminOf);
    clients.push(remote, ...locals);
    await Promise.all([remote, ...locals].map(installDatabaseCrd));
    const kubeconfig = await remoteServiceAccount(remoteCp, remote, 'sync');

    const namespaces = Array.from({ length: NAMESPACE_COUNT }, (_, i) => nsName(i));
    await parallel(namespaces, 16, (name) => remote.create(NAMESPACES, { metadata: { name } }));
    const objects = Array.from({ length: OBJECTS }, (_, j) => ({
      namespace: nsName(j % NAMESPACE_COUNT),
      base: `db-${j}`,
      plane: j % PLANES,
    }));
    const createdAt = performance.now();
    await parallel(objects, 16, (o) =>
      remote.create(DATABASES, database(o.namespace, `${o.base}${suffix(o.plane)}`, { j: o.base })),
    );
    // The floor: one create per object, 16 at a time, by this process; the controllers make 4 writes per object.
    const createMs = performance.now() - createdAt;
    print(
      `remote: ${OBJECTS} objects in ${NAMESPACE_COUNT} namespaces, claimed by ${PLANES} planes by suffix; ` +
        `creating them took the bench ${(createMs / 1000).toFixed(1)} s (baseline: 1 write per object, 16 in flight)`,
    );

    // Time until all copies exist, from the controllers' start.
    const started = performance.now();
    for (let i = 0; i < PLANES; i++) {
      controllers.push(
        await startControllerProcess(localCps[i]!.kubeconfigPath, [
          '--kinds',
          'configmaps',
          '--log-level',
          'warn',
          '--remote-kubeconfig',
          kubeconfig,
          '--sync-resource',
          'xc.example.com/v1/databases',
          `--remote-resource-suffix=${suffix(i)}`,
        ]),
      );
    }
    const want = (i: number) => objects.filter((o) => o.plane === i).length;
    const copies = async (i: number) => (await locals[i]!.list(DATABASES, { limit: 500 })).items.length;
    await until(
      'all copies',
      async () => (await Promise.all(locals.map((_, i) => copies(i)))).every((n, i) => n === want(i)),
      600_000,
      250,
    );
    const copyMs = performance.now() - started;
    await until(
      'every remote object to record its generations',
      async () =>
        (await remote.list<KubeObject>(DATABASES)).items.every(
          (r) => r.metadata.annotations?.[CrossCluster.remoteGeneration] === String(r.metadata.generation),
        ),
      600_000,
      500,
    );
    const convergedMs = performance.now() - started;
    print(
      `all ${OBJECTS} copies exist after ${(copyMs / 1000).toFixed(1)} s (${(OBJECTS / (copyMs / 1000)).toFixed(0)} objects/s, ${(copyMs / createMs).toFixed(1)}x the baseline); every remote records its generations after ${(convergedMs / 1000).toFixed(1)} s`,
    );
    const initialRemoteWrites = remoteCp
      .auditCounts({ user: 'system:serviceaccount:default:sync' })
      .filter((c) => WRITE_VERBS.has(c.verb));
    print(
      `remote writes to converge: ${initialRemoteWrites.map((c) => `${c.verb}=${c.count}`).join(' ')} (${(initialRemoteWrites.reduce((n, c) => n + c.count, 0) / OBJECTS).toFixed(2)} per object; floor 2: finalizer + generations)`,
    );

    // p99 of a local status change reaching the remote, seen through a remote watch.
    const seen = new Map<string, number>();
    const watcher = new Informer<KubeObject>(remote, DATABASES, {
      onUpdate: (o) => {
        const nonce = (o.status as { nonce?: string } | undefined)?.nonce;
        if (nonce && !seen.has(nonce)) seen.set(nonce, performance.now());
      },
    });
    watcher.start();
    await watcher.waitForSync();
    const latencies: number[] = [];
    for (let k = 0; k < STATUS_CHANGES; k++) {
      const o = objects[(k * 37) % objects.length]!;
      const nonce = `n${k}`;
      const t = performance.now();
      await locals[o.plane]!.mergePatch(
        DATABASES,
        o.namespace,
        o.base,
        { status: { nonce } },
        { subresource: 'status' },
      );
      await until(`status ${nonce}`, async () => seen.has(nonce), 60_000, 5);
      latencies.push(seen.get(nonce)! - t);
    }
    await watcher.stop();
    print(
      `local status change → remote (${STATUS_CHANGES} changes, one at a time): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );

    // Idle requests to the remote.
    await sleep(2000);
    const idleFrom = new Date();
    await sleep(IDLE_SECONDS * 1000);
    const idle = remoteCp.auditCounts({ since: idleFrom, user: 'system:serviceaccount:default:sync' });
    const perMin = (n: number) => (n / (IDLE_SECONDS / 60)).toFixed(1);
    print(
      `idle ${IDLE_SECONDS} s, requests to the remote from ${PLANES} controllers: ${idle.map((c) => `${c.verb}=${c.count}`).join(' ') || 'none'} → ${perMin(idle.reduce((n, c) => n + c.count, 0))}/min total, list ${perMin(idle.filter((c) => c.verb === 'list').reduce((n, c) => n + c.count, 0))}/min`,
    );

    if (OUTAGE_SECONDS > 0) {
      const pid = remoteCp.state().components['kube-apiserver']!.pid;
      process.kill(-pid, 'SIGKILL');
      // The outage starts when the process is gone and its sockets closed, not when the signal is sent.
      await until(
        'the remote apiserver to be gone',
        async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        60_000,
        20,
      );
      const down = new Date();
      // A local edit during the outage must wait for the remote.
      const o = objects[0]!;
      await locals[o.plane]!.mergePatch(DATABASES, o.namespace, o.base, { spec: { j: 'edited' } });
      await sleep(OUTAGE_SECONDS * 1000);
      const localWrites = localCps.map((cp) =>
        cp
          .auditCounts({ since: down })
          .filter((c) => c.userAgent.startsWith('reflect-controller') && WRITE_VERBS.has(c.verb))
          .reduce((n, c) => n + c.count, 0),
      );
      const back = performance.now();
      await remoteCp.restartApiserver();
      const restartMs = performance.now() - back;
      const revertMs = await until(
        'the revert after the outage',
        async () => {
          const l = await locals[o.plane]!.get<KubeObject>(DATABASES, o.namespace, o.base);
          return (l.spec as { j?: string }).j === o.base;
        },
        300_000,
        100,
      );
      print(
        `remote apiserver down ${OUTAGE_SECONDS} s: local writes meanwhile ${localWrites.join('/')} (per plane); apiserver back in ${(restartMs / 1000).toFixed(1)} s, local edit reverted ${(revertMs / 1000).toFixed(1)} s after that`,
      );
    }
    for (const [i, c] of controllers.entries()) {
      const exit = await c.kill('SIGTERM');
      const relists = c.logs.filter((l) => String(l.msg).includes('relist')).length;
      print(`controller ${i}: exit ${exit}, relist log lines ${relists}`);
    }
    controllers.length = 0;
  } finally {
    for (const c of controllers) await c.kill('SIGKILL');
    for (const c of clients) c.close();
    await Promise.all(planes.map((p) => p.stop()));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/cross-cluster: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
