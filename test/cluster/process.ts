// Detached component processes: each in its own process group, logging to a file, outliving the starting process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts `bin` in a new process group with stdout and stderr appended to `log`; returns its PID. */
export function launch(bin: string, args: readonly string[], log: string): number {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => {}); // reported by the readiness wait through isAlive()
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** Sends `signal` to the process group led by `pid`, ignoring groups that are already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops a process group: SIGTERM, then SIGKILL if the leader is still alive after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 10_000): Promise<void> {
  if (graceMs > 0) signalGroup(pid, 'SIGTERM');
  for (const end = Date.now() + graceMs; Date.now() < end && isAlive(pid);) await sleep(50);
  signalGroup(pid, 'SIGKILL');
  for (const end = Date.now() + 2000; Date.now() < end && isAlive(pid);) await sleep(20);
}

/** The last `lines` lines of a log file, for error messages, without the flag dump kube components print first. */
export function logTail(path: string, lines = 30): string {
  if (!existsSync(path)) return `(no log at ${path})`;
  const all = readFileSync(path, 'utf8').trimEnd().split('\n');
  return all
    .filter((l) => !/\] FLAG: --/.test(l))
    .slice(-lines)
    .join('\n');
}

/** Polls `probe` until it returns true; fails fast with the log tail if the process dies, or after `timeoutMs`. */
export async function waitReady(
  what: string,
  pid: number,
  log: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(200)) {
    if (!isAlive(pid)) {
      await sleep(300); // the leader can be gone while its other threads still write the last error
      throw new Error(`${what} exited during start-up; last lines of ${log}:\n${logTail(log)}`);
    }
    if (await probe().catch(() => false)) return;
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s; last lines of ${log}:\n${logTail(log)}`);
}
