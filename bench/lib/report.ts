// Turns one benchmark run into docs/benchmarks.md and its SVG charts (vega-lite, rendered headless by vega).
import { mkdirSync, writeFileSync } from 'node:fs';
import { krmMarkdown } from '../krm/report.ts';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { BenchRun } from '../suite/results.ts';
import { PEERS, PEERS_SOURCE } from './peers.ts';

/** The best Go peer's RSS after a fan-out on a small cluster (MiB), cited from the issue's measurement of mittwald. */
export const BEST_GO_PEER_SMALL_RSS_MIB = 57;

/** Renders a vega-lite spec to an SVG string; legends sit below the plot with their labels in full. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const withLegend = {
    ...spec,
    config: { legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, columns: 2 } },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withLegend).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The charts of a run, by file name. */
export async function charts(run: BenchRun): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const points = [
    ...run.fanout.flatMap((f) => [
      { namespaces: f.namespaces, seconds: f.ours.create / 1000, who: 'kube-reflect (this run)' },
      { namespaces: f.namespaces, seconds: f.floor.create / 1000, who: 'floor (this run)' },
    ]),
    ...PEERS.map((p) => ({ namespaces: 1000, seconds: p.fanoutCreateSeconds, who: `${p.name} (measured elsewhere)` })),
  ];
  out['fanout.svg'] = await renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Seconds until every mirror exists, by number of target namespaces',
    width: 560,
    height: 320,
    data: { values: points },
    layer: [
      {
        mark: { type: 'line', point: true },
        transform: [{ filter: "indexof(datum.who, 'this run') >= 0" }],
        encoding: {
          x: { field: 'namespaces', type: 'quantitative', scale: { type: 'log' }, title: 'target namespaces' },
          y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'seconds (log)' },
          color: { field: 'who', type: 'nominal', title: null },
        },
      },
      {
        mark: { type: 'point', shape: 'diamond', size: 90, filled: true, opacity: 0.8 },
        transform: [{ filter: "indexof(datum.who, 'elsewhere') >= 0" }],
        encoding: {
          x: { field: 'namespaces', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'who', type: 'nominal', title: null },
        },
      },
    ],
  });
  if (run.newNamespace) {
    const nn = run.newNamespace;
    const bars = [
      { who: 'kube-reflect', stat: 'p50', seconds: nn.ours.p50 / 1000 },
      { who: 'kube-reflect', stat: 'p99', seconds: nn.ours.p99 / 1000 },
      { who: 'floor', stat: 'p50', seconds: nn.floor.p50 / 1000 },
      { who: 'floor', stat: 'p99', seconds: nn.floor.p99 / 1000 },
      ...PEERS.flatMap((p) => [
        ...(p.newNamespaceP50Seconds ? [{ who: `${p.name}*`, stat: 'p50', seconds: p.newNamespaceP50Seconds }] : []),
        ...(p.newNamespaceMaxSeconds ? [{ who: `${p.name}*`, stat: 'p99', seconds: p.newNamespaceMaxSeconds }] : []),
      ]),
    ];
    out['new-namespace.svg'] = await renderSvg({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `A new namespace gets the mirrors of ${nn.sources} sources (* measured elsewhere)`,
      width: 480,
      height: 260,
      data: { values: bars },
      // Dots, not bars: a bar on a log scale has no zero to start from.
      mark: { type: 'point', filled: true, size: 90 },
      encoding: {
        y: { field: 'who', type: 'nominal', title: null, sort: null, axis: { labelLimit: 0 } },
        x: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'seconds (log)' },
        color: { field: 'stat', type: 'nominal', title: null },
        shape: { field: 'stat', type: 'nominal', title: null },
      },
    });
  }
  if (run.scale) {
    out['memory.svg'] = await renderSvg({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Controller RSS with ${run.scale.unrelated.toLocaleString('en-US')} unrelated Secrets and ${run.scale.mirrors.toLocaleString('en-US')} mirrors`,
      width: 560,
      height: 260,
      layer: [
        {
          data: { values: run.scale.rssOverTime },
          mark: 'line',
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'seconds since start' },
            y: { field: 'rssMiB', type: 'quantitative', title: 'RSS (MiB)' },
          },
        },
        {
          data: { values: [{ target: 80 }] },
          mark: { type: 'rule', strokeDash: [4, 4], color: 'firebrick' },
          encoding: { y: { field: 'target', type: 'quantitative' } },
        },
      ],
    });
  }
  return out;
}

/** The Markdown page for a run. */
export function markdown(run: BenchRun, chartFiles: readonly string[]): string {
  const lines: string[] = [];
  const p = (line = '') => lines.push(line);
  p('# Benchmarks');
  p();
  p('<!-- Generated by `npm run bench` (bench/run.ts) from bench/results/latest.json; do not edit by hand. -->');
  p();
  p(
    `Run of ${run.date} at commit \`${run.commit}\`${run.quick ? ' (**quick** sizes)' : ''}, on this project's own test control plane ` +
      `(etcd, kube-apiserver, kube-controller-manager on loopback, built from Go modules); ${run.machine.cores} cores, load average ` +
      `${run.machine.loadBefore.toFixed(1)} before and ${run.machine.loadAfter.toFixed(1)} after. Each scenario gets a fresh control plane.`,
  );
  p();
  p(
    'Every time is read against **the floor**, measured in the same run on the same control plane: a plain client making ' +
      'exactly the writes the scenario needs: one create (POST) per mirror, then for an update one server-side apply, of ' +
      'the very objects our planner renders (labels and provenance annotations included), at the concurrency that was ' +
      'fastest for this apiserver ' +
      `in a calibration just before (${run.concurrency.best} in flight; writes/s by concurrency: ` +
      `${Object.entries(run.concurrency.rates)
        .map(([c, r]) => `${c}: ${r.toFixed(0)}`)
        .join(', ')}). Both are timed alike: from the first write (the source's, the namespace's create, or the ` +
      "floor's first copy) until one watch has seen every copy, a watch that is open while the floor writes too. A busy " +
      'machine moves both, so the ratio is the figure to read; absolute times are context. Fan-outs up to 1,000 ' +
      "namespaces run three rounds (the floor's, then ours, each with a new source on a controller started afresh and " +
      "idle for 2 s) and report medians, since one round's ratio moves by 0.1–0.2 between runs on the same machine.",
  );
  p();
  p('## Results');
  p();
  p('| scenario | kube-reflect | floor | ratio | target | |');
  p('|---|---:|---:|---:|---|---|');
  for (const f of run.fanout) {
    const rc = f.ours.create / f.floor.create;
    const ru = f.ours.update / f.floor.update;
    const judged = f.namespaces === 1000;
    // With rounds: medians, and the spread of the rounds' own ratios beside the ratio of the medians.
    const of = f.rounds && f.rounds.length > 1 ? `, median of ${f.rounds.length}` : '';
    const spread = (phase: 'create' | 'update') => {
      if (!f.rounds || f.rounds.length < 2) return '';
      const ratios = f.rounds.map((r) => r.ours[phase] / r.floor[phase]).sort((a, b) => a - b);
      return ` (rounds ${x(ratios[0]!)}–${x(ratios[ratios.length - 1]!)})`;
    };
    p(
      `| fan-out 1 → ${f.namespaces.toLocaleString('en-US')}: create (s${of}) | ${s(f.ours.create)} | ${s(f.floor.create)} | ${x(rc)}${spread('create')} | ${judged ? '≤ 1.2×' : 'reported'} | ${judged ? mark(rc <= 1.2) : ''} |`,
    );
    p(
      `| fan-out 1 → ${f.namespaces.toLocaleString('en-US')}: update (s${of}) | ${s(f.ours.update)} | ${s(f.floor.update)} | ${x(ru)}${spread('update')} | ${judged ? '≤ 1.2×' : 'reported'} | ${judged ? mark(ru <= 1.2) : ''} |`,
    );
  }
  const small = run.fanout.find((f) => f.namespaces === 1000);
  if (small?.cpu) {
    const c = small.cpu;
    // Where a 2-core machine's time goes: the plane serves both alike, so the writer's CPU is what differs.
    const writer = c.floorWriter - c.watcher;
    p(
      `| … CPU of create + update (s): the writer | ${c.controller.toFixed(2)} | ${writer.toFixed(2)} | ${x(c.controller / writer)} | reported | |`,
    );
    p(
      `| … CPU of create + update (s): etcd + kube-apiserver | ${c.plane.toFixed(1)} | ${c.floorPlane.toFixed(1)} | ${x(c.plane / c.floorPlane)} | reported | |`,
    );
  }
  if (small) {
    const r = small.rssMiB / BEST_GO_PEER_SMALL_RSS_MIB;
    const settled = small.settledRssMiB;
    // The target is judged on the settled figure when the run has it; the 5-s one stays beside it.
    p(
      `| RSS 5 s after the 1,000 fan-out (MiB) | ${small.rssMiB.toFixed(0)} | best Go peer ${BEST_GO_PEER_SMALL_RSS_MIB} (cited) | ${x(r)} | ${settled === undefined ? `≤ 1.2× | ${mark(r <= 1.2)}` : 'reported | '} |`,
    );
    if (settled !== undefined) {
      const rs = settled / BEST_GO_PEER_SMALL_RSS_MIB;
      p(
        `| … 30 s after, settled (MiB) | ${settled.toFixed(0)} | best Go peer ${BEST_GO_PEER_SMALL_RSS_MIB} (cited) | ${x(rs)} | ≤ 1.2× | ${mark(rs <= 1.2)} |`,
      );
    }
  }
  if (run.newNamespace) {
    const nn = run.newNamespace;
    const r = nn.ours.p99 / nn.floor.p99;
    p(
      `| new namespace, ${nn.sources} sources: p50 (s) | ${s(nn.ours.p50)} | ${s(nn.floor.p50)} | ${x(nn.ours.p50 / nn.floor.p50)} | reported | |`,
    );
    p(
      `| new namespace, ${nn.sources} sources: p99 of ${nn.rounds} (s) | ${s(nn.ours.p99)} | ${s(nn.floor.p99)} | ${x(r)} | ≤ 1.5× | ${mark(r <= 1.5)} |`,
    );
  }
  if (run.restart) {
    const rs = run.restart;
    p(
      `| restart in sync, ${rs.mirrors.toLocaleString('en-US')} mirrors: writes in ${rs.settleSeconds} s | ${rs.writes} | 0 | | 0 | ${mark(rs.writes === 0)} |`,
    );
    p(
      `| restart in sync: requests (${Object.entries(rs.byVerb)
        .map(([v, n]) => `${v} ${n}`)
        .join(
          ', ',
        )}) | ${rs.requests} | ${rs.informerRequests} (the informers' LIST + WATCH) | ${x(rs.requests / Math.max(1, rs.informerRequests))} | ≤ 1× | ${mark(rs.requests <= rs.informerRequests)} |`,
    );
  }
  if (run.scale) {
    const sc = run.scale;
    const bestIdleCpu = Math.min(...PEERS.map((q) => q.idleCpuSecondsPer5Min)) / 5;
    const ourIdleCpu = sc.idleCpuSeconds / (sc.idleSeconds / 60);
    p(`| idle RSS, empty cluster (MiB) | ${sc.idleRssMiB.toFixed(0)} | | | ≤ 60 | ${mark(sc.idleRssMiB <= 60)} |`);
    p(
      `| ${sc.unrelated.toLocaleString('en-US')} unrelated Secrets + fan-out: peak RSS in the first minute (MiB) | ${sc.peakRssMiB.toFixed(0)} | | | ≤ 80 | ${mark(sc.peakRssMiB <= 80)} |`,
    );
    p(
      `| … steady RSS after ${sc.idleSeconds} idle s (MiB; heap used ${sc.heapUsedMiB.toFixed(0)}) | ${sc.steadyRssMiB.toFixed(0)} | | | ≤ 80 | ${mark(sc.steadyRssMiB <= 80)} |`,
    );
    p(
      `| … idle CPU (s per minute) | ${ourIdleCpu.toFixed(3)} | best Go peer ${bestIdleCpu.toFixed(3)} (cited) | ${x(ourIdleCpu / bestIdleCpu)} | ≤ 1× | ${mark(ourIdleCpu <= bestIdleCpu)} |`,
    );
    p(`| … CPU in the first minute (s) | ${sc.startCpuSeconds.toFixed(2)} | | | reported | |`);
    p(`| … idle API requests per minute | ${sc.idleRequestsPerMinute.toFixed(1)} | | | reported | |`);
  }
  p();
  for (const file of chartFiles) p(`![${file}](benchmarks/${file})`);
  p();
  p('## The peers, measured elsewhere');
  p();
  p(
    `The peers cannot be built here (their modules are not served by this machine's Go module proxy), so their figures ` +
      `are facts measured on ${PEERS_SOURCE.date} on a ${PEERS_SOURCE.machine}, cited from \`${PEERS_SOURCE.document}\` ` +
      `(builds: ${PEERS_SOURCE.builds.map((b) => `${b.name} \`${b.commit.slice(0, 12)}\``).join(', ')}). They were not run ` +
      'with this run and are never mixed into its ratios; the charts mark them.',
  );
  p();
  p(
    '| peer | fan-out 1,000 create (s) | update (s) | new namespace p50 / max (s) | RSS 60 s / steady (MiB) | idle requests/min |',
  );
  p('|---|---:|---:|---:|---:|---:|');
  for (const q of PEERS) {
    p(
      `| ${q.name} | ${q.fanoutCreateSeconds} | ${q.fanoutUpdateSeconds} | ${q.newNamespaceP50Seconds ?? '—'} / ${q.newNamespaceMaxSeconds ?? '—'} | ${q.rss60sMiB} / ${q.rssSteadyMiB} | ${q.idleRequestsPerMinute.toLocaleString('en-US')} |`,
    );
  }
  p();
  p('## Reproduce');
  p();
  p('```sh');
  p('npm run bench                 # full sizes (fan-out 100/300/1,000; 20,000 unrelated Secrets; 5 idle minutes)');
  p('npm run bench -- --quick      # smaller sizes, a few minutes');
  p('npm run bench -- --big        # adds the fan-out to 3,000 and 10,000 namespaces');
  p('npm run bench -- --quick --big # the quick sizes plus the fan-out to 10,000 namespaces');
  p('npm run bench -- --report     # redraw this page from bench/results/latest.json');
  p('```');
  p();
  return `${lines.join('\n')}\n`;
}

/** Writes docs/benchmarks.md and docs/benchmarks/*.svg for a run. */
export async function writeReport(root: string, run: BenchRun): Promise<void> {
  const svgs = await charts(run);
  mkdirSync(join(root, 'docs', 'benchmarks'), { recursive: true });
  for (const [file, svg] of Object.entries(svgs)) writeFileSync(join(root, 'docs', 'benchmarks', file), svg);
  writeFileSync(join(root, 'docs', 'benchmarks.md'), markdown(run, Object.keys(svgs)) + krmMarkdown(root));
}
