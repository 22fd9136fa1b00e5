// A tiny HTTP server speaking just enough of the list/watch protocol to script failures in unit tests.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../config.ts';
import type { LoadedKubeConfig } from '../config.ts';

/** One request the fake server received. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Scripted behaviour: answer the request (or leave it hanging) and return nothing. */
export type FakeHandler = (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => void;

/** A running fake apiserver. */
export interface FakeApiserver {
  url: string;
  requests: SeenRequest[];
  /** A kubeconfig (http, bearer token) pointing at the fake. */
  config: LoadedKubeConfig;
  handle(fn: FakeHandler): void;
  close(): Promise<void>;
}

/** Starts a fake apiserver on 127.0.0.1 with an ephemeral port. */
export async function startFakeApiserver(): Promise<FakeApiserver> {
  let handler: FakeHandler = (_req, res) => {
    res.writeHead(404).end();
  };
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const url = new URL(raw.url ?? '/', 'http://x');
      const req: SeenRequest = {
        method: raw.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(req);
      handler(req, res, raw);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'kube-reflect-fake-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless TLS verification is explicitly off.
      clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'secret-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'u', namespace: 'ns1' } }],
      'current-context': 'fake',
    }),
  );
  return {
    url,
    requests,
    config: loadKubeConfig({ kubeconfig, requestTimeoutMs: 2000 }),
    handle: (fn) => {
      handler = fn;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers with JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Answers with a Kubernetes Status error. */
export function sendStatus(res: ServerResponse, code: number, reason: string, message = reason): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
}

/** Starts a chunked watch response and returns helpers to send events on it. */
export function startWatch(res: ServerResponse): {
  send(type: string, object: unknown): void;
  raw(text: string): void;
  end(): void;
  destroy(): void;
} {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  return {
    send: (type, object) => res.write(`${JSON.stringify({ type, object })}\n`),
    raw: (text) => res.write(text),
    end: () => res.end(),
    destroy: () => res.socket?.destroy(),
  };
}

/** A minimal namespaced object for tests. */
export function obj(name: string, rv: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns1', resourceVersion: rv, uid: `uid-${name}` },
    ...extra,
  };
}
