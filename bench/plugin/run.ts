// Benchmark of `kubectl reflect status` on the test control plane with 1,000 sources and 10,000 mirrors: time to the
// first byte of output, bundled (node dist/bin/kubectl-reflect) and compiled (bun), piped and in a terminal (tmux).
// Run: node --import tsx bench/plugin/run.ts [--runs N] [--sources N] [--fanout N]. Prints numbers and writes them to
// bench/results/plugin.json (docs/benchmarks.md shows them); asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { PluginBench } from '../krm/report.ts';
import { useTestControlPlane } from '../../test/cluster/harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('runs', 5);
const sources = arg('sources', 1000);
const fanout = arg('fanout', 10);
const targets = 100;

/** Spawns a command and resolves with the ms until its first stdout byte and until it exits. */
function timeToFirstOutput(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ first: number; total: number; code: number | null }> {
  return new Promise((resolve) => {
    const start = performance.now();
    let first = NaN;
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => {
      if (Number.isNaN(first)) first = performance.now() - start;
    });
    child.on('close', (code) => resolve({ first, total: performance.now() - start, code }));
  });
}

/** Starts the TUI in tmux and resolves with the ms until its rows are on the screen. */
async function timeToFirstPaint(command: string): Promise<number> {
  const socket = `kr-bench-${process.pid}`;
  const start = performance.now();
  spawnSync('tmux', ['-L', socket, 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', command]);
  try {
    for (;;) {
      const text = spawnSync('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'b'], { encoding: 'utf8' }).stdout;
      if (/secret\/src-0/.test(text)) return performance.now() - start;
      if (performance.now() - start > 60_000) return NaN;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)] ?? NaN;
  return `median ${med.toFixed(0)} ms, min ${(s[0] ?? NaN).toFixed(0)} ms, max ${(s[s.length - 1] ?? NaN).toFixed(0)} ms`;
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
  mkdirSync(dirname(compiled), { recursive: true });
  const bun = join(root, 'node_modules', 'bun', 'bin', 'bun.exe');
  const t0 = performance.now();
  // bun reads an extensionless file as CommonJS; the bundle is ESM, so compile a .mjs copy, as scripts/release.mjs does.
  copyFileSync(bundled, `${compiled}.mjs`);
  const c = spawnSync(bun, ['build', '--compile', `${compiled}.mjs`, '--outfile', compiled], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(
    c.status === 0 ? `compiled with bun in ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'bun compile failed',
  );

  // The world: `targets` namespaces, `sources` Secrets in bench-src each pushed to `fanout` of them.
  const seeded = await client
    .list(SECRETS, { namespace: 'bench-src', metadataOnly: true })
    .catch(() => ({ items: [] }));
  if (seeded.items.length < sources) {
    const s0 = performance.now();
    const names = ['bench-src', ...Array.from({ length: targets }, (_, i) => `bench-t${String(i).padStart(3, '0')}`)];
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
        const to = Array.from(
          { length: fanout },
          (_, k) => `bench-t${String((i + k * 7) % targets).padStart(3, '0')}`,
        ).join(',');
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
    const s1 = performance.now();
    const sync = await timeToFirstOutput(process.execPath, [bundled, 'sync', '-n', 'bench-src'], { ...env });
    console.log(
      `kubectl reflect sync -n bench-src: ${sources * fanout} mirrors created in ${((performance.now() - s1) / 1000).toFixed(1)} s (exit ${sync.code})`,
    );
  }
  const mirrors = await client.list(SECRETS, {
    labelSelector: 'kube-reflect.io/mirror=true',
    metadataOnly: true,
    limit: 5000,
  });
  console.log(`world: ${sources} sources, ${mirrors.items.length} mirrors, ${targets + 1} bench namespaces`);
  client.close();

  const result: PluginBench = { date: new Date().toISOString(), sources, mirrors: mirrors.items.length, cases: [] };
  const cases: [string, string, string[]][] = [
    ['bundled  node dist/bin/kubectl-reflect', process.execPath, [bundled]],
    ['compiled bun  --compile              ', compiled, []],
  ];
  for (const [label, cmd, pre] of cases) {
    if (!existsSync(cmd)) continue;
    const help: number[] = [];
    const first: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < runs; i++) {
      help.push((await timeToFirstOutput(cmd, [...pre, '--help'], env)).first);
      const r = await timeToFirstOutput(cmd, [...pre, 'status', '-n', 'bench-src'], env);
      first.push(r.first);
      total.push(r.total);
    }
    console.log(`${label}  --help first output: ${stats(help)}`);
    console.log(`${label}  status (piped, ${sources} rows) first output: ${stats(first)}; exit: ${stats(total)}`);
    const row: PluginBench['cases'][number] = {
      label: label.trim(),
      helpMs: median(help),
      statusFirstMs: median(first),
      statusExitMs: median(total),
    };
    if (spawnSync('tmux', ['-V']).status === 0) {
      const paint: number[] = [];
      const envs = `env KUBECONFIG=${cp.kubeconfigPath} TERM=xterm-256color`;
      for (let i = 0; i < Math.min(runs, 3); i++)
        paint.push(await timeToFirstPaint(`${envs} ${[cmd, ...pre].join(' ')} status -n bench-src`));
      console.log(`${label}  status (TUI in tmux) rows on screen: ${stats(paint)}`);
      row.tuiMs = median(paint);
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
