// /healthz and /readyz for kubelet probes, and a small /metrics until the Prometheus registry arrives.
import http from 'node:http';
import type { InformerHealth } from '../kube/informer.ts';

/** What the probes read. */
export interface HealthSource {
  isReady(): boolean;
  health(): Record<string, InformerHealth>;
}

/** Parses ":8081", "127.0.0.1:8081" or "0" (disabled) into host and port. */
export function parseBindAddress(addr: string): { host?: string; port: number } | undefined {
  if (addr === '0' || addr === '') return undefined;
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i) : undefined;
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid bind address "${addr}"`);
  return host === undefined ? { port } : { host, port };
}

/**
 * Serves /healthz (fails while any watch is stale: the process is stuck and a restart helps) and /readyz (fails until
 * the caches are synced). Returns the server once listening.
 */
export async function startHealthServer(addr: string, source: HealthSource): Promise<http.Server | undefined> {
  const bind = parseBindAddress(addr);
  if (bind === undefined) return undefined;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/livez') {
      const stale = Object.entries(source.health()).filter(([, h]) => h.stale);
      const ok = stale.length === 0;
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : `stale watches: ${stale.map(([k]) => k).join(', ')}\n`);
    } else if (path === '/readyz') {
      const ok = source.isReady();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'caches not synced\n');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => resolve());
  });
  return server;
}
