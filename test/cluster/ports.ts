// Free loopback TCP ports for the control-plane components.
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Asks the kernel for a free port on 127.0.0.1 and releases it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Returns `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) out.add(await freePort());
  return [...out];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Waits until `port` on 127.0.0.1 can be bound again (a killed process may hold it for a moment while it exits). */
export async function waitPortFree(port: number, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await canBind(port)); await sleep(100)) {
    if (Date.now() > end) throw new Error(`port ${port} still in use after ${timeoutMs / 1000}s`);
  }
}
