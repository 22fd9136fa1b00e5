// The benchmark scenarios: each measures the controller and, in the same run, the floor (a plain client making exactly
// the writes the scenario needs at the fastest concurrency), so every figure can be read as a ratio to the floor.
import { setTimeout as sleep } from 'node:timers/promises';
import { Labels, Provenance, parseObject, renderMirror } from '../../core/index.ts';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ControlPlane } from '../../test/cluster/harness.ts';
import { freePort, startControllerProcess } from '../../test/e2e/support/controller-process.ts';
import type { ControllerProcess } from '../../test/e2e/support/controller-process.ts';
import { timeWrites } from '../lib/floor.ts';
import { parallel, percentile, procStat, sampleRss } from '../lib/pool.ts';
import type { WatchedMeta } from '../lib/watch-until.ts';
import { watchView } from '../lib/watch-until.ts';
import type { FanoutResult, NewNamespaceResult, RestartResult, ScaleResult } from './results.ts';

/** What every scenario gets: its own control plane, an admin client, the calibrated concurrency and the run's size. */
export interface BenchContext {
  cp: ControlPlane;
  client: KubeClient;
  concurrency: number;
  quick: boolean;
  log(line: string): void;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

/** Extra environment for the controller under test (BENCH_CONTROLLER_NODE_OPTIONS: V8 flags to compare runtimes). */
function controllerEnv(): NodeJS.ProcessEnv {
  const flags = process.env.BENCH_CONTROLLER_NODE_OPTIONS;
  return flags ? { NODE_OPTIONS: flags } : {};
}

async function createNamespaces(ctx: BenchContext, names: readonly string[]): Promise<void> {
  await parallel(names, ctx.concurrency, (name) =>
    ctx.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  );
}

async function startController(ctx: BenchContext, args: string[] = []): Promise<ControllerProcess> {
  const proc = await startControllerProcess(ctx.cp.kubeconfigPath, args, controllerEnv());
  await proc.ready(60_000);
  return proc;
}

/** CPU seconds the control plane's etcd and kube-apiserver have used so far. */
function planeCpuSeconds(cp: ControlPlane): number {
  const { components } = cp.state();
  let sum = 0;
  for (const c of [components.etcd, components['kube-apiserver']]) if (c) sum += procStat(c.pid).cpuSeconds;
  return sum;
}

/** The controller's requests since a moment, by verb (audit log). */
function controllerRequests(cp: ControlPlane, since: Date): Record<string, number> {
  const byVerb: Record<string, number> = {};
  for (const c of cp.auditCounts({ since }).filter((c) => c.userAgent.startsWith('reflect-controller')))
    byVerb[c.verb] = (byVerb[c.verb] ?? 0) + c.count;
  return byVerb;
}

/** The mirror our planner renders of `source` (as the apiserver stores it) in `namespace`. */
function renderedCopy(source: KubeObject, namespace: string): KubeObject {
  const spec = parseObject(source).spec;
  const mirror = spec && renderMirror(source, spec, { namespace, name: source.metadata.name }, 'push');
  if (mirror === undefined) throw new Error(`bench: ${source.metadata.name} did not render a mirror`);
  return mirror;
}

/** Rounds of each fan-out up to 1,000 namespaces (one in --quick and above 1,000): the figures are their medians. */
const FANOUT_ROUNDS = 3;

/** One round's milliseconds and CPU seconds: the floor's create and update, then ours. */
interface FanoutRound {
  ours: { create: number; update: number };
  floor: { create: number; update: number };
  cpu: { controller: number; floorWriter: number; watcher: number; plane: number; floorPlane: number };
}

/**
 * Fan-out of one Secret to n namespaces, then an update of it: ours (source write → last mirror seen) vs the floor.
 * Up to 1,000 namespaces it runs three rounds, each the floor's then ours, and reports the medians: one round's ratio
 * moved by 0.1-0.2 between runs on the same machine. Each round's controller starts afresh, idles 2 s in sync (a source
 * appears on a running controller, not in the second after it became ready), then gets a new source of the round's own.
 */
export async function fanout(ctx: BenchContext, n: number): Promise<FanoutResult> {
  const prefix = `fo${n}`;
  const targets = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
  await createNamespaces(ctx, [...targets, `${prefix}-src`]);
  const data = (v: string) => ({ a: 'x'.repeat(64), b: 'y'.repeat(64), v });
  // The watch that sees our mirrors arrive sees the floor's too: the floor is done when its last write is seen, as ours
  // is, and the plane serves that watch in both.
  const view = await watchView(ctx.client, SECRETS, { labelSelector: `${Labels.mirror}=true` });
  const where: FanoutTargets = {
    targets,
    targetSet: new Set(targets),
    sourceNamespace: `${prefix}-src`,
    to: `${prefix}-0*`,
  };
  const rounds = ctx.quick || n > 1000 ? 1 : FANOUT_ROUNDS;
  const results: FanoutRound[] = [];
  let rssMiB = 0;
  let settledRssMiB: number | undefined;
  try {
    for (let round = 0; round < rounds; round++) {
      const floor = await fanoutFloor(ctx, view, where, `floor-${round}`, data);
      const proc = await startController(ctx);
      try {
        await sleep(2_000);
        const ours = await fanoutOurs(ctx, view, proc, where, `shared-${round}`, data);
        results.push({
          ours: ours.ms,
          floor: floor.ms,
          cpu: { ...ours.cpu, floorWriter: floor.cpu.writer, floorPlane: floor.cpu.plane },
        });
        // The audit log is written in batches: its count of the controller's requests is complete a few seconds on.
        await sleep(5_000);
        if (round === 0) rssMiB = procStat(proc.child.pid!).rssMiB;
        ctx.log(
          `  fan-out 1 -> ${n}, round ${round + 1} of ${rounds}: create ${(ours.ms.create / floor.ms.create).toFixed(2)}x (${(ours.ms.create / 1000).toFixed(2)} s / ${(floor.ms.create / 1000).toFixed(2)} s), update ${(ours.ms.update / floor.ms.update).toFixed(2)}x (${(ours.ms.update / 1000).toFixed(2)} s / ${(floor.ms.update / 1000).toFixed(2)} s); CPU s: controller ${ours.cpu.controller.toFixed(2)}, floor's writer ${floor.cpu.writer.toFixed(2)} (the watch alone ${ours.cpu.watcher.toFixed(2)} while ours ran), plane ${ours.cpu.plane.toFixed(1)} (floor ${floor.cpu.plane.toFixed(1)}); controller requests ${JSON.stringify(controllerRequests(ctx.cp, ours.since))}`,
        );
        // 5 s after a burst races V8's memory reducer (it returns the burst's heap pages 8-20 s later,
        // docs/operations.md); the settled figure is what the controller holds on a small cluster between bursts.
        if (round === 0 && n === 1000) {
          await sleep(25_000);
          settledRssMiB = procStat(proc.child.pid!).rssMiB;
        }
      } finally {
        await proc.kill('SIGTERM');
      }
    }
  } finally {
    view.close();
  }
  const median = (pick: (r: FanoutRound) => number) => percentile(results.map(pick), 50);
  return {
    namespaces: n,
    ours: { create: median((r) => r.ours.create), update: median((r) => r.ours.update) },
    floor: { create: median((r) => r.floor.create), update: median((r) => r.floor.update) },
    rssMiB,
    ...(settledRssMiB !== undefined ? { settledRssMiB } : {}),
    cpu: {
      controller: median((r) => r.cpu.controller),
      floorWriter: median((r) => r.cpu.floorWriter),
      watcher: median((r) => r.cpu.watcher),
      plane: median((r) => r.cpu.plane),
      floorPlane: median((r) => r.cpu.floorPlane),
    },
    rounds: results.map((r) => ({ ours: r.ours, floor: r.floor })),
  };
}

type View = Awaited<ReturnType<typeof watchView>>;

/** Where a fan-out writes: its target namespaces, the source's namespace and the annotation that selects the targets. */
interface FanoutTargets {
  targets: readonly string[];
  /** The same, to look up: another fan-out's namespaces on the same plane hold objects of the same names. */
  targetSet: ReadonlySet<string>;
  sourceNamespace: string;
  to: string;
}

/** This process's CPU seconds so far. */
function benchCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * The floor of one round: the same writes a mirror fan-out needs, one create per namespace, then one apply per
 * namespace, of the very objects the planner renders (labels, provenance annotations and all: those are part of what a
 * mirror is and cost the apiserver too), under a name of its own so that ours still find every namespace empty. Its
 * objects are deleted before it returns: they look like mirrors of a source that does not exist, which a controller
 * started after would delete while we measure it.
 */
async function fanoutFloor(
  ctx: BenchContext,
  view: View,
  where: FanoutTargets,
  name: string,
  data: (v: string) => Record<string, string>,
): Promise<{ ms: { create: number; update: number }; cpu: { writer: number; plane: number } }> {
  const { targets, sourceNamespace } = where;
  const n = targets.length;
  const mirror = (namespace: string, version: string) =>
    renderedCopy(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: sourceNamespace, annotations: { 'kube-reflect.io/to': where.to } },
        type: 'Opaque',
        // As the apiserver stores it: stringData becomes base64 data.
        data: Object.fromEntries(Object.entries(data(version)).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      },
      namespace,
    );
  const mine = (m: WatchedMeta) => m.name === name && where.targetSet.has(m.namespace);
  const plane0 = planeCpuSeconds(ctx.cp);
  // This process's CPU: the floor's writes and the watch while the floor writes; only the watch while ours does.
  const bench0 = benchCpu();
  let t = performance.now();
  await timeWrites(targets, ctx.concurrency, (namespace) => ctx.client.create(SECRETS, mirror(namespace, '1')));
  await view.untilCount(mine, n, 600_000);
  const create = performance.now() - t;
  const created = [...view.current().values()].find(mine)?.annotations[Provenance.contentHash];
  t = performance.now();
  await timeWrites(targets, ctx.concurrency, (namespace) =>
    ctx.client.apply(SECRETS, mirror(namespace, '2'), { fieldManager: 'bench-floor', force: true }),
  );
  await view.untilCount((m) => mine(m) && m.annotations[Provenance.contentHash] !== created, n, 600_000);
  const update = performance.now() - t;
  const cpu = { writer: benchCpu() - bench0, plane: planeCpuSeconds(ctx.cp) - plane0 };
  await parallel(targets, ctx.concurrency, (namespace) => ctx.client.delete(SECRETS, namespace, name));
  return { ms: { create, update }, cpu };
}

