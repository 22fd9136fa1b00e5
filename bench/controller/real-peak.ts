// Where the controller's peak RSS comes from on a real control plane: one kube-apiserver + etcd holds N unrelated
// Secrets and a source fanned out to 1,000 namespaces (bench/suite/scenarios.ts `scale`), and the bundled controller
// is started again and again against it (its 1,000 mirrors deleted in between), one variant after another, sampling
// /proc every 100 ms: RSS, anonymous and file-backed, with the phase it is in (start until "caches synced", fan-out
// until "first reconcile of every source done", then settle).
// Usage: node --import tsx bench/controller/real-peak.ts [--secrets 20000] [--runs 3] [--seconds 40]
//        [--variant 'name|extra node flags|ENV=V,ENV2=V|path to an other bundle|controller args'] ...
//        [--trace-gc] [--smaps] [--out dir]
// Without --variant: one variant, the shipped bundle as it is. Variants run interleaved (a b c a b c ...).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import { startControlPlane } from '../../test/cluster/harness.ts';
import { buildController, CONTROLLER_ENV, freePort } from '../../test/e2e/support/controller-process.ts';
import { shebangNodeFlags } from '../lib/shebang.ts';
import { loadAverage, parallel } from '../lib/pool.ts';
import { optionArg } from '../lib/args.ts';

const argv = process.argv.slice(2);
const secrets = Number(optionArg('secrets', '20000'));
const runs = Number(optionArg('runs', '3'));
const seconds = Number(optionArg('seconds', '40'));
const traceGc = argv.includes('--trace-gc');
const smaps = argv.includes('--smaps');
const outDir = optionArg('out', '/tmp/real-peak');
const shipped = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'reflect-controller');

interface Variant {
  name: string;
  flags: string[];
  env: Record<string, string>;
  bin: string;
  args: string[];
}
const variants: Variant[] = argv
  .flatMap((a, i) => (a === '--variant' ? [argv[i + 1]!] : []))
  .map((spec) => {
    const [name = 'v', flags = '', env = '', bin = '', args = ''] = spec.split('|');
    return {
      name,
      flags: flags.split(' ').filter(Boolean),
      env: Object.fromEntries(
        env
          .split(',')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
      bin: bin || shipped,
      args: args.split(' ').filter(Boolean),
    };
  });
if (variants.length === 0) variants.push({ name: 'shipped', flags: [], env: {}, bin: shipped, args: [] });

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function status(pid: number): { rss: number; anon: number; file: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}

/** With --smaps: the RSS of malloc's main heap ([heap]) and of the other anonymous mappings, and open sockets. */
function detail(pid: number): { brk: number; otherAnon: number; sockets: number } {
  let brk = 0;
  let otherAnon = 0;
  let current = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) current = line.split(/\s+/)[5] ?? '';
    else if (line.startsWith('Rss:')) {
      const mib = Number(line.split(/\s+/)[1]) / 1024;
      if (current === '[heap]') brk += mib;
      else if (current === '') otherAnon += mib;
    }
  }
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // Closed meanwhile.
    }
  }
  return { brk, otherAnon, sockets };
}

interface Sample {
  t: number;
  rss: number;
  anon: number;
  file: number;
  brk?: number;
  otherAnon?: number;
  sockets?: number;
  phase: string;
}

