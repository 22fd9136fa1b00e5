// What our KubeClient adds to each write over a bare node:http client, without an API server's noise: both POST the
// same Secret to a local plain-HTTP server in a child process (it answers 201 with a fixed body at once), N writes at C
// in flight, R rounds. Each round measures each client in a process of its own, alternating: in one process the two
// clients' request shapes share Node's inline caches, and whichever ran second paid for the other. Prints the CPU per
// write of each (median and every round). Run it under the controller's node flags (the children inherit them) to
// read the controller's cost: `node --no-opt --max-semi-space-size=1 --optimize-for-size --import tsx
// bench/controller/transport-overhead.ts`. Asserts nothing.
// Usage: node --import tsx bench/controller/transport-overhead.ts [--n 5000] [--c 32] [--rounds 7]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { SECRETS } from '../../kube/resource-type.ts';
import { numberArg, optionArg } from '../lib/args.ts';
import { barePost } from '../lib/bare-post.ts';
import { parallel, percentile } from '../lib/pool.ts';

const N = numberArg('n', 5000);
const C = numberArg('c', 32);
const ROUNDS = numberArg('rounds', 7);
// Internal, for the child processes: the one client to measure and the server's port.
const ONLY = optionArg('only', '');
const PORT = numberArg('port', 0);

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

const secret = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: `s${i}`, namespace: `ns-${i}`, labels: { a: 'b' } },
  data: { a: 'eHh4', v: 'MQ==' },
});

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

/** In a child: measures one client against the server at PORT and prints its CPU per write. */
async function child(which: string): Promise<void> {
  if (which === 'bare') {
    const agent = new http.Agent({ keepAlive: true, maxFreeSockets: C });
    const path = (i: number) => `/api/v1/namespaces/ns-${i}/secrets`;
    const target = (i: number) => ({
      protocol: 'http:' as const,
      host: '127.0.0.1',
      port: PORT,
      path: path(i),
      agent,
      authorization: 'Bearer bench',
    });
    console.log(await cpuPerWrite((i) => barePost(target(i), secret(i))));
    agent.destroy();
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'transport-overhead-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${PORT}"}}]
users: [{name: u, user: {token: bench}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  const client = new KubeClient(loadKubeConfig({ kubeconfig }), { maxConcurrency: 2 * C });
  try {
    console.log(await cpuPerWrite(async (i) => void (await client.create(SECRETS, secret(i)))));
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ONLY !== '') {
  await child(ONLY);
} else {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(Number(d))));
  const self = fileURLToPath(import.meta.url);
  const measure = (which: string) =>
    Number(
      execFileSync(
        process.execPath,
        [...process.execArgv, self, '--only', which, '--port', String(port), '--n', String(N), '--c', String(C)],
        { encoding: 'utf8' },
      ).trim(),
    );
  const rounds = { bare: [] as number[], ours: [] as number[] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      rounds.bare.push(measure('bare'));
      rounds.ours.push(measure('ours'));
    }
  } finally {
    server.kill();
  }
  const b = percentile(rounds.bare, 50);
  const o = percentile(rounds.ours, 50);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(
    `client CPU per write, median of ${ROUNDS} x ${N} at ${C} in flight, one process each (flags: ${process.execArgv.join(' ')}):`,
  );
  console.log(`  bare node:http ${b.toFixed(1)} µs   (rounds: ${list(rounds.bare)})`);
  console.log(
    `  KubeClient     ${o.toFixed(1)} µs   (rounds: ${list(rounds.ours)})   ${(o / b).toFixed(2)}x, +${(o - b).toFixed(0)} µs`,
  );
}