/** Ours in one round: a new source `name` that targets every namespace, then an update of it, each to its last mirror. */
async function fanoutOurs(
  ctx: BenchContext,
  view: View,
  proc: ControllerProcess,
  where: FanoutTargets,
  name: string,
  data: (v: string) => Record<string, string>,
): Promise<{
  ms: { create: number; update: number };
  cpu: { controller: number; watcher: number; plane: number };
  since: Date;
}> {
  const { targets, sourceNamespace } = where;
  const n = targets.length;
  const ours = (m: WatchedMeta) => m.name === name && where.targetSet.has(m.namespace);
  const source = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: sourceNamespace, annotations: { 'kube-reflect.io/to': where.to } },
    stringData: data('1'),
  };
  const since = new Date();
  const cpu0 = { plane: planeCpuSeconds(ctx.cp), controller: procStat(proc.child.pid!).cpuSeconds, bench: benchCpu() };
  const t0 = performance.now();
  await ctx.client.create(SECRETS, source);
  await view.untilCount(ours, n, 600_000);
  const create = performance.now() - t0;
  const before = [...view.current().values()].find(ours)?.annotations[Provenance.contentHash];
  const t1 = performance.now();
  await ctx.client.apply(SECRETS, { ...source, stringData: data('2') }, { fieldManager: 'bench', force: true });
  await view.untilCount((m) => ours(m) && m.annotations[Provenance.contentHash] !== before, n, 600_000);
  const update = performance.now() - t1;
  // Taken as the last mirror is seen, as the floor's is: a wait after would add the plane's idle CPU to the phase.
  const cpu = {
    controller: procStat(proc.child.pid!).cpuSeconds - cpu0.controller,
    watcher: benchCpu() - cpu0.bench,
    plane: planeCpuSeconds(ctx.cp) - cpu0.plane,
  };
  return { ms: { create, update }, cpu, since };
}

