// A TCP proxy in front of the apiserver that injects network faults: half-open connections and added latency.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** The proxy's fault modes. */
export type ProxyMode =
  | { kind: 'pass' }
  /** Every open connection is cut; new ones are accepted but never forwarded nor answered (a black hole). */
  | { kind: 'half-open' }
  /** Every chunk in either direction is delayed by `ms`. */
  | { kind: 'latency'; ms: number };

/** A running fault proxy. */
export interface FaultProxy {
  /** The https URL clients use instead of the apiserver's. */
  url: string;
  /** Switches the fault mode; entering half-open cuts the connections open now. */
  set(mode: ProxyMode): void;
  /** Connections currently open through the proxy. */
  connections(): number;
  close(): void;
}

/** Starts a proxy to `target` (the apiserver's URL) on a free loopback port. */
export async function startFaultProxy(target: URL): Promise<FaultProxy> {
  let mode: ProxyMode = { kind: 'pass' };
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  const relay = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (mode.kind === 'latency') {
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, mode.ms);
      } else if (!to.destroyed) to.write(chunk);
    });
  };
  const server = net.createServer((client) => {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', end).on('close', end);
    // A black hole keeps the accepted socket open and silent: the client's TLS handshake never completes.
    if (mode.kind === 'half-open') return;
    const upstream = net.connect(Number(target.port), target.hostname);
    pair.upstream = upstream;
    upstream.on('error', end).on('close', end);
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    set(next) {
      mode = next;
      if (next.kind !== 'half-open') return;
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
    },
    connections: () => pairs.size,
    close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
      server.close();
    },
  };
}

/** Writes a copy of the kubeconfig at `path` whose clusters point at `server`; returns its path. */
export function kubeconfigVia(path: string, server: string): string {
  const doc = parse(readFileSync(path, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
  for (const c of doc.clusters) c.cluster.server = server;
  const out = join(mkdtempSync(join(tmpdir(), 'kube-reflect-proxy-')), 'kubeconfig');
  writeFileSync(out, stringify(doc));
  return out;
}
