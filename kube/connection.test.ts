import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './config.ts';
import { connectionOptionsOf, connectionUsage, loadConnection, parseRequestTimeout } from './connection.ts';

const kubeconfig = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'kube-reflect-conn-')), 'config');
  const cluster = (server: string) => ({ server });
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'a',
      clusters: [
        { name: 'a', cluster: cluster('https://a.example:6443') },
        { name: 'b', cluster: cluster('https://b.example:6443') },
      ],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [
        { name: 'a', context: { cluster: 'a', user: 'u' } },
        { name: 'b', context: { cluster: 'b', user: 'u', namespace: 'team-b' } },
      ],
    }),
  );
  return file;
};

describe('connection flags', () => {
  it("parse kubectl's --request-timeout", () => {
    assert.equal(parseRequestTimeout('30s'), 30_000);
    assert.equal(parseRequestTimeout('1m'), 60_000);
    assert.equal(parseRequestTimeout('5'), 5000);
    assert.equal(parseRequestTimeout('250ms'), 250);
    assert.equal(parseRequestTimeout(undefined), undefined);
    assert.ok((parseRequestTimeout('0') ?? 0) >= 86_400_000);
    assert.throws(() => parseRequestTimeout('soon'), /invalid --request-timeout/);
  });

  it('are picked from either parser’s values, an empty value being none', () => {
    assert.deepEqual(connectionOptionsOf({ kubeconfig: '/k', context: '', 'request-timeout': '5s', other: 'x' }), {
      kubeconfig: '/k',
      requestTimeout: '5s',
    });
  });

  it('load the named file and context with the request timeout, else the default timeout', () => {
    const file = kubeconfig();
    const b = loadConnection({ kubeconfig: file, context: 'b', requestTimeout: '2s' });
    assert.equal(b.server, 'https://b.example:6443');
    assert.equal(b.namespace, 'team-b');
    assert.equal(b.requestTimeoutMs, 2000);
    const a = loadConnection({ kubeconfig: file });
    assert.equal(a.contextName, 'a');
    assert.equal(a.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS);
    assert.equal(loadConnection({ kubeconfig: file }, { requestTimeoutMs: 3000 }).requestTimeoutMs, 3000);
  });

  it('document themselves for a hand-written --help', () => {
    assert.deepEqual(connectionUsage(30).split('\n'), [
      '  --kubeconfig PATH           Path to the kubeconfig file to use',
      '  --context NAME              The name of the kubeconfig context to use',
      '  --request-timeout DURATION  Wait this long for each API request (e.g. 30s; 0 waits forever)',
    ]);
  });
});