/**
 * New namespaces with `sources` sources targeting them: ours (namespace create → all mirrors seen) vs the floor
 * (namespace create, then its copies POSTed → all seen by the same watch).
 */
export async function newNamespace(ctx: BenchContext, sources = 50, rounds = 20): Promise<NewNamespaceResult> {
  await createNamespaces(ctx, ['nn-src', 'nfl-src']);
  await parallel(
    Array.from({ length: sources }, (_, i) => i),
    ctx.concurrency,
    (i) =>
      ctx.client.create(CONFIGMAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `s${i}`, namespace: 'nn-src', annotations: { 'kube-reflect.io/to': 'nn-t-*' } },
        data: { i: String(i) },
      }),
  );
  // The floor: create the namespace, then the sources' copies in it, as our planner renders them. Their sources exist
  // (targeting only the floor's namespaces), so the controller, started after, finds those copies in sync.
  const floorSources = Array.from({ length: sources }, (_, i) => i).map((i): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `s${i}`, namespace: 'nfl-src', annotations: { 'kube-reflect.io/to': 'nfl-t-*' } },
    data: { i: String(i) },
  }));
  await parallel(floorSources, ctx.concurrency, (source) => ctx.client.create(CONFIGMAPS, source));
  // Both are timed the same way: from the namespace's create until one watch (the same view) has seen all 50 copies
  // in it. (The floor's watch sees its last copy within a few milliseconds of the last POST's answer.)
  const view = await watchView(ctx.client, CONFIGMAPS, { labelSelector: `${Labels.mirror}=true` });
  const seenAll = (namespace: string) => view.untilCount((m) => m.namespace === namespace, sources, 120_000);
  const floor: number[] = [];
  const ours: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const namespace = `nfl-t-${r}`;
      const t0 = performance.now();
      await ctx.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      await timeWrites(floorSources, ctx.concurrency, (source) =>
        ctx.client.create(CONFIGMAPS, renderedCopy(source, namespace)),
      );
      await seenAll(namespace);
      floor.push(performance.now() - t0);
    }
  } catch (err) {
    view.close();
    throw err;
  }
  const proc = await startController(ctx).catch((err: unknown) => {
    view.close();
    throw err;
  });
  try {
    // Its first reconcile (the floor's sources too, in sync) done before the first namespace: the controller says so
    // once. (A fixed 3 s was not always enough on a loaded machine; the first namespace then queued behind it.)
    const firstPass = await firstReconcileDone(proc, 120_000);
    ctx.log(`new namespace: the controller's first reconcile of every source took ${firstPass.toFixed(0)} ms`);
    for (let r = 0; r < rounds; r++) {
      const namespace = `nn-t-${r}`;
      const t0 = performance.now();
      await ctx.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      await seenAll(namespace);
      ours.push(performance.now() - t0);
    }
  } finally {
    view.close();
    await proc.kill('SIGTERM');
  }
  return {
    sources,
    rounds,
    ours: { p50: percentile(ours, 50), p99: percentile(ours, 99) },
    floor: { p50: percentile(floor, 50), p99: percentile(floor, 99) },
  };
}

