// A minimal HTTPS client for probes and admin calls, so the harness needs no Kubernetes client library.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { ClusterState } from './state.ts';

/** A response: status code and body text. */
export interface HttpResponse {
  status: number;
  body: string;
}

/** TLS material for a request; `insecure` skips server verification (component health ports). */
export interface HttpAuth {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure?: boolean;
}

/** Sends one request and resolves with the status and body (never rejects on HTTP errors). */
export function httpCall(method: string, url: string, auth: HttpAuth = {}, body?: unknown): Promise<HttpResponse> {
  const u = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kube-reflect-test-harness' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  return new Promise((resolve, reject) => {
    const options = { method, headers, timeout: 5000 };
    const done = (res: IncomingMessage): void => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    };
    const req =
      u.protocol === 'http:'
        ? httpRequest(u, options, done)
        : httpsRequest(
            u,
            { ...options, ca: auth.ca, cert: auth.cert, key: auth.key, rejectUnauthorized: !auth.insecure },
            done,
          );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Admin credentials (system:masters client cert) of a control plane. */
export function adminAuth(state: ClusterState): HttpAuth {
  return {
    ca: readFileSync(state.pki.caCert),
    cert: readFileSync(`${state.pki.dir}/admin.crt`),
    key: readFileSync(`${state.pki.dir}/admin.key`),
  };
}

/** Calls the apiserver as admin; `path` starts with /api or /apis. */
export function adminCall(state: ClusterState, method: string, path: string, body?: unknown): Promise<HttpResponse> {
  return httpCall(method, state.server + path, adminAuth(state), body);
}
