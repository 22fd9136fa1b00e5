// Benchmark of reflect-fn on generated packages: wall time and peak RSS of the built dist/bin/reflect-fn, against an
// identity function built from the same reading and writing code, so the cost of planning shows as a ratio.
// Run: node --import tsx bench/krm/run.ts [--runs N]   (or bench/krm/run.sh). Prints numbers; asserts nothing.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { fanOutPackage, mixedPackage } from './packages.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const TIME = '/usr/bin/time';
// Without /usr/bin/time, a preload reports the child's own peak RSS when it exits.
const RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kib '+process.resourceUsage().maxRSS+'\\n'))`;

interface Measure {
  seconds: number;
  rssMiB: number;
  code: number | null;
}

function measureOnce(bin: string, input: string, output: string): Measure {
  const stdin = openSync(input, 'r');
  const stdout = openSync(output, 'w');
  const useTime = existsSync(TIME);
  const [cmd, args] = useTime
    ? [TIME, ['-f', 'maxrss-kib %M', process.execPath, bin]]
    : [process.execPath, ['--import', RSS_PRELOAD, bin]];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: [stdin, stdout, 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(stdin);
  closeSync(stdout);
  const kib = Number(/maxrss-kib (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  if (r.status !== 0 && r.status !== 1) process.stderr.write(r.stderr);
  return { seconds, rssMiB: kib / 1024, code: r.status };
}

/** The best of `n` runs (least wall time), the usual way to take noise out of a wall-clock benchmark. */
function measure(bin: string, input: string, output: string, n: number): Measure {
  let best: Measure | undefined;
  for (let i = 0; i < n; i++) {
    const m = measureOnce(bin, input, output);
    if (best === undefined || m.seconds < best.seconds) best = m;
  }
  return best!;
}

function countItems(file: string): number {
  return ((parse(readFileSync(file, 'utf8'), { version: '1.1' }) as { items?: unknown[] }).items ?? []).length;
}

const fmt = (m: Measure) => `${m.seconds.toFixed(2)} s  ${m.rssMiB.toFixed(0)} MiB`;

const work = mkdtempSync(join(tmpdir(), 'bench-krm-'));
try {
  // The same build for both: scripts/build.mjs, once for reflect-fn and once, as a library, for the identity function.
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'reflect-fn'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  const fn = join(root, 'dist', 'bin', 'reflect-fn');
  const identity = join(work, 'identity-fn');
  const script = `import('./scripts/build.mjs').then((b) => b.bundle('bench/krm/identity-fn.ts', ${JSON.stringify(identity)}))`;
  const bundled = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`bundling the identity function failed: ${bundled.stderr}`);
  const cases: [string, () => string, number][] = [
    ['10,000 mixed objects', () => mixedPackage(10000), runs],
    ['1,000 sources x 100 namespaces', () => fanOutPackage(1000, 100), 1],
  ];
  console.log(
    `reflect-fn benchmark (${process.version}; ${existsSync(TIME) ? '/usr/bin/time' : 'resourceUsage'} for peak RSS; best of runs)`,
  );
  for (const [name, generate, n] of cases) {
    const input = join(work, 'input.yaml');
    const output = join(work, 'output.yaml');
    const again = join(work, 'again.yaml');
    writeFileSync(input, generate());
    const ours = measure(fn, input, output, n);
    const base = measure(identity, input, join(work, 'identity.yaml'), n);
    const steady = measure(fn, output, again, n);
    const sameAgain = readFileSync(output, 'utf8') === readFileSync(again, 'utf8');
    const inMiB = statSync(input).size / 2 ** 20;
    const outMiB = statSync(output).size / 2 ** 20;
    console.log(
      `\n${name}: ${countItems(input)} items in (${inMiB.toFixed(1)} MiB), ${countItems(output)} out (${outMiB.toFixed(1)} MiB), exit ${ours.code}`,
    );
    console.log(`  reflect-fn            ${fmt(ours)}`);
    console.log(
      `  identity (same I/O)   ${fmt(base)}   ratio ${(ours.seconds / base.seconds).toFixed(2)}x time, ${(ours.rssMiB / base.rssMiB).toFixed(2)}x RSS`,
    );
    console.log(
      `  reflect-fn on its own output (steady state)  ${fmt(steady)}   ${sameAgain ? 'unchanged' : 'CHANGED'}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
