// Controller benchmarks on a local control plane: fan-out, new-namespace latency, no-op restart, scale (RSS, idle CPU).
// Usage: node --import tsx bench/controller/run.ts [fanout] [newns] [restart] [scale]   (default: all)
// Env: BENCH_IDLE_MINUTES (no-op restart idle time, default 10), BENCH_FANOUT (1000), BENCH_SCALE_FACTOR (1 = full size).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../core/index.ts';
import { Labels, sourceHashLabel } from '../../core/index.ts';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { startControlPlane } from '../../test/cluster/harness.ts';
import type { ControlPlane } from '../../test/cluster/harness.ts';
import { buildController, freePort, startControllerProcess } from '../../test/e2e/support/controller-process.ts';
import type { ControllerProcess } from '../../test/e2e/support/controller-process.ts';
import { parallel, percentile } from '../lib/pool.ts';

const chosen = new Set(process.argv.slice(2));
const wants = (name: string) => chosen.size === 0 || chosen.has(name);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function createNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  await parallel(names, 16, (name) =>
    client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  );
}

async function countMirrors(client: KubeClient, type: ResourceType, sourceKey: string, hash?: string): Promise<number> {
  const { items } = await client.list<KubeObject>(type, {
    labelSelector: `${Labels.sourceHash}=${sourceHashLabel(sourceKey)}`,
  });
  return hash === undefined
    ? items.length
    : items.filter((m) => m.metadata.annotations?.['kube-reflect.io/content-hash'] === hash).length;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await check()) return performance.now() - t0;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

function procStat(pid: number): { rssMiB: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { rssMiB: rssKb / 1024, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function writesSince(cp: ControlPlane, since: Date): { writes: number; detail: string } {
  const counts = cp.auditCounts({ since }).filter((c) => c.userAgent.startsWith('reflect-controller'));
  const writes = counts.filter((c) => WRITE_VERBS.has(c.verb)).reduce((n, c) => n + c.count, 0);
  return { writes, detail: counts.map((c) => `${c.verb}=${c.count}`).join(' ') };
}

function watchStats(proc: ControllerProcess): string {
  const stopped = proc.logs.find((l) => l.msg === 'stopped') as
    { watches?: Record<string, { relists: number; restarts: number; watchdogTimeouts?: number }> } | undefined;
  const w = stopped?.watches ?? {};
  const relists = Object.values(w).reduce((n, x) => n + x.relists, 0);
  const restarts = Object.values(w).reduce((n, x) => n + x.restarts, 0);
  const quiet = Object.values(w).reduce((n, x) => n + (x.watchdogTimeouts ?? 0), 0);
  const errors = [
    ...new Set(
      proc.logs
        .filter((l) => String(l.msg).includes('watch error'))
        .map((l) => `${l.resource ?? 'namespaces'}: ${l.error}`),
    ),
  ];
  return `relists=${relists} watch-restarts=${restarts} watchdog-reconnects=${quiet}${errors.length ? ` (${errors.slice(0, 3).join('; ')})` : ''}`;
}

async function fanout(cp: ControlPlane, client: KubeClient): Promise<void> {
  const n = Number(process.env.BENCH_FANOUT ?? 1000);
  const names = Array.from({ length: n }, (_, i) => `fan-${String(i).padStart(4, '0')}`);
  await createNamespaces(client, [...names, 'fan-src']);
  const proc = await startControllerProcess(cp.kubeconfigPath);
  await proc.ready();
  const src = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'shared', namespace: 'fan-src', annotations: { 'kube-reflect.io/to': 'fan-[0-9]*' } },
    stringData: { v: '1' },
  };
  const t0 = performance.now();
  await client.create(SECRETS, src);
  await until(async () => (await countMirrors(client, SECRETS, 'fan-src/shared')) === n, 120_000, 100);
  const created = performance.now() - t0;
  const before = (
    await client.list<KubeObject>(SECRETS, {
      labelSelector: `${Labels.sourceHash}=${sourceHashLabel('fan-src/shared')}`,
      limit: 1,
    })
  ).items[0]?.metadata.annotations?.['kube-reflect.io/content-hash'];
  const t1 = performance.now();
  await client.apply(SECRETS, { ...src, stringData: { v: '2' } }, { fieldManager: 'bench', force: true });
  await until(async () => (await countMirrors(client, SECRETS, 'fan-src/shared', before)) === 0, 120_000, 100);
  const updated = performance.now() - t1;
  await proc.kill('SIGTERM');
  print(
    `fanout: 1 source -> ${n} namespaces: all mirrors exist after ${(created / 1000).toFixed(2)} s; all updated after ${(updated / 1000).toFixed(2)} s (target <= 10 s)`,
  );
}

async function newNamespace(cp: ControlPlane, client: KubeClient): Promise<void> {
  const sources = 50;
  const rounds = Number(process.env.BENCH_NEWNS_ROUNDS ?? 30);
  await createNamespaces(client, ['nn-src']);
  await parallel(
    Array.from({ length: sources }, (_, i) => i),
    8,
    (i) =>
      client.create(CONFIGMAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `s${i}`, namespace: 'nn-src', annotations: { 'kube-reflect.io/to': 'nn-t-*' } },
        data: { i: String(i) },
      }),
  );
  const proc = await startControllerProcess(cp.kubeconfigPath);
  await proc.ready();
  await sleep(1000);
  const latencies: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const name = `nn-t-${r}`;
    const t0 = performance.now();
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await until(
      async () =>
        (await client.list(CONFIGMAPS, { namespace: name, labelSelector: `${Labels.mirror}=true` })).items.length ===
        sources,
      30_000,
      10,
    );
    latencies.push(performance.now() - t0);
  }
  await proc.kill('SIGTERM');
  print(
    `new namespace with ${sources} sources (${rounds} namespaces): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (target p99 <= 1000 ms; includes the 10 ms polling)`,
  );
}

