// Timing one command: ms to its first stdout byte and to its exit, and its CPU seconds (user + sys, from GNU time),
// so a figure taken on a busy machine can be read beside the CPU it cost. Shared by bench/plugin/run.ts and fake.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one run of a command took. */
export interface Timed {
  /** ms to the first byte on stdout (NaN if none). */
  first: number;
  /** ms to exit. */
  total: number;
  /** CPU seconds, user + sys (NaN without /usr/bin/time). */
  cpu: number;
  code: number | null;
  stdout: string;
}

/** Runs cmd under /usr/bin/time; kills it (and says so in code: null) after timeoutMs. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'kr-bench-'));
  const timeFile = join(dir, 'time');
  return new Promise((resolve) => {
    const start = performance.now();
    let first = NaN;
    const chunks: Buffer[] = [];
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (Number.isNaN(first)) first = performance.now() - start;
      chunks.push(c);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let cpu = NaN;
      try {
        const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(/\s+/).map(Number) ?? [];
        cpu = (u ?? NaN) + (s ?? NaN);
      } catch {
        // No time file: the command was killed, or GNU time is missing.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ first, total: performance.now() - start, cpu, code, stdout: Buffer.concat(chunks).toString() });
    });
  });
}

/** The median of some numbers (NaN for none). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
}

/** "median 120 ms (min 100, max 180)". */
export function stats(xs: readonly number[], unit = 'ms', digits = 0): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number | undefined) => (x ?? NaN).toFixed(digits);
  return `median ${f(median(s))} ${unit} (min ${f(s[0])}, max ${f(s[s.length - 1])})`;
}

/** Terminal control sequences (CSI, OSC) and carriage returns, which stand between a screen's bytes and its text. */
// eslint-disable-next-line no-control-regex -- matching control sequences is the point.
const CONTROL = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r/g;

/**
 * Runs a shell command on a pseudo-terminal of cols × rows (util-linux `script`, no terminal emulator between) and
 * resolves with the ms until its output, stripped of control sequences, matches each pattern (NaN if it never did
 * within timeoutMs). `script`, sh and stty add about 5 ms to the start, measured with `true`.
 */
export function timeOnTerminal(
  command: string,
  patterns: readonly RegExp[],
  env: NodeJS.ProcessEnv,
  { cols = 120, rows = 40, timeoutMs = 120_000 } = {},
): Promise<number[]> {
  return new Promise((resolve) => {
    const start = performance.now();
    const at = patterns.map(() => NaN);
    let text = '';
    const child = spawn('script', ['-qfec', `stty cols ${cols} rows ${rows} && exec ${command}`, '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    const done = () => {
      clearTimeout(timer);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      resolve(at);
    };
    const timer = setTimeout(done, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      const now = performance.now() - start;
      text += c.toString('utf8').replace(CONTROL, '');
      patterns.forEach((p, i) => {
        if (Number.isNaN(at[i]) && p.test(text)) at[i] = now;
      });
      if (at.every((t) => !Number.isNaN(t))) done();
    });
    child.on('close', done);
  });
}
