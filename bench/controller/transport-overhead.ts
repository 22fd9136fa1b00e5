// What our KubeClient adds to each write over a bare node:http client, without an API server's noise: both POST the
// same Secret to a local plain-HTTP server in a child process (it answers 201 with a fixed body at once), N writes at C
// in flight, alternating, R rounds each; prints this process's CPU per write (median and every round). Run it under the
// controller's node flags to read the controller's cost: `node --no-opt --max-semi-space-size=1 --optimize-for-size
// --import tsx bench/controller/transport-overhead.ts`. Asserts nothing.
// Usage: node --import tsx bench/controller/transport-overhead.ts [--n 5000] [--c 32] [--rounds 7]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { SECRETS } from '../../kube/resource-type.ts';
import { numberArg } from '../lib/args.ts';
import { parallel, percentile } from '../lib/pool.ts';

const N = numberArg('n', 5000);
const C = numberArg('c', 32);
const ROUNDS = numberArg('rounds', 7);

// The server: a child process, so its CPU is not counted; it prints its port once listening.
const SERVER = `
const http = require('node:http');
const body = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'y',
  uid: 'u', resourceVersion: '1', labels: { a: 'b' } }, data: { a: 'eHh4', v: 'MQ==' } }));
const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(Number(d))));
const dir = mkdtempSync(join(tmpdir(), 'transport-overhead-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {token: bench}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
);

const secret = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: `s${i}`, namespace: `ns-${i}`, labels: { a: 'b' } },
  data: { a: 'eHh4', v: 'MQ==' },
});

const agent = new http.Agent({ keepAlive: true, maxFreeSockets: C });
const bare = (i: number) =>
  new Promise<void>((resolve, reject) => {
    const body = Buffer.from(JSON.stringify(secret(i)));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1/namespaces/ns-${i}/secrets`,
        method: 'POST',
        agent,
        headers: { authorization: 'Bearer bench', 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 201) reject(new Error(`HTTP ${res.statusCode}`));
          else resolve(void JSON.parse(Buffer.concat(chunks).toString()));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const client = new KubeClient(loadKubeConfig({ kubeconfig }), { maxConcurrency: 2 * C });
const ours = async (i: number) => void (await client.create(SECRETS, secret(i)));

/** This process's CPU microseconds per write for N writes at C in flight. */
async function cpuPerWrite(write: (i: number) => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  await parallel(
    Array.from({ length: N }, (_, i) => i),
    C,
    write,
  );
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

const rounds = { bare: [] as number[], ours: [] as number[] };
try {
  for (let r = 0; r < ROUNDS; r++) {
    rounds.bare.push(await cpuPerWrite(bare));
    rounds.ours.push(await cpuPerWrite(ours));
  }
} finally {
  client.close();
  agent.destroy();
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
const b = percentile(rounds.bare, 50);
const o = percentile(rounds.ours, 50);
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
console.log(
  `client CPU per write, median of ${ROUNDS} x ${N} at ${C} in flight (flags: ${process.execArgv.join(' ')}):`,
);
console.log(`  bare node:http ${b.toFixed(1)} µs   (rounds: ${list(rounds.bare)})`);
console.log(
  `  KubeClient     ${o.toFixed(1)} µs   (rounds: ${list(rounds.ours)})   ${(o / b).toFixed(2)}x, +${(o - b).toFixed(0)} µs`,
);
