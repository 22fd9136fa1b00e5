// Benchmark of reflect-fn on generated packages: wall time and peak RSS of the built dist/bin/reflect-fn, against an
// identity function built from the same reading and writing code, so the cost of planning shows as a ratio; then
// 100,000 objects as kpt sends them (block YAML), as one JSON document and as kustomize's legacy plugin stream.
// Run: node --import tsx bench/krm/run.ts [--runs N] [--big N] [--keep DIR] [--no-fanout]   (or bench/krm/run.sh).
// Prints numbers and writes them to bench/results/krm.json (docs/benchmarks.md shows them); asserts nothing.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shebangNodeFlags } from '../lib/shebang.ts';
import type { Encoding } from './packages.ts';
import { encode, fanOutItems, mixedItems, STREAM_CONFIG } from './packages.ts';
import type { KrmBench, KrmMeasure } from './results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('runs') ?? 3);
const big = Number(arg('big') ?? 100_000);
const keep = arg('keep');
const TIME = '/usr/bin/time';
// Without /usr/bin/time, a preload reports the child's own peak RSS when it exits.
const RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kib '+process.resourceUsage().maxRSS+'\\n'))`;

function measureOnce(bin: string, args: string[], input: string, output: string): KrmMeasure {
  const stdin = openSync(input, 'r');
  const stdout = openSync(output, 'w');
  const useTime = existsSync(TIME);
  // This node (not the first on PATH), with the flags the executable's shebang gives.
  const flags = shebangNodeFlags(bin);
  const [cmd, argv] = useTime
    ? [TIME, ['-f', 'maxrss-kib %M cpu %U %S', process.execPath, ...flags, bin, ...args]]
    : [process.execPath, ['--import', RSS_PRELOAD, ...flags, bin, ...args]];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { stdio: [stdin, stdout, 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(stdin);
  closeSync(stdout);
  const kib = Number(/maxrss-kib (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0) process.stderr.write(r.stderr.slice(0, 2000));
  const m: KrmMeasure = { seconds, rssMiB: kib / 1024, code: r.status };
  if (cpu !== null) m.cpuSeconds = Number(cpu[1]) + Number(cpu[2]);
  return m;
}

/** The best of `n` runs (least wall time), the usual way to take noise out of a wall-clock benchmark. */
function measure(bin: string, args: string[], input: string, output: string, n: number): KrmMeasure {
  let best: KrmMeasure | undefined;
  for (let i = 0; i < n; i++) {
    const m = measureOnce(bin, args, input, output);
    if (best === undefined || m.seconds < best.seconds) best = m;
  }
  return best!;
}

const fmt = (m: KrmMeasure) =>
  `${m.seconds.toFixed(2)} s  ${m.cpuSeconds === undefined ? '' : `(${m.cpuSeconds.toFixed(1)} s CPU)  `}${m.rssMiB.toFixed(0)} MiB`;
const mib = (file: string) => (statSync(file).size / 2 ** 20).toFixed(1);

const work = keep ?? mkdtempSync(join(tmpdir(), 'bench-krm-'));
mkdirSync(work, { recursive: true });
try {
  // The same build for both: scripts/build.mjs, once for reflect-fn and once, as a library, for the identity function,
  // which gets reflect-fn's node flags too (a flag that makes any function cheaper is no credit to the planner).
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'reflect-fn'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  const fn = join(root, 'dist', 'bin', 'reflect-fn');
  const identity = join(work, 'identity-fn');
  const script =
    `import('./scripts/build.mjs').then((b) => b.bundle('bench/krm/identity-fn.ts', ${JSON.stringify(identity)}, {}, ` +
    `b.ENTRIES.find((e) => e.name === 'reflect-fn').nodeFlags))`;
  const bundled = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`bundling the identity function failed: ${bundled.stderr}`);
  const config = join(work, 'reflect-config.yaml');
  writeFileSync(config, STREAM_CONFIG);
  const result: KrmBench = {
    date: new Date().toISOString(),
    node: process.version,
    nodeFlags: shebangNodeFlags(fn),
    ratio: [],
    scale: [],
  };
  const loadBefore = loadavg()[0]!;
  console.log(
    `reflect-fn benchmark (${process.version} ${shebangNodeFlags(fn).join(' ')}; ${existsSync(TIME) ? '/usr/bin/time' : 'resourceUsage'} for peak RSS; best of runs)`,
  );

  // Planning's cost: reflect-fn against the identity function on the same input, and on its own output.
  const ratioCases: [string, () => Record<string, unknown>[], number][] = [
    ['10,000 mixed objects', () => mixedItems(10_000), runs],
  ];
  if (!process.argv.includes('--no-fanout'))
    ratioCases.push(['1,000 sources x 100 namespaces', () => fanOutItems(1000, 100), 1]);
  for (const [name, generate, n] of ratioCases) {
    const input = join(work, 'ratio-input.yaml');
    const output = join(work, 'ratio-output.yaml');
    writeFileSync(input, encode(generate(), 'yaml'));
    const ours = measure(fn, [], input, output, n);
    const base = measure(identity, [], input, join(work, 'identity.yaml'), n);
    const steady = measure(fn, [], output, join(work, 'again.yaml'), n);
    const same = readFileSync(output, 'utf8') === readFileSync(join(work, 'again.yaml'), 'utf8');
    const ratio = ours.seconds / base.seconds;
    const cpuRatio =
      ours.cpuSeconds === undefined || base.cpuSeconds === undefined
        ? ''
        : `, ${(ours.cpuSeconds / base.cpuSeconds).toFixed(2)}x CPU`;
    console.log(`\n${name}: ${mib(input)} MiB in, ${mib(output)} MiB out, exit ${ours.code}`);
    console.log(`  reflect-fn            ${fmt(ours)}`);
    console.log(
      `  identity (same I/O)   ${fmt(base)}   ratio ${ratio.toFixed(2)}x time${cpuRatio}, ${(ours.rssMiB / base.rssMiB).toFixed(2)}x RSS`,
    );
    console.log(`  reflect-fn on its own output (steady state)  ${fmt(steady)}   ${same ? 'unchanged' : 'CHANGED'}`);
    result.ratio.push({ name, ours, identity: base, steady, fixedPoint: same });
  }

  // Scale: one big package in each of the three encodings reflect-fn reads.
  const items = mixedItems(big);
  console.log(`\n${big.toLocaleString('en')} mixed objects, by encoding (target: <= 5 s, <= 400 MiB):`);
  for (const encoding of ['yaml', 'json', 'stream'] as Encoding[]) {
    const input = join(work, `big.${encoding}`);
    writeFileSync(input, encode(items, encoding));
    const output = join(work, `big-out.${encoding}`);
    const m = measure(fn, encoding === 'stream' ? [config] : [], input, output, 1);
    console.log(`  ${encoding.padEnd(7)} ${mib(input).padStart(6)} MiB in  ${fmt(m)}  exit ${m.code}`);
    result.scale.push({ encoding, objects: big, inMiB: statSync(input).size / 2 ** 20, ...m });
  }
  result.load = { before: loadBefore, after: loadavg()[0]! };
  console.log(
    `\nload average (1 min, ${availableParallelism()} cores): ${loadBefore.toFixed(1)} before, ${result.load.after.toFixed(1)} after`,
  );
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'krm.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  if (keep === undefined) rmSync(work, { recursive: true, force: true });
}
