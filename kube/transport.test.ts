import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import tls from 'node:tls';
import { writeKubeconfig } from '../test/cluster/kubeconfig.ts';
import { createPki, issueClientCert } from '../test/cluster/pki.ts';
import { loadKubeConfig } from './config.ts';
import { Transport } from './transport.ts';

describe('Transport over TLS', () => {
  it('opens a socket per request in flight, all with the one secure context built from the kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-tls-'));
    const pki = createPki(dir);
    const client = issueClientCert(pki, 'client', 'tester', ['team']);
    const seen = new Set<string>();
    let sockets = 0;
    const server = https.createServer(
      {
        cert: readFileSync(pki.servingCert),
        key: readFileSync(pki.servingKey),
        ca: readFileSync(pki.caCert),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as tls.TLSSocket).getPeerCertificate();
        seen.add(String(peer.subject?.CN));
        // Held a moment, so the requests are in flight together and need sockets of their own.
        setTimeout(() => res.end(JSON.stringify({ kind: 'Status', path: req.url })), 50);
      },
    );
    server.on('secureConnection', () => sockets++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), `https://127.0.0.1:${port}`, pki.caCert, 'tester', {
      clientCert: client,
    });
    const contexts = mock.method(tls, 'createSecureContext');
    const transport = new Transport(loadKubeConfig({ kubeconfig }), { maxConcurrency: 20 });
    try {
      const target = { verb: 'get', resource: 'namespaces' } as const;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => transport.request({ method: 'GET', path: `/api/v1/n${i}`, target })),
      );
      assert.deepEqual(
        answers.map((a) => (a as { path: string }).path),
        Array.from({ length: 20 }, (_, i) => `/api/v1/n${i}`),
      );
      assert.ok(sockets >= 10, `requests in flight together use sockets of their own (${sockets})`);
      assert.deepEqual([...seen], ['tester'], 'every socket presented the client certificate');
      assert.equal(contexts.mock.callCount(), 1, 'one secure context for every socket');
    } finally {
      contexts.mock.restore();
      transport.close();
      server.close();
    }
  });
});
