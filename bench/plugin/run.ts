// Benchmark of `kubectl reflect status` on the test control plane with 1,000 sources and 10,000 mirrors: time to the
// first byte of output and to exit (with CPU seconds and the load average, since a busy machine moves wall times),
// the requests it made (from the audit log), and the time until rows are on a terminal (tmux); `--help` for start-up.
// Run: node --import tsx bench/plugin/run.ts [--runs N] [--sources N] [--fanout N] [--no-compiled] [--before BUNDLE
// [--before-label TEXT]]. With
// KUBE_REFLECT_TEST_CLUSTER set to a control plane from `npm run cluster -- up --audit`, the seeded world is kept
// between runs. Prints numbers and writes them to bench/results/plugin.json (docs/benchmarks.md); asserts nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { PluginBench } from '../krm/report.ts';
import { bunCompileArgs, bunInstalled, bunPath } from '../../scripts/bun-compile.mjs';
import { useTestControlPlane } from '../../test/cluster/harness.ts';
import { median, stats, timed, timeOnTerminal } from './measure.ts';
import { numberArg } from '../lib/args.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = numberArg('runs', 3);
const sources = numberArg('sources', 1000);
const fanout = numberArg('fanout', 10);
const targets = 100;
const load = () => loadavg()[0] ?? NaN;
const pad = (i: number) => String(i).padStart(3, '0');

/**
 * Starts the TUI in tmux and resolves with the ms until its first row is on the screen (pending or not), and until
 * that row shows its counts (NaN after 120 s).
 */