/** Waits for the controller's log line saying its first reconcile of every source is done; returns the ms it reports. */
async function firstReconcileDone(proc: ControllerProcess, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const line = proc.logs.find((l) => l.msg === 'first reconcile of every source done');
    if (line !== undefined) return Number(line.ms);
    if (performance.now() > deadline) throw new Error('the controller did not finish its first reconcile in time');
    await sleep(50);
  }
}

/** A converged controller restarted: the writes and requests it makes in the settle window (audit log). */
export async function restartInSync(ctx: BenchContext, settleSeconds: number): Promise<RestartResult> {
  const targets = Array.from({ length: 1000 }, (_, i) => `rs-${String(i).padStart(4, '0')}`);
  await createNamespaces(ctx, [...targets, 'rs-src']);
  await ctx.client.create(CONFIGMAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'rs-src', annotations: { 'kube-reflect.io/to': 'rs-0*' } },
    data: { v: '1' },
  });
  const view = await watchView(ctx.client, CONFIGMAPS, { labelSelector: `${Labels.mirror}=true` });
  const first = await startController(ctx);
  try {
    await view.untilCount((m) => m.name === 'cfg', targets.length, 300_000);
  } finally {
    view.close();
    await first.kill('SIGTERM');
  }
  const since = new Date();
  const second = await startController(ctx);
  await sleep(settleSeconds * 1000);
  await second.kill('SIGTERM');
  const counts = ctx.cp.auditCounts({ since }).filter((c) => c.userAgent.startsWith('reflect-controller'));
  const byVerb: Record<string, number> = {};
  for (const c of counts) byVerb[c.verb] = (byVerb[c.verb] ?? 0) + c.count;
  const writes = Object.entries(byVerb)
    .filter(([verb]) => WRITE_VERBS.has(verb))
    .reduce((n, [, k]) => n + k, 0);
  const requests = Object.values(byVerb).reduce((a, b) => a + b, 0);
  // The floor of a restart: the informers' LISTs and WATCHes (and the Lease, when leader election is on).
  const informers = (byVerb.list ?? 0) + (byVerb.watch ?? 0);
  return { mirrors: targets.length, settleSeconds, writes, requests, informerRequests: informers, byVerb };
}

