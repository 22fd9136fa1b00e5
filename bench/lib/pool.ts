// Small helpers the benchmarks share: a bounded-concurrency loop, percentiles and process statistics from /proc.
import { readFileSync } from 'node:fs';

/** Runs fn over items with at most n calls in flight; resolves when all are done (the first error rejects). */
export async function parallel<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

/** The p-th percentile (nearest rank) of values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Resident memory (MiB) and CPU time (utime + stime, seconds) of a process. */
export function procStat(pid: number): { rssMiB: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields of the whole line.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMiB: rssKb / 1024, cpuSeconds: ticks / 100 };
}

/** The 1-minute load average, to print beside figures taken on a shared machine. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Samples a process's RSS every intervalMs until stopped; returns the samples (seconds since start, MiB). */
export function sampleRss(pid: number, intervalMs = 500): { stop(): Array<{ t: number; rssMiB: number }> } {
  const t0 = performance.now();
  const samples: Array<{ t: number; rssMiB: number }> = [];
  const take = () => {
    try {
      samples.push({ t: (performance.now() - t0) / 1000, rssMiB: procStat(pid).rssMiB });
    } catch {
      // The process is gone; the samples so far stand.
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