async function timeToFirstPaint(command: string, untilCounted = true): Promise<{ row: number; counted: number }> {
  const socket = `kr-bench-${process.pid}`;
  const start = performance.now();
  let row = NaN;
  spawnSync('tmux', ['-L', socket, 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', command]);
  try {
    for (;;) {
      const text = spawnSync('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'b'], { encoding: 'utf8' }).stdout;
      if (Number.isNaN(row) && /secret\/src-0\s/.test(text)) row = performance.now() - start;
      if (!untilCounted && !Number.isNaN(row)) return { row, counted: NaN };
      if (/secret\/src-0\s+\d+\s+\d+/.test(text)) return { row, counted: performance.now() - start };
      if (performance.now() - start > 120_000) return { row, counted: NaN };
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
}

/** Creates the world unless it is there: `targets` namespaces, `sources` Secrets in bench-src, their mirrors synced. */
async function seed(client: KubeClient, bundled: string, env: NodeJS.ProcessEnv): Promise<void> {
  const seeded = await client
    .list(SECRETS, { namespace: 'bench-src', metadataOnly: true })
    .catch(() => ({ items: [] }));
  if (seeded.items.length < sources) {
    const s0 = performance.now();
    const names = ['bench-src', ...Array.from({ length: targets }, (_, i) => `bench-t${pad(i)}`)];
    await Promise.all(
      names.map((name) =>
        client.apply(
          NAMESPACES,
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
          { fieldManager: 'bench', force: true },
        ),
      ),
    );
    await Promise.all(
      Array.from({ length: sources }, (_, i) => {
        const to = Array.from({ length: fanout }, (_, k) => `bench-t${pad((i + k * 7) % targets)}`).join(',');
        return client.apply(
          SECRETS,
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: `src-${i}`, namespace: 'bench-src', annotations: { 'kube-reflect.io/to': to } },
            stringData: { v: `value-${i}` },
          },
          { fieldManager: 'bench', force: true },
        );
      }),
    );
    console.log(`seeded ${sources} sources in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  }
  const mirrors = await client.list(SECRETS, { labelSelector: 'kube-reflect.io/mirror=true', metadataOnly: true });
  if (mirrors.items.length < sources * fanout) {
    const sync = await timed(process.execPath, [bundled, 'sync', '-n', 'bench-src'], env, 30 * 60_000);
    console.log(
      `kubectl reflect sync -n bench-src: mirrors written in ${(sync.total / 1000).toFixed(1)} s, cpu ${sync.cpu.toFixed(1)} s (exit ${sync.code})`,
    );
  }
}

async function main(): Promise<void> {
  const cp = await useTestControlPlane();
  const env = { ...process.env, KUBECONFIG: cp.kubeconfigPath, NO_COLOR: '1' };
  const client = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), { maxConcurrency: 32 });
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'kubectl-reflect'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');
  const bundled = join(root, 'dist', 'bin', 'kubectl-reflect');
  const compiled = join(root, 'dist', 'bench', 'kubectl-reflect');
  // The release binary (bun --compile, what krew installs) is measured beside the bundle whenever bun is installed.
  const withCompiled = !process.argv.includes('--no-compiled') && bunInstalled();
  if (withCompiled) {
    mkdirSync(dirname(compiled), { recursive: true });
    // bun reads an extensionless file as CommonJS; the bundle is ESM, so compile a .mjs copy, as release.mjs does,
    // and with its flags: this is the binary krew installs.
    copyFileSync(bundled, `${compiled}.mjs`);
    const c = spawnSync(bunPath(), bunCompileArgs(`${compiled}.mjs`, compiled), {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (c.status !== 0) console.log('bun compile failed');
  }
  await seed(client, bundled, env);
  const mirrors = await client.list(SECRETS, { labelSelector: 'kube-reflect.io/mirror=true', metadataOnly: true });
  const all = await client.list(SECRETS, { metadataOnly: true });
  console.log(
    `world: ${sources} sources, ${mirrors.items.length} mirrors, ${all.items.length} Secrets in all, ${targets + 1} bench namespaces`,
  );
  client.close();

  // The floor: a bare node process making the same lists, parsing them and exiting (bench/plugin/floor-list.mjs).
  const floor: number[] = [];
  for (let i = 0; i < runs; i++)
    floor.push((await timed(process.execPath, [join(root, 'bench', 'plugin', 'floor-list.mjs')], env)).total);
  console.log(`floor: a bare node process reading the same lists, start to exit: ${stats(floor)}`);
  const result: PluginBench = {
    date: new Date().toISOString(),
    sources,
    mirrors: mirrors.items.length,
    floorMs: median(floor),
    cases: [],
  };
  // What each way of timing a terminal costs by itself: a shell printing the first row at once.
  const echo = `printf 'secret/src-0  \\n'; sleep 30`;
  if (spawnSync('tmux', ['-V']).status === 0) {
    const own: number[] = [];
    for (let i = 0; i < runs; i++) own.push((await timeToFirstPaint(echo, false)).row);
    console.log(`tmux by itself (a shell printing the row): on screen ${stats(own)}`);
    result.tmuxOwnMs = median(own);
  }
  if (spawnSync('script', ['--version']).status === 0) {
    const own: number[] = [];
    for (let i = 0; i < runs; i++) own.push((await timeOnTerminal(echo, [/secret\/src-0\s/], process.env))[0] ?? NaN);
    console.log(`pseudo-terminal by itself (a shell printing the row): written ${stats(own)}`);
    result.ptyOwnMs = median(own);
  }
  const cases: [string, string, string[]][] = [['bundled node dist/bin/kubectl-reflect', process.execPath, [bundled]]];
  if (withCompiled && existsSync(compiled)) cases.push(['release binary (bun --compile --bytecode)', compiled, []]);
  // --before BUNDLE: an older build (node scripts/build.mjs in a checkout of it) measured beside, on the same world.
  const before = process.argv.indexOf('--before');
  const beforeLabel = process.argv.indexOf('--before-label');
  if (before > 0 && process.argv[before + 1] !== undefined)
    cases.unshift([
      `before: ${beforeLabel > 0 ? process.argv[beforeLabel + 1] : `node ${process.argv[before + 1]}`}`,
      process.execPath,
      [process.argv[before + 1] as string],
    ]);
  for (const [label, cmd, pre] of cases) {
    const help: number[] = [];
    const first: number[] = [];
    const total: number[] = [];
    const cpu: number[] = [];
    const loads: number[] = [];
    let requests: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      help.push((await timed(cmd, [...pre, '--help'], env)).first);
      loads.push(load());
      const since = new Date();
      const r = await timed(cmd, [...pre, 'status', '-n', 'bench-src'], env);
      first.push(r.first);
      total.push(r.total);
      cpu.push(r.cpu);
      if (i === 0) {
        const seen = cp.auditRequests({ since }).filter((q) => q.userAgent.startsWith('kubectl-reflect'));
        requests = {};
        for (const q of seen) {
          const key = `${q.verb} ${q.resource}${q.namespace ? ` -n ${q.namespace}` : ''}`;
          requests[key] = (requests[key] ?? 0) + 1;
        }
      }
    }
    console.log(`${label}: --help first output ${stats(help)}`);
    console.log(
      `${label}: status -n bench-src (piped, ${sources} rows): first output ${stats(first)}; exit ${stats(total)}; ` +
        `cpu ${stats(cpu, 's', 2)}; load average ${stats(loads, '', 1)}`,
    );
    console.log(`${label}: requests ${JSON.stringify(requests)}`);
    const row: PluginBench['cases'][number] = {
      label,
      helpMs: median(help),
      statusFirstMs: median(first),
      statusExitMs: median(total),
      statusCpuS: median(cpu),
      loadAverage: median(loads),
      requests,
    };
    if (spawnSync('tmux', ['-V']).status === 0) {
      const paint: number[] = [];
      const counted: number[] = [];
      const envs = `env KUBECONFIG=${cp.kubeconfigPath} TERM=xterm-256color`;
      for (let i = 0; i < runs; i++) {
        const t = await timeToFirstPaint(`${envs} ${[cmd, ...pre].join(' ')} status -n bench-src`);
        paint.push(t.row);
        counted.push(t.counted);
      }
      console.log(
        `${label}: status in a terminal (tmux): first row on screen ${stats(paint)}; with its counts ${stats(counted)}`,
      );
      row.tuiMs = median(paint);
      row.tuiCountedMs = median(counted);
    }
    if (spawnSync('script', ['--version']).status === 0) {
      // The same screen on a bare pseudo-terminal: when our bytes reach the terminal, without tmux's own start,
      // drawing and the 10 ms polls of its pane above.
      const written: number[] = [];
      const writtenCounted: number[] = [];
      const ptyEnv = { ...process.env, KUBECONFIG: cp.kubeconfigPath, TERM: 'xterm-256color' };
      for (let i = 0; i < runs; i++) {
        const [first, counted] = await timeOnTerminal(
          `${[cmd, ...pre].join(' ')} status -n bench-src`,
          [/secret\/src-0\s/, /secret\/src-0\s+\d+\s+\d+/],
          ptyEnv,
        );
        written.push(first ?? NaN);
        writtenCounted.push(counted ?? NaN);
      }
      console.log(
        `${label}: status on a pseudo-terminal: first row written ${stats(written)}; with its counts ${stats(writtenCounted)}`,
      );
      row.ptyMs = median(written);
      row.ptyCountedMs = median(writtenCounted);
    }
    result.cases.push(row);
  }
  // docs/benchmarks.md shows these (bench/krm/report.ts).
  writeFileSync(join(root, 'bench', 'results', 'plugin.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