async function main(): Promise<void> {
  buildController();
  mkdirSync(outDir, { recursive: true });
  const cp = await startControlPlane({ name: `real-peak-${process.pid}` });
  const client = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), {
    userAgent: 'bench',
    maxConcurrency: 64,
  });
  try {
    const namespaces = Array.from({ length: 100 }, (_, i) => `u-${String(i).padStart(3, '0')}`);
    const targets = Array.from({ length: 1000 }, (_, i) => `st-${String(i).padStart(4, '0')}`);
    const t0 = performance.now();
    await parallel([...namespaces, ...targets, 'st-src'], 32, (name) =>
      client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    );
    const payload = 'z'.repeat(1024);
    await parallel(
      Array.from({ length: secrets }, (_, i) => i),
      32,
      (i) =>
        client.create(SECRETS, {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `noise-${i}`, namespace: namespaces[i % namespaces.length]! },
          stringData: { blob: payload },
        }),
    );
    await client.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'shared', namespace: 'st-src', annotations: { 'kube-reflect.io/to': 'st-0*' } },
      stringData: { v: '1' },
    });
    log(`cluster filled with ${secrets} Secrets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Variants whose controller args include @proxy talk plain HTTP to `kubectl proxy` (TLS is then its business).
    let proxyKubeconfig = '';
    let proxy: ReturnType<typeof spawn> | undefined;
    if (variants.some((v) => v.args.includes('@proxy'))) {
      const port = await freePort();
      proxy = spawn('kubectl', ['proxy', '--port', String(port), '--kubeconfig', cp.kubeconfigPath], {
        stdio: 'ignore',
      });
      await sleep(2000);
      proxyKubeconfig = join(outDir, 'proxy.kubeconfig');
      writeFileSync(
        proxyKubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'p', cluster: { server: `http://127.0.0.1:${port}` } }],
          users: [{ name: 'p', user: {} }],
          contexts: [{ name: 'p', context: { cluster: 'p', user: 'p' } }],
          'current-context': 'p',
        }),
      );
    }
    const results: Record<string, Array<Record<string, number>>> = {};
    for (let r = 0; r < runs; r++) {
      for (const v of variants) {
        // Every run starts from the same state: no mirrors.
        await parallel(targets, 32, (ns) =>
          client.delete(SECRETS, ns, 'shared').catch((err: { code?: number }) => {
            if (err.code !== 404) throw err;
          }),
        );
        await sleep(2000);
        const viaProxy = v.args.includes('@proxy');
        const res = await once(
          viaProxy ? proxyKubeconfig : cp.kubeconfigPath,
          { ...v, args: v.args.filter((a) => a !== '@proxy') },
          `${v.name}-${r}`,
        );
        (results[v.name] ??= []).push(res);
        log(
          `${v.name} run ${r}: peak ${res.peak!.toFixed(1)} MiB at ${res.peakT!.toFixed(1)} s (${['start', 'fan-out', 'settle'][res.peakPhase!]}; anon ${res.peakAnon!.toFixed(1)}, file ${res.peakFile!.toFixed(1)}); ` +
            `peaks start ${res.start!.toFixed(1)} fan-out ${res.fanout!.toFixed(1)} settle ${res.settle!.toFixed(1)}; ` +
            `ready ${res.ready!.toFixed(1)} s, fan-out done ${res.done!.toFixed(1)} s; end ${res.end!.toFixed(1)} MiB; load ${loadAverage()}`,
        );
      }
    }
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 1));
    for (const [name, rs] of Object.entries(results))
      log(
        `${name}: peaks ${rs.map((x) => x.peak!.toFixed(1)).join(', ')}; ends ${rs.map((x) => x.end!.toFixed(1)).join(', ')}`,
      );
    proxy?.kill('SIGTERM');
  } finally {
    client.close();
    await cp.stop();
  }
}

async function once(kubeconfig: string, v: Variant, tag: string): Promise<Record<string, number>> {
  const health = await freePort();
  const flags = [...shebangNodeFlags(v.bin), ...v.flags, ...(traceGc ? ['--trace-gc'] : [])];
  const child = spawn(
    process.execPath,
    [
      ...flags,
      v.bin,
      '--kubeconfig',
      kubeconfig,
      '--health-probe-bind-address',
      `127.0.0.1:${health}`,
      '--metrics-bind-address',
      '0',
      ...v.args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...CONTROLLER_ENV, ...v.env } },
  );
  const pid = child.pid!;
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;
  const stdout = createWriteStream(join(outDir, `${tag}.stdout`));
  child.stdout.on('data', (d: Buffer) => stdout.write(`[${now().toFixed(2)}] ${d.toString()}`));
  let phase = 0;
  let ready = NaN;
  let done = NaN;
  let buf = '';
  child.stderr.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      if (l.includes('caches synced')) {
        phase = 1;
        ready = now();
      } else if (l.includes('first reconcile of every source done')) {
        phase = 2;
        done = now();
      }
    }
  });
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    try {
      samples.push({ t: now(), ...status(pid), ...(smaps ? detail(pid) : {}), phase: String(phase) });
    } catch {
      // Gone.
    }
  }, 100);
  await sleep(seconds * 1000);
  clearInterval(timer);
  const end = status(pid).rss;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  stdout.end();
  writeFileSync(join(outDir, `${tag}.samples.json`), JSON.stringify(samples));
  const peakOf = (p: number) => Math.max(0, ...samples.filter((s) => s.phase === String(p)).map((s) => s.rss));
  const top = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  return {
    peak: top.rss,
    peakT: top.t,
    peakPhase: Number(top.phase),
    peakAnon: top.anon,
    peakFile: top.file,
    start: peakOf(0),
    fanout: peakOf(1),
    settle: peakOf(2),
    ready,
    done,
    end,
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`real-peak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
