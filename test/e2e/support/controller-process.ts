/** Runs the bundled reflect-controller as a real process, for kill, restart and request-counting tests. */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = join(import.meta.dirname, '..', '..', '..');

/** Builds dist/bin/reflect-controller. */
export function buildController(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'reflect-controller'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

/** Returns a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A running controller process and its log lines. */
export interface ControllerProcess {
  child: ChildProcess;
  port: number;
  logs: Array<Record<string, unknown>>;
  ready(timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** The glibc malloc settings the chart and the image ship with the controller (docs/operations.md, Memory). */
export const CONTROLLER_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/**
 * Starts dist/bin/reflect-controller with a kubeconfig and extra flags, in the runtime environment the chart and the
 * image ship (CONTROLLER_ENV) plus `env`.
 */
export async function startControllerProcess(
  kubeconfig: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ControllerProcess> {
  const port = await freePort();
  const child = spawn(
    join(root, 'dist/bin/reflect-controller'),
    [
      '--kubeconfig',
      kubeconfig,
      '--health-probe-bind-address',
      `127.0.0.1:${port}`,
      '--metrics-bind-address',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...CONTROLLER_ENV, ...env } },
  );
  const logs: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stderr?.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const l of lines) {
      try {
        logs.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        logs.push({ msg: l });
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port,
    logs,
    async ready(timeoutMs = 30_000) {
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(50)) {
        if (child.exitCode !== null) throw new Error(`controller exited: ${JSON.stringify(logs.slice(-5))}`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
      }
      throw new Error('controller not ready in time');
    },
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
