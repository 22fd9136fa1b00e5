import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KubeConfigError, loadKubeConfig } from './config.ts';

function kubeconfig(dir: string, file: string, ctx: string, server: string, current = ctx): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: ctx, cluster: { server, 'certificate-authority': 'ca.crt' } }],
      users: [{ name: ctx, user: { token: 't' } }],
      contexts: [{ name: ctx, context: { cluster: ctx, user: ctx, namespace: `${ctx}-ns` } }],
      'current-context': current,
    }),
  );
  return path;
}

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-config-'));
  const a = kubeconfig(dir, 'a', 'a', 'https://a.example:6443/');
  const b = kubeconfig(dir, 'b', 'b', 'https://b.example:6443', 'b');

  it('prefers --kubeconfig and resolves relative file paths against it', () => {
    const c = loadKubeConfig({ kubeconfig: a, env: { KUBECONFIG: b } });
    assert.equal(c.server, 'https://a.example:6443');
    assert.equal(c.namespace, 'a-ns');
    assert.equal(c.cluster.caFile, join(dir, 'ca.crt'));
    assert.equal(c.requestTimeoutMs, 30_000);
  });

  it('merges KUBECONFIG like kubectl: the first current-context wins, missing files are skipped', () => {
    const c = loadKubeConfig({ env: { KUBECONFIG: `${join(dir, 'missing')}:${a}:${b}` } });
    assert.equal(c.contextName, 'a');
    assert.deepEqual(c.contexts, ['a', 'b']);
    const other = loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'b', requestTimeoutMs: 5 });
    assert.equal(other.server, 'https://b.example:6443');
    assert.equal(other.requestTimeoutMs, 5);
  });

  it('falls back to ~/.kube/config, then to the in-cluster service account', () => {
    const home = mkdtempSync(join(tmpdir(), 'kube-reflect-home-'));
    mkdirSync(join(home, '.kube'));
    kubeconfig(join(home, '.kube'), 'config', 'home', 'https://home:6443');
    assert.equal(loadKubeConfig({ env: {}, homeDir: home }).contextName, 'home');

    const sa = mkdtempSync(join(tmpdir(), 'kube-reflect-sa-'));
    writeFileSync(join(sa, 'token'), 'tok');
    writeFileSync(join(sa, 'namespace'), 'kube-reflect\n');
    const c = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      homeDir: dir,
      serviceAccountDir: sa,
    });
    assert.equal(c.source, 'in-cluster');
    assert.equal(c.server, 'https://10.0.0.1:443');
    assert.equal(c.namespace, 'kube-reflect');
  });

  it('names the file or context in its errors', () => {
    assert.throws(() => loadKubeConfig({ kubeconfig: join(dir, 'nope') }), /kubeconfig .*nope does not exist/);
    assert.throws(() => loadKubeConfig({ kubeconfig: a, context: 'zz' }), /context "zz" not found in .*a \(known: a\)/);
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'clusters: [');
    assert.throws(
      () => loadKubeConfig({ kubeconfig: bad }),
      (e: unknown) => {
        return e instanceof KubeConfigError && e.message.startsWith(`kubeconfig ${bad}:`);
      },
    );
    const noCurrent = kubeconfig(dir, 'nocur', 'n', 'https://n', '');
    assert.throws(() => loadKubeConfig({ kubeconfig: noCurrent }), /no current-context is set/);
    assert.throws(() => loadKubeConfig({ env: {}, homeDir: join(dir, 'nohome') }), /no kubeconfig/);
    assert.throws(() => loadKubeConfig({ env: { KUBECONFIG: join(dir, 'x') } }), /none of these files exists/);
  });
});
