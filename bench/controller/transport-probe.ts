// What one write costs the client, by way of sending it: N Secret creates at C in flight against a running control
// plane, by a bare HTTP/1.1 client (node:https, keep-alive, one TLS context), by our KubeClient (kube/transport.ts) and
// by a bare HTTP/2 client (node:http2, one session), alternating; prints wall time and CPU of the client and of the
// plane (etcd + kube-apiserver, from /proc) per run. Asserts nothing.
// Usage: KUBECONFIG=... node --import tsx bench/controller/transport-probe.ts [--n 1000] [--c 32] [--rounds 3]
// (a plane from `npm run cluster -- up`; run it under the controller's flags, `node --no-opt --max-semi-space-size=1
// --optimize-for-size --import tsx ...`, to read the controller's cost).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import { barePost } from '../lib/bare-post.ts';
import { parallel } from '../lib/pool.ts';
import { numberArg } from '../lib/args.ts';

const N = numberArg('n', 1000);
const C = numberArg('c', 32);
const ROUNDS = numberArg('rounds', 3);
const ns = (i: number) => `probe-${String(i).padStart(5, '0')}`;

const config = loadKubeConfig({});
const tlsOptions: https.RequestOptions = { headers: {} };
await config.applyToHTTPSOptions(tlsOptions);
const server = new URL(config.server);
const admin = new KubeClient(config, { maxConcurrency: 64 });

const planePids = ['kube-apiserver', 'etcd'].map(
  (name) => execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).trim().split('\n')[0]!,
);
function planeCpuSeconds(): number {
  return planePids.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

const secret = (i: number, name: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns(i), labels: { 'probe.kube-reflect.io/run': 'yes' } },
  data: { a: Buffer.from('x'.repeat(64)).toString('base64'), v: 'MQ==' },
});
const path = (i: number) => `/api/v1/namespaces/${ns(i)}/secrets`;

/** Sends one create per index, at most C at once; resolves when all are answered 201 and parsed. */
type Writer = { write(i: number, name: string): Promise<void>; close(): void };

function bareHttp1(): Writer {
  const secureContext = tls.createSecureContext({
    ...(tlsOptions.ca ? { ca: tlsOptions.ca } : {}),
    ...(tlsOptions.cert ? { cert: tlsOptions.cert } : {}),
    ...(tlsOptions.key ? { key: tlsOptions.key } : {}),
  });
  const agent = new https.Agent({ keepAlive: true, maxFreeSockets: 16, secureContext });
  return {
    write: (i, name) =>
      barePost({ protocol: 'https:', host: server.hostname, port: server.port, path: path(i), agent }, secret(i, name)),
    close: () => agent.destroy(),
  };
}

async function bareHttp2(): Promise<Writer> {
  const session = http2.connect(config.server, {
    ...(tlsOptions.ca ? { ca: tlsOptions.ca } : {}),
    ...(tlsOptions.cert ? { cert: tlsOptions.cert } : {}),
    ...(tlsOptions.key ? { key: tlsOptions.key } : {}),
    settings: { initialWindowSize: 1 << 20 },
  } as http2.SecureClientSessionOptions);
  await new Promise((resolve, reject) => session.once('connect', resolve).once('error', reject));
  return {
    write: (i, name) =>
      new Promise((resolve, reject) => {
        const body = Buffer.from(JSON.stringify(secret(i, name)));
        const stream = session.request({
          ':method': 'POST',
          ':path': path(i),
          'content-type': 'application/json',
          'content-length': body.length,
        });
        let status = 0;
        const chunks: Buffer[] = [];
        stream.on('response', (h) => (status = Number(h[':status'])));
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (status !== 201) reject(new Error(`HTTP ${status}`));
          else resolve(void JSON.parse(Buffer.concat(chunks).toString()));
        });
        stream.on('error', reject);
        stream.end(body);
      }),
    close: () => session.close(),
  };
}

function ourClient(): Writer {
  const client = new KubeClient(config, { maxConcurrency: 128 });
  return {
    write: async (i, name) => void (await client.create(SECRETS, secret(i, name))),
    close: () => client.close(),
  };
}

async function measure(label: string, writer: Writer, name: string): Promise<void> {
  const plane0 = planeCpuSeconds();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await parallel(
    Array.from({ length: N }, (_, i) => i),
    C,
    (i) => writer.write(i, name),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const plane = planeCpuSeconds() - plane0;
  writer.close();
  console.log(
    `${label.padEnd(22)} ${N} creates at ${C} in flight: wall ${wall.toFixed(0)} ms, client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, plane CPU ${(plane * 1000).toFixed(0)} ms`,
  );
  // Not measured: the creates are removed again, so every run writes into the same empty namespaces.
  await parallel(
    Array.from({ length: N }, (_, i) => i),
    C,
    (i) => admin.delete(SECRETS, ns(i), name).catch(() => undefined),
  );
}

await parallel(
  Array.from({ length: N }, (_, i) => ns(i)),
  32,
  (name) =>
    admin.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined),
);
for (let r = 0; r < ROUNDS; r++) {
  await measure('bare HTTP/1.1', bareHttp1(), `h1-${r}`);
  await measure('KubeClient (HTTP/1.1)', ourClient(), `kc-${r}`);
  await measure('bare HTTP/2', await bareHttp2(), `h2-${r}`);
}
admin.close();
