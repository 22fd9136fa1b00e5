// The floor: a plain client making exactly the writes a scenario needs, at the concurrency fastest for this apiserver.
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS } from '../../kube/resource-type.ts';
import { parallel } from './pool.ts';

/** Concurrency levels the calibration tries. */
export const CONCURRENCY_LEVELS = [4, 8, 16, 32, 64] as const;

/**
 * Finds the write concurrency with the highest throughput on this apiserver right now: `perLevel` ConfigMap creates in
 * `namespace` at each level, best of two rounds. Returns the level and the writes per second it reached at each level.
 */
export async function calibrateConcurrency(
  client: KubeClient,
  namespace: string,
  perLevel = 200,
): Promise<{ best: number; rates: Record<number, number> }> {
  const rates: Record<number, number> = {};
  for (const round of [0, 1]) {
    for (const level of CONCURRENCY_LEVELS) {
      const names = Array.from({ length: perLevel }, (_, i) => `cal-${round}-${level}-${i}`);
      const t0 = performance.now();
      await parallel(names, level, (name) =>
        client.create(CONFIGMAPS, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
          data: { v: name },
        }),
      );
      const rate = perLevel / ((performance.now() - t0) / 1000);
      rates[level] = Math.max(rates[level] ?? 0, rate);
    }
  }
  const best = CONCURRENCY_LEVELS.reduce((a, b) => ((rates[b] ?? 0) > (rates[a] ?? 0) ? b : a));
  return { best, rates };
}

/** Runs the writes at the given concurrency and returns the milliseconds from the first write to the last answer. */
export async function timeWrites<T>(
  items: readonly T[],
  concurrency: number,
  write: (item: T) => Promise<unknown>,
): Promise<number> {
  const t0 = performance.now();
  await parallel(items, concurrency, write);
  return performance.now() - t0;
}
