// `kubectl reflect status` against a fake apiserver holding the bench world (1,000 sources, 10,000 mirrors by
// default): time to the first byte and to exit, CPU seconds, and the requests and bytes it read. A quick loop that
// needs no control plane; bench/plugin/run.ts measures the same on a real one.
// Run: node --import tsx bench/plugin/fake.ts [--runs N] [--sources N] [--fanout N] [--no-build] [-- status args...]
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBenchWorld, serveWorld } from './fake-world.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const dash = process.argv.indexOf('--');
const statusArgs = dash > 0 ? process.argv.slice(dash + 1) : ['status', '-n', 'bench-src'];

/** Runs the command under /usr/bin/time; resolves with ms to first stdout byte, ms to exit, CPU s and stdout. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const timeFile = join(tmpdir(), `kr-time-${process.pid}`);
  return new Promise<{ first: number; total: number; cpu: number; out: string; code: number | null }>((resolve) => {
    const start = performance.now();
    let first = NaN;
    const chunks: Buffer[] = [];
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (c: Buffer) => {
      if (Number.isNaN(first)) first = performance.now() - start;
      chunks.push(c);
    });
    child.on('close', (code) => {
      const [u, s] = (
        spawnSync('cat', [timeFile], { encoding: 'utf8' }).stdout.trim().split(/\s+/).slice(-2) ?? []
      ).map(Number);
      resolve({
        first,
        total: performance.now() - start,
        cpu: (u ?? NaN) + (s ?? NaN),
        out: Buffer.concat(chunks).toString(),
        code,
      });
    });
  });
}

async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const world = buildBenchWorld({
    sources: arg('sources', 1000),
    fanout: arg('fanout', 10),
    targets: arg('targets', 100),
    bystanders: arg('bystanders', 0),
  });
  const server = await serveWorld(world);
  const kubeconfig = join(tmpdir(), `kr-fake-${process.pid}.json`);
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
  console.log(
    `world: ${world.objects.length} objects, ${world.namespaces.length} namespaces; kubectl reflect ${statusArgs.join(' ')}`,
  );
  for (let i = 0; i < runs; i++) {
    const before = server.served.length;
    const load = loadavg()[0]?.toFixed(2);
    const r = await run(process.execPath, [bundled, ...statusArgs], env);
    const reqs = server.served.slice(before);
    const bytes = reqs.reduce((n, x) => n + x.bytes, 0);
    console.log(
      `first output ${r.first.toFixed(0)} ms, exit ${r.total.toFixed(0)} ms, cpu ${r.cpu.toFixed(2)} s, load ${load}; ` +
        `${reqs.length} requests, ${(bytes / 1e6).toFixed(2)} MB; ${r.out.split('\n').length - 1} lines (exit ${r.code})`,
    );
    if (i === 0 || process.argv.includes('--verbose'))
      for (const q of reqs)
        console.log(`  ${q.method} ${q.path}?${decodeURIComponent(q.query)}  ${(q.bytes / 1e3).toFixed(0)} kB`);
    if (process.argv.includes('--show')) process.stdout.write(r.out.split('\n').slice(0, 8).join('\n') + '\n');
  }
  // The command's own CPU, in process: no Node start-up, no module loading.
  for (let i = 0; i < runs; i++) {
    const load = loadavg()[0]?.toFixed(2);
    const r = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', 'plugin', 'inproc.ts'), ...statusArgs],
      env,
    );
    const m = JSON.parse(r.out.trim().split('\n').pop() ?? '{}') as {
      first?: { wall: number; cpu: number };
      end: { wall: number; cpu: number };
    };
    console.log(
      `in process: first output ${m.first?.wall.toFixed(0)} ms (cpu ${m.first?.cpu.toFixed(0)} ms), ` +
        `end ${m.end.wall.toFixed(0)} ms (cpu ${m.end.cpu.toFixed(0)} ms), load ${load}`,
    );
  }
  await server.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