/**
 * Many unrelated Secrets plus a fan-out: peak and steady RSS, CPU at start and idle, idle requests per minute; and the
 * RSS of a controller idle on the empty cluster before any of it was created.
 */
export async function scale(ctx: BenchContext, unrelated: number, idleSeconds: number): Promise<ScaleResult> {
  const empty = await startController(ctx);
  await sleep(10_000);
  const idleRssMiB = procStat(empty.child.pid!).rssMiB;
  await empty.kill('SIGTERM');

  const namespaces = Array.from({ length: 100 }, (_, i) => `u-${String(i).padStart(3, '0')}`);
  const targets = Array.from({ length: 1000 }, (_, i) => `st-${String(i).padStart(4, '0')}`);
  await createNamespaces(ctx, [...namespaces, ...targets, 'st-src']);
  const payload = 'z'.repeat(1024);
  await parallel(
    Array.from({ length: unrelated }, (_, i) => i),
    ctx.concurrency,
    (i) =>
      ctx.client.create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `noise-${i}`, namespace: namespaces[i % namespaces.length]! },
        stringData: { blob: payload },
      }),
  );
  await ctx.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'shared', namespace: 'st-src', annotations: { 'kube-reflect.io/to': 'st-0*' } },
    stringData: { v: '1' },
  });
  const metricsPort = await freePort();
  const since = new Date();
  const proc = await startControllerProcess(
    ctx.cp.kubeconfigPath,
    ['--metrics-bind-address', `127.0.0.1:${metricsPort}`],
    controllerEnv(),
  );
  const pid = proc.child.pid!;
  const rss = sampleRss(pid);
  try {
    await proc.ready(120_000);
    await sleep(Math.max(0, 60_000 - (Date.now() - since.getTime())));
    const atMinute = procStat(pid);
    const idleFrom = new Date();
    await sleep(idleSeconds * 1000);
    const end = procStat(pid);
    const samples = rss.stop();
    const counts = ctx.cp.auditCounts({ since: idleFrom }).filter((c) => c.userAgent.startsWith('reflect-controller'));
    const idleRequests = counts.reduce((n, c) => n + c.count, 0);
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    const metric = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(scrape)?.[1] ?? NaN) / 1048576;
    return {
      unrelated,
      mirrors: targets.length,
      idleSeconds,
      idleRssMiB,
      peakRssMiB: Math.max(...samples.map((s) => s.rssMiB)),
      rss60sMiB: atMinute.rssMiB,
      steadyRssMiB: end.rssMiB,
      heapUsedMiB: metric('nodejs_heap_size_used_bytes'),
      startCpuSeconds: atMinute.cpuSeconds,
      idleCpuSeconds: end.cpuSeconds - atMinute.cpuSeconds,
      idleRequestsPerMinute: idleRequests / (idleSeconds / 60),
      rssOverTime: samples.filter((_, i) => i % 4 === 0),
    };
  } finally {
    rss.stop();
    await proc.kill('SIGTERM');
  }
}
