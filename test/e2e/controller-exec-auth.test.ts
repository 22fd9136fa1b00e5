// The bundled controller with a kubeconfig user that runs an exec plugin: client-node is not in the bundle but in
// client-node-auth.mjs beside it (scripts/build.mjs, lazyClientNode), imported the first time such a user needs it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildController, freePort } from './support/controller-process.ts';

const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'reflect-controller');

describe('reflect-controller with an exec plugin', () => {
  it("sends the plugin's token, loading client-node from the file beside the bundle", async () => {
    buildController();
    assert.ok(existsSync(join(bin, '..', 'client-node-auth.mjs')));
    const seen = new Set<string>();
    const server = createServer((req, res) => {
      seen.add(req.headers.authorization ?? '');
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"kind":"Status","code":403}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dir = mkdtempSync(join(tmpdir(), 'exec-auth-'));
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-the-plugin' },
    });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
        users: [
          {
            name: 'u',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const child = spawn(
      bin,
      [
        '--kubeconfig',
        kubeconfig,
        '--metrics-bind-address',
        '0',
        '--health-probe-bind-address',
        `127.0.0.1:${await freePort()}`,
      ],
      { stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 100 && seen.size === 0; i++) await sleep(100);
      assert.deepEqual([...seen], ['Bearer from-the-plugin']);
    } finally {
      child.kill('SIGTERM');
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
