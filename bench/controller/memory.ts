// Where the controller's bytes go, without a cluster: a fake apiserver serves N unrelated Secrets and a source that fans
// out to F namespaces (writes are echoed back), the bundled controller runs against it, and we read its RSS (binary
// pages vs anonymous memory), V8's heap spaces and, with --snapshot, a heap snapshot summed by kind. Fast enough to
// compare Node flags side by side; the control-plane figures are bench/run.ts's.
// With --idle S it then measures the CPU time the controller spends in S seconds of doing nothing (timers that wake it).
// Usage: node --import tsx bench/controller/memory.ts [--secrets 20000] [--fanout 1000] [--settle 15] [--idle 60]
//        [--snapshot] [--flags "--max-semi-space-size=1 ..."]   (default flags: the shipped ones, from the bundle's shebang)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson, startFakeApiserver, startWatch } from '../../kube/test-support/fake-apiserver.ts';
import { buildController, CONTROLLER_ENV, freePort } from '../../test/e2e/support/controller-process.ts';
import { summarizeHeapSnapshot } from '../lib/heap-summary.ts';
import { shebangNodeFlags } from '../lib/shebang.ts';
import { optionArg } from '../lib/args.ts';

const argv = process.argv.slice(2);
const secrets = Number(optionArg('secrets', '0'));
const fanout = Number(optionArg('fanout', '0'));
const settleSeconds = Number(optionArg('settle', '15'));
const idleSeconds = Number(optionArg('idle', '0'));
const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'reflect-controller');
buildController();
// The shipped flags are the ones on the bundle's shebang.
const flags = optionArg('flags', shebangNodeFlags(bin).join(' ')).split(' ').filter(Boolean);
const NOISE_NAMESPACES = 100;
const MiB = 1048576;

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const noise = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: `noise-${i}`,
    namespace: `u-${pad(i % NOISE_NAMESPACES, 3)}`,
    uid: `0b8f${pad(i, 8)}-1111-2222-3333-444455556666`,
    resourceVersion: String(1000 + i),
    creationTimestamp: '2026-12-02T10:00:00Z',
    managedFields: [{ manager: 'bench', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }],
  },
  data: { blob: Buffer.from('z'.repeat(1024)).toString('base64') },
  type: 'Opaque',
});
const source = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'shared',
    namespace: 'fo-src',
    uid: 'source-uid',
    resourceVersion: '5',
    annotations: { 'kube-reflect.io/to': 'fo-[0-9]*' },
  },
  data: { a: Buffer.from('x'.repeat(64)).toString('base64'), v: 'MQ==' },
  type: 'Opaque',
};
const namespaces = [
  ...Array.from({ length: NOISE_NAMESPACES }, (_, i) => `u-${pad(i, 3)}`),
  ...Array.from({ length: fanout }, (_, i) => `fo-${pad(i, 5)}`),
  'fo-src',
];

