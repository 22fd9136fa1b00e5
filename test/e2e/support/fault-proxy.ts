// A TCP proxy in front of the apiserver that injects network faults: half-open and frozen connections, added latency.
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
  | { kind: 'latency'; ms: number }
  /**
   * Every open connection goes silent for good, both ways, yet stays open (no FIN, no RST): a server that died behind
   * a load balancer or NAT that keeps the client's side. New connections pass.
   */
  | { kind: 'freeze' };

/** A running fault proxy. */
export interface FaultProxy {
  /** The https URL clients use instead of the apiserver's. */
  url: string;
  /** Switches the fault mode; entering half-open cuts the connections open now, entering freeze silences them. */
  set(mode: ProxyMode): void;
  /** Connections currently open through the proxy. */
  connections(): number;
  close(): void;
}

/** Starts a proxy to `target` (the apiserver's URL) on a free loopback port. */
export async function startFaultProxy(target: URL): Promise<FaultProxy> {
  let mode: ProxyMode = { kind: 'pass' };
  type Pair = { client: net.Socket; upstream?: net.Socket; frozen?: boolean };
  const pairs = new Set<Pair>();
  const relay = (pair: Pair, from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (pair.frozen) return;
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
    const pair: Pair = { client };
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
    relay(pair, client, upstream);
    relay(pair, upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    set(next) {
      mode = next;
      if (next.kind === 'freeze') for (const p of pairs) p.frozen = true;
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
