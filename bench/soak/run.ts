// `npm run soak -- [--minutes 60] [--seed N]`: the soak for as long as asked, then docs/soak.md with its figures and a
// chart of memory and sockets over time. Prints numbers; asserts nothing (the 2-minute e2e version asserts).
// SIGUSR2 ends it after the running cycle and still writes the figures of the cycles done (a deadline, a shared machine).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPlane } from '../../test/cluster/harness.ts';
import { buildController } from '../../test/e2e/support/controller-process.ts';
import { percentile } from '../lib/pool.ts';
import { renderSvg } from '../lib/report.ts';
import { FAULTS } from './faults.ts';
import { runSoak } from './soak.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

async function main(): Promise<void> {
  const minutes = arg('minutes', 60);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const seed = arg('seed', 20261202);
  buildController();
  const cp = await startControlPlane({ name: `soak-${process.pid}`, audit: true });
  const started = new Date();
  let stopRequested = false;
  process.on('SIGUSR2', () => {
    stopRequested = true;
    process.stdout.write('soak: SIGUSR2, ending after this cycle\n');
  });
  try {
    const report = await runSoak(cp, {
      durationMs: minutes * 60_000,
      faults: FAULTS,
      churnMs: 20_000,
      convergeBoundMs: 90_000,
      seed,
      lease: { duration: '15s', renew: '10s', retry: '2s' },
      stopEarly: () => stopRequested,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const converged = report.cycles.flatMap((c) => (c.convergedMs === undefined ? [] : [c.convergedMs]));
    const survived = report.cycles.filter((c) => c.convergedMs !== undefined && c.violations.length === 0).length;
    const byFault = FAULTS.map((f) => {
      const cs = report.cycles.filter((c) => c.fault === f);
      const ms = cs.flatMap((c) => (c.convergedMs === undefined ? [] : [c.convergedMs]));
      return `| ${f} | ${cs.length} | ${cs.filter((c) => c.convergedMs !== undefined && c.violations.length === 0).length} | ${(percentile(ms, 50) / 1000).toFixed(1)} | ${(Math.max(0, ...ms) / 1000).toFixed(1)} |`;
    });
    const full = report.samples.filter((s) => s.replicas === 2);
    const third = Math.max(1, Math.floor(full.length / 3));
    const median = (xs: number[]) => percentile(xs, 50);
    const rssFirst = median(full.slice(0, third).map((s) => s.rssMiB));
    const rssLast = median(full.slice(-third).map((s) => s.rssMiB));
    const sockFirst = median(full.slice(0, third).map((s) => s.sockets));
    const sockLast = median(full.slice(-third).map((s) => s.sockets));
    const ranMinutes = (Date.now() - started.getTime()) / 60_000;
    const summary = [
      `soak: ${ranMinutes.toFixed(0)} min (${minutes} asked${stopRequested ? ', ended early by SIGUSR2' : ''}) from ${started.toISOString()} at commit \`${commit}\`, seed ${seed}: ${report.cycles.length} faults injected, ${survived} survived with every invariant held`,
      `convergence after churn stopped: p50 ${(percentile(converged, 50) / 1000).toFixed(1)} s, p99 ${(percentile(converged, 99) / 1000).toFixed(1)} s`,
      `controller writes ${report.controllerWrites}, requests ${report.controllerRequests}; churn ${JSON.stringify(report.churn)} (${report.churnErrors} churn errors, expected under faults)`,
      `two replicas' RSS (median of the first / last third) ${rssFirst.toFixed(0)} -> ${rssLast.toFixed(0)} MiB; sockets ${sockFirst} -> ${sockLast}`,
      `violations: ${report.violations.length ? report.violations.join(' | ') : 'none'}`,
    ];
    for (const l of summary) process.stdout.write(`${l}\n`);
    const svg = await renderSvg({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Soak: RSS of the two controller replicas and their open sockets',
      width: 560,
      height: 240,
      data: {
        values: report.samples.flatMap((s) => [
          { t: s.t / 60, value: s.rssMiB, series: 'RSS, MiB (sum of replicas)' },
          { t: s.t / 60, value: s.sockets, series: 'open sockets' },
        ]),
      },
      mark: 'line',
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'minutes' },
        y: { field: 'value', type: 'quantitative', title: null },
        row: { field: 'series', type: 'nominal', title: null },
      },
      resolve: { scale: { y: 'independent' } },
    });
    mkdirSync(join(root, 'docs', 'benchmarks'), { recursive: true });
    writeFileSync(join(root, 'docs', 'benchmarks', 'soak.svg'), svg);
    writeFileSync(
      join(root, 'docs', 'soak.md'),
      [
        '# Soak under faults',
        '',
        '<!-- Generated by `npm run soak` (bench/soak/run.ts); do not edit by hand. -->',
        '',
        'Churn (sources created, edited, deleted; namespaces created, relabelled, deleted; mirrors edited and deleted by',
        'hand; foreign objects appearing) against two leader-elected controller processes behind a fault proxy, one fault',
        'per cycle: apiserver SIGKILL and restart, etcd SIGKILL and restart, a half-open network (connections cut, new ones',
        'black-holed), 500 ms added latency, a 429 storm through API Priority and Fairness (one seat, reject), and the',
        'leader SIGKILLed. After each cycle the churn stops, the fault is healed, and the invariant checker requires the',
        "core's plan for the whole cluster to become empty (every mirror equals its source, none where its source does not",
        'allow it, no lost update) and every foreign object to be unwritten by us.',
        '',
        ...summary.map((l) => `- ${l}`),
        '',
        '| fault | injected | survived | convergence p50 (s) | max (s) |',
        '|---|---:|---:|---:|---:|',
        ...byFault,
        '',
        '![soak](benchmarks/soak.svg)',
        '',
        'Reproduce: `npm run soak -- --minutes 60` (the e2e tier runs a 2-minute version, test/e2e/soak.test.ts).',
        '',
      ].join('\n'),
    );
  } finally {
    await cp.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
