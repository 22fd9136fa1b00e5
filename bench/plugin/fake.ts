// `kubectl reflect status` against a fake apiserver holding the bench world (1,000 sources, 10,000 mirrors by
// default): time to the first byte and to exit, CPU seconds, and the requests and bytes it read; then the same command
// in process (bench/plugin/inproc.ts), whose CPU leaves Node's start-up out. A quick loop that needs no control plane;
// bench/plugin/run.ts measures on a real one.
// Run: node --import tsx bench/plugin/fake.ts [--runs N] [--sources N] [--fanout N] [--no-build] [-- status args...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBenchWorld, serveWorld } from './fake-world.ts';
import { stats, timed } from './measure.ts';
import { numberArg } from '../lib/args.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dash = process.argv.indexOf('--');
const statusArgs = dash > 0 ? process.argv.slice(dash + 1) : ['status', '-n', 'bench-src'];
const load = () => loadavg()[0]?.toFixed(1) ?? '?';

async function main(): Promise<void> {
  const runs = numberArg('runs', 3);
  const world = buildBenchWorld({
    sources: numberArg('sources', 1000),
    fanout: numberArg('fanout', 10),
    targets: numberArg('targets', 100),
    bystanders: numberArg('bystanders', 0),
  });
  const server = await serveWorld(world);
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kr-fake-')), 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: server.fake.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'u', namespace: 'default' } }],
      'current-context': 'fake',
    }),
  );
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'kubectl-reflect'], {
      stdio: 'inherit',
    });
    if (b.status !== 0) throw new Error('build failed');
  }
  const bundled = join(root, 'dist', 'bin', 'kubectl-reflect');
  const env = { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  console.log(`world: ${world.objects.length} objects, ${world.namespaces.length} namespaces`);
  console.log(`kubectl reflect ${statusArgs.join(' ')} (bundled), load average ${load()}`);
  const first: number[] = [];
  const exit: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = server.served.length;
    const r = await timed(process.execPath, [bundled, ...statusArgs], env);
    const reqs = server.served.slice(before);
    first.push(r.first);
    exit.push(r.total);
    cpu.push(r.cpu);
    if (i > 0) continue;
    const bytes = reqs.reduce((n, x) => n + x.bytes, 0);
    console.log(
      `  ${reqs.length} requests, ${(bytes / 1e6).toFixed(2)} MB read, ${r.stdout.split('\n').length - 1} lines`,
    );
    for (const q of reqs)
      console.log(`    ${q.method} ${q.path}?${decodeURIComponent(q.query)}  ${(q.bytes / 1e3).toFixed(0)} kB`);
  }
  console.log(`  first output ${stats(first)}; exit ${stats(exit)}; cpu ${stats(cpu, 's', 2)}; load ${load()}`);
  // The command's own CPU, in process: no Node start-up, no module loading.
  const inFirst: number[] = [];
  const inEnd: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await timed(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', 'plugin', 'inproc.ts'), ...statusArgs],
      env,
    );
    const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      first?: { wall: number; cpu: number };
      end: { wall: number; cpu: number };
    };
    inFirst.push(m.first?.cpu ?? NaN);
    inEnd.push(m.end.cpu);
  }
  console.log(`  in process, CPU to first output ${stats(inFirst)}; to the end ${stats(inEnd)}; load ${load()}`);
  await server.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