/** User + system CPU seconds a process has used, from /proc. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const fake = await startFakeApiserver();
  let writes = 0;
  let rv = 2_000_000;
  fake.handle((req, res) => {
    if (req.method !== 'GET') {
      writes++;
      const body = JSON.parse(req.body || '{}') as { metadata?: Record<string, unknown> };
      const ns = /\/namespaces\/([^/]+)\//.exec(req.path)?.[1];
      body.metadata = { ...body.metadata, namespace: ns, uid: `w-${ns}`, resourceVersion: String(rv++) };
      sendJson(res, req.method === 'POST' ? 201 : 200, body);
    } else if (req.query.get('watch') === 'true' || req.query.get('watch') === '1') {
      startWatch(res);
    } else if (req.path === '/api/v1/secrets') {
      const from = Number(req.query.get('continue') || 0);
      const to = Math.min(secrets, from + Number(req.query.get('limit') ?? 500));
      const items = Array.from({ length: to - from }, (_, k) => noise(from + k));
      if (from === 0 && fanout > 0) items.push(source as never);
      const more = to < secrets ? { continue: String(to) } : {};
      sendJson(res, 200, {
        apiVersion: 'v1',
        kind: 'SecretList',
        metadata: { resourceVersion: '999999', ...more },
        items,
      });
    } else if (req.path === '/api/v1/namespaces') {
      const items = namespaces.map((name, i) => ({ metadata: { name, uid: `ns-${i}`, resourceVersion: '1' } }));
      sendJson(res, 200, { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '999999' }, items });
    } else if (req.path === '/api/v1/configmaps') {
      sendJson(res, 200, {
        apiVersion: 'v1',
        kind: 'ConfigMapList',
        metadata: { resourceVersion: '999999' },
        items: [],
      });
    } else {
      sendJson(res, 404, { kind: 'Status', code: 404 });
    }
  });
  const [health, metrics] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-memory-'));
  const snapshotFlag = argv.includes('--snapshot') ? ['--heapsnapshot-signal=SIGUSR2'] : [];
  const args = ['--kubeconfig', fake.config.source, '--health-probe-bind-address', `127.0.0.1:${health}`];
  const child = spawn(
    process.execPath,
    [...flags, ...snapshotFlag, bin, ...args, '--metrics-bind-address', `127.0.0.1:${metrics}`],
    {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, ...CONTROLLER_ENV },
    },
  );
  const pid = child.pid!;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  let peak = 0;
  // The peak while the caches fill (until /readyz) and while the fan-out is written, apart.
  let phase: 'start' | 'fan-out' | 'settle' = 'start';
  const peaks = { start: 0, 'fan-out': 0, settle: 0 };
  const sampler = setInterval(() => {
    try {
      const now = rss();
      peak = Math.max(peak, now);
      peaks[phase] = Math.max(peaks[phase], now);
    } catch {
      // Gone.
    }
  }, 100);
  try {
    const t0 = performance.now();
    while (
      !(await fetch(`http://127.0.0.1:${health}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      await sleep(50);
    const ready = performance.now() - t0;
    phase = 'fan-out';
    const t1 = performance.now();
    while (writes < fanout) await sleep(20);
    const fanoutMs = performance.now() - t1;
    phase = 'settle';
    await sleep(settleSeconds * 1000);
    clearInterval(sampler);
    const smaps = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(smaps)?.[1] ?? 0) / 1024;
    const scrape = await fetch(`http://127.0.0.1:${metrics}/metrics`).then((r) => r.text());
    const spaces = [...scrape.matchAll(/^nodejs_heap_space_size_used_bytes\{space="([a-z_]+)"\} ([0-9.e+]+)$/gm)]
      .filter((m) => Number(m[2]) > 0)
      .map((m) => `${m[1]} ${(Number(m[2]) / MiB).toFixed(1)}`);
    const cpuSeconds = cpuOf(pid);
    process.stdout.write(
      [
        `controller with ${flags.join(' ') || '(no flags)'}: ${secrets} unrelated Secrets, fan-out to ${fanout}`,
        `  ready ${(ready / 1000).toFixed(1)} s; fan-out written in ${(fanoutMs / 1000).toFixed(1)} s; CPU ${cpuSeconds.toFixed(2)} s`,
        `  RSS peak ${peak.toFixed(1)} MiB (start ${peaks.start.toFixed(1)}, fan-out ${peaks['fan-out'].toFixed(1)}, settle ${peaks.settle.toFixed(1)}), after ${settleSeconds} s ${rss().toFixed(1)} MiB = node binary and libraries ${(kb('Rss') - kb('Anonymous')).toFixed(1)} + anonymous ${kb('Anonymous').toFixed(1)}`,
        `  V8 heap used (MiB): ${spaces.join(', ')}`,
      ].join('\n') + '\n',
    );
    if (idleSeconds > 0) {
      const before = cpuOf(pid);
      await sleep(idleSeconds * 1000);
      const used = cpuOf(pid) - before;
      process.stdout.write(
        `  idle CPU ${used.toFixed(2)} s in ${idleSeconds} s = ${((used * 60) / idleSeconds).toFixed(3)} s per minute; RSS ${rss().toFixed(1)} MiB\n`,
      );
    }
    if (snapshotFlag.length > 0) {
      child.kill('SIGUSR2');
      let last = -1;
      for (;;) {
        await sleep(2000);
        const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
        const size = file ? statSync(join(dir, file)).size : 0;
        if (file && size > 0 && size === last) {
          const h = summarizeHeapSnapshot(join(dir, file));
          process.stdout.write(`  heap snapshot (live after a full GC): ${(h.totalBytes / MiB).toFixed(2)} MiB\n`);
          for (const t of h.top)
            process.stdout.write(`    ${(t.bytes / MiB).toFixed(2)} MiB  ${t.count} x ${t.name}\n`);
          break;
        }
        last = size;
      }
    }
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await fake.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`memory bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