async function noopRestart(cp: ControlPlane, client: KubeClient): Promise<void> {
  const idleMinutes = Number(process.env.BENCH_IDLE_MINUTES ?? 10);
  const names = Array.from({ length: 1000 }, (_, i) => `rs-${String(i).padStart(4, '0')}`);
  await createNamespaces(client, [...names, 'rs-src']);
  await client.create(CONFIGMAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'rs-src', annotations: { 'kube-reflect.io/to': 'rs-[0-9]*' } },
    data: { v: '1' },
  });
  const first = await startControllerProcess(cp.kubeconfigPath);
  await first.ready();
  await until(async () => (await countMirrors(client, CONFIGMAPS, 'rs-src/cfg')) === names.length, 120_000, 200);
  await first.kill('SIGTERM');
  const since = new Date();
  const second = await startControllerProcess(cp.kubeconfigPath);
  await second.ready();
  await sleep(idleMinutes * 60_000);
  await second.kill('SIGTERM');
  const { writes, detail } = writesSince(cp, since);
  print(
    `no-op restart with ${names.length} up-to-date mirrors, then ${idleMinutes} idle min: writes=${writes} ${watchStats(second)} (target 0 and 0); requests: ${detail}`,
  );
}

async function scale(cp: ControlPlane, client: KubeClient): Promise<void> {
  const f = Number(process.env.BENCH_SCALE_FACTOR ?? 1);
  const nsCount = Math.round(2000 * f);
  const sourceCount = Math.round(200 * f);
  const unrelated = Math.round(20000 * f);
  const namespaces = Array.from({ length: nsCount }, (_, i) => `sc-${String(i).padStart(4, '0')}`);
  await createNamespaces(client, namespaces);
  const payload = 'y'.repeat(2048);
  const t0 = performance.now();
  await parallel(
    Array.from({ length: unrelated }, (_, i) => i),
    32,
    (i) =>
      client.create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `noise-${i}`, namespace: namespaces[i % nsCount]! },
        stringData: { blob: payload },
      }),
  );
  // Each source targets 50 namespaces: a window of the namespace list, named by a 50-entry exact list.
  await parallel(
    Array.from({ length: sourceCount }, (_, i) => i),
    16,
    (i) => {
      const targets = Array.from({ length: 50 }, (_, k) => namespaces[(i * 10 + k + 1) % nsCount]!).join(',');
      return client.create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: `src-${i}`,
          namespace: namespaces[i % nsCount]!,
          annotations: { 'kube-reflect.io/to': targets },
        },
        stringData: { blob: payload.slice(0, 256) },
      });
    },
  );
  print(
    `scale: seeded ${nsCount} namespaces, ${unrelated} unrelated 2 KiB Secrets and ${sourceCount} sources in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const metricsPort = await freePort();
  const proc = await startControllerProcess(cp.kubeconfigPath, ['--metrics-bind-address', `127.0.0.1:${metricsPort}`]);
  const t1 = performance.now();
  await proc.ready();
  const expected = sourceCount * 50;
  await until(
    async () =>
      (await client.list(SECRETS, { labelSelector: `${Labels.mirror}=true`, metadataOnly: true })).items.length >=
      expected,
    600_000,
    1000,
  );
  const converged = performance.now() - t1;
  await sleep(30_000);
  const pid = proc.child.pid!;
  const a = procStat(pid);
  await sleep(60_000);
  const b = procStat(pid);
  const hz = 100;
  const idleCpu = (b.cpuTicks - a.cpuTicks) / hz / 60;
  const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
  const metric = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(scrape)?.[1] ?? NaN) / 1048576;
  await proc.kill('SIGTERM');
  print(
    `scale: heap used ${metric('nodejs_heap_size_used_bytes').toFixed(0)} MiB of ${metric('nodejs_heap_size_total_bytes').toFixed(0)} MiB, external ${metric('nodejs_external_memory_bytes').toFixed(0)} MiB`,
  );
  print(
    `scale: ${expected} mirrors among ${unrelated} unrelated Secrets converged in ${(converged / 1000).toFixed(1)} s; steady RSS ${b.rssMiB.toFixed(0)} MiB (target <= 100 MiB); idle CPU ${(idleCpu * 100).toFixed(2)}% of a core over 60 s`,
  );
}

async function main(): Promise<void> {
  buildController();
  print(
    `kube-reflect controller benchmarks (${new Date().toISOString()}); bundled dist/bin/reflect-controller; local kube-apiserver + etcd on this machine`,
  );
  const cp = await startControlPlane({ name: `bench-controller-${process.pid}`, audit: true });
  const client = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), {
    userAgent: 'bench',
    maxConcurrency: 32,
  });
  try {
    if (wants('fanout')) await fanout(cp, client);
    if (wants('newns')) await newNamespace(cp, client);
    if (wants('restart')) await noopRestart(cp, client);
    if (wants('scale')) await scale(cp, client);
  } finally {
    client.close();
    await cp.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
