// `npm run bench`: every controller scenario against the floor in one run, then docs/benchmarks.md and its charts.
// Usage: npm run bench -- [--quick] [--big] [--report] [fanout] [newns] [restart] [scale]   (default: all scenarios)
// --big adds the 1 -> 10,000 fan-out (and, without --quick, 1 -> 3,000).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../kube/client.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { NAMESPACES } from '../kube/resource-type.ts';
import { startControlPlane } from '../test/cluster/harness.ts';
import { buildController } from '../test/e2e/support/controller-process.ts';
import { calibrateConcurrency } from './lib/floor.ts';
import { loadAverage } from './lib/pool.ts';
import { writeReport } from './lib/report.ts';
import type { BenchContext } from './suite/scenarios.ts';
import { fanout, newNamespace, restartInSync, scale } from './suite/scenarios.ts';
import type { BenchRun } from './suite/results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = join(root, 'bench', 'results', 'latest.json');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const chosen = new Set(args.filter((a) => !a.startsWith('--')));
const wants = (name: string) => chosen.size === 0 || chosen.has(name);
const quick = flag('quick');

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

let lastCalibration: BenchRun['concurrency'] = { best: 0, rates: {} };

/** Runs one scenario on a fresh control plane with a calibrated client; the plane is always stopped. */
async function onFreshPlane<T>(name: string, body: (ctx: BenchContext) => Promise<T>): Promise<T> {
  const cp = await startControlPlane({ name: `bench-${name}-${process.pid}`, audit: true });
  const client = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), {
    userAgent: 'bench',
    maxConcurrency: 128,
  });
  try {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'calibrate' } });
    const calibration = await calibrateConcurrency(client, 'calibrate', quick ? 100 : 200);
    lastCalibration = calibration;
    log(`${name}: floor concurrency ${calibration.best}`);
    return await body({ cp, client, concurrency: calibration.best, quick, log });
  } finally {
    client.close();
    await cp.stop();
  }
}
async function main(): Promise<void> {
  if (flag('report')) {
    await writeReport(root, JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchRun);
    log('wrote docs/benchmarks.md from bench/results/latest.json');
    return;
  }
  buildController();
  const run: BenchRun = {
    date: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
    quick,
    machine: { cores: cpus().length, loadBefore: loadAverage(), loadAfter: NaN },
    concurrency: { best: 0, rates: {} },
    fanout: [],
  };
  if (wants('fanout')) {
    const sizes = quick
      ? flag('big')
        ? [100, 1000, 10000]
        : [100, 1000]
      : flag('big')
        ? [100, 300, 1000, 3000, 10000]
        : [100, 300, 1000];
    await onFreshPlane('fanout', async (ctx) => {
      for (const n of sizes) {
        const f = await fanout(ctx, n);
        run.fanout.push(f);
        log(
          `fan-out 1 -> ${n}${f.rounds && f.rounds.length > 1 ? ` (medians of ${f.rounds.length} rounds)` : ''}: create ${(f.ours.create / 1000).toFixed(2)} s (floor ${(f.floor.create / 1000).toFixed(2)} s, ${(f.ours.create / f.floor.create).toFixed(2)}x); update ${(f.ours.update / 1000).toFixed(2)} s (floor ${(f.floor.update / 1000).toFixed(2)} s, ${(f.ours.update / f.floor.update).toFixed(2)}x); RSS ${f.rssMiB.toFixed(0)} MiB`,
        );
      }
    });
    run.concurrency = lastCalibration;
  }
  if (wants('newns')) {
    run.newNamespace = await onFreshPlane('newns', (ctx) => newNamespace(ctx, 50, 20));
    const nn = run.newNamespace;
    log(
      `new namespace, 50 sources: p50 ${nn.ours.p50.toFixed(0)} ms / p99 ${nn.ours.p99.toFixed(0)} ms (floor ${nn.floor.p50.toFixed(0)} / ${nn.floor.p99.toFixed(0)} ms; p99 ${(nn.ours.p99 / nn.floor.p99).toFixed(2)}x)`,
    );
  }
  if (wants('restart')) {
    run.restart = await onFreshPlane('restart', (ctx) => restartInSync(ctx, quick ? 15 : 60));
    const rs = run.restart;
    log(
      `restart in sync: ${rs.writes} writes, ${rs.requests} requests (informers' LIST+WATCH ${rs.informerRequests}) ${JSON.stringify(rs.byVerb)}`,
    );
  }
  if (wants('scale')) {
    run.scale = await onFreshPlane('scale', (ctx) => scale(ctx, quick ? 5000 : 20000, quick ? 60 : 300));
    const sc = run.scale;
    log(
      `scale: idle RSS ${sc.idleRssMiB.toFixed(0)} MiB; ${sc.unrelated} Secrets: peak ${sc.peakRssMiB.toFixed(0)} MiB, 60 s ${sc.rss60sMiB.toFixed(0)} MiB, steady ${sc.steadyRssMiB.toFixed(0)} MiB, heap ${sc.heapUsedMiB.toFixed(0)} MiB; CPU start ${sc.startCpuSeconds.toFixed(2)} s, idle ${sc.idleCpuSeconds.toFixed(2)} s in ${sc.idleSeconds} s; ${sc.idleRequestsPerMinute.toFixed(1)} requests/min idle`,
    );
  }
  run.machine.loadAfter = loadAverage();
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(run, null, 2)}\n`);
  await writeReport(root, run);
  log('wrote bench/results/latest.json, docs/benchmarks.md and docs/benchmarks/*.svg');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
