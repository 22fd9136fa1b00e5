import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadKubeConfig } from './config.ts';
import { applyCredentials } from './credentials.ts';
import { parseKubeConfig } from './kubeconfig-file.ts';
import type { KubeCluster } from './kubeconfig-file.ts';

const cluster: KubeCluster = { name: 'c', server: 'https://k:6443', skipTLSVerify: false };

async function applied(user: Parameters<typeof applyCredentials>[1], c = cluster): Promise<RequestOptions> {
  const opts: RequestOptions = { headers: {} };
  await applyCredentials(c, user, opts);
  return opts;
}

describe('applyCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-creds-'));

  it('applies a token, client certificate data, basic auth and impersonation as kubectl does', async () => {
    const opts = await applied({
      name: 'u',
      token: 'tok',
      certData: Buffer.from('CERT').toString('base64'),
      keyData: Buffer.from('KEY').toString('base64'),
      impersonate: 'jane',
    });
    assert.deepEqual(opts.headers, { Authorization: 'Bearer tok', 'Impersonate-User': 'jane' });
    assert.equal(String(opts.cert), 'CERT');
    assert.equal(String(opts.key), 'KEY');
    const basic = await applied({ name: 'u', username: 'admin', password: 'pw' });
    assert.equal(basic.auth, 'admin:pw');
  });

  it('reads the CA from a file or data, honours insecure-skip-tls-verify and tls-server-name', async () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA-FILE');
    const fromFile = await applied(undefined, { ...cluster, caFile: join(dir, 'ca.crt'), tlsServerName: 'kubernetes' });
    assert.equal(String(fromFile.ca), 'CA-FILE');
    assert.equal(fromFile.servername, 'kubernetes');
    assert.equal(fromFile.rejectUnauthorized, undefined);
    const fromData = await applied(undefined, { ...cluster, caData: Buffer.from('CA-DATA').toString('base64') });
    assert.equal(String(fromData.ca), 'CA-DATA');
    assert.equal((await applied(undefined, { ...cluster, skipTLSVerify: true })).rejectUnauthorized, false);
  });

  it('reads a token file on every call, so a rotated service account token is picked up', async () => {
    const sa = mkdtempSync(join(tmpdir(), 'kube-reflect-sa-'));
    writeFileSync(join(sa, 'token'), 'first\n');
    writeFileSync(join(sa, 'ca.crt'), 'CA');
    const config = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' },
      homeDir: dir,
      serviceAccountDir: sa,
    });
    assert.equal(config.server, 'https://[fd00::1]:6443');
    const a: RequestOptions = {};
    await config.applyToHTTPSOptions(a);
    assert.equal((a.headers as Record<string, string>).Authorization, 'Bearer first');
    assert.equal(String(a.ca), 'CA');
    writeFileSync(join(sa, 'token'), 'rotated');
    const b: RequestOptions = {};
    await config.applyToHTTPSOptions(b);
    assert.equal((b.headers as Record<string, string>).Authorization, 'Bearer rotated');
  });

  it('runs an exec credential plugin through client-node, loaded only for such a user', async () => {
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const kc = parseKubeConfig(
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://k:6443' } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
      dir,
    );
    const opts = await applied(kc.users[0]);
    assert.equal((opts.headers as Record<string, string>).Authorization, 'Bearer from-exec');
  });
});

describe('parseKubeConfig', () => {
  it('resolves relative paths against the file and says which entry is malformed', () => {
    const kc = parseKubeConfig(
      [
        'clusters:',
        '- name: c',
        '  cluster: {server: "https://k", certificate-authority: certs/ca.crt, insecure-skip-tls-verify: true}',
        'users:',
        '- name: u',
        '  user: {client-certificate: /abs/u.crt, client-key: u.key, tokenFile: t}',
        'contexts:',
        '- name: x',
        '  context: {cluster: c, user: u, namespace: ns}',
        'current-context: x',
      ].join('\n'),
      '/etc/kube',
    );
    assert.deepEqual(kc.clusters, [
      { name: 'c', server: 'https://k', caFile: '/etc/kube/certs/ca.crt', skipTLSVerify: true },
    ]);
    assert.deepEqual(kc.users, [
      { name: 'u', certFile: '/abs/u.crt', keyFile: '/etc/kube/u.key', tokenFile: '/etc/kube/t' },
    ]);
    assert.deepEqual(kc.contexts, [{ name: 'x', cluster: 'c', user: 'u', namespace: 'ns' }]);
    assert.throws(
      () => parseKubeConfig('clusters: [{name: c, cluster: {}}]', '/'),
      /clusters\[0\]\.cluster\.server is missing/,
    );
    assert.throws(() => parseKubeConfig('users: [{user: {}}]', '/'), /users\[0\]\.name is missing/);
    assert.throws(() => parseKubeConfig('- a', '/'), /a mapping is expected/);
  });
});
