// The one clock the long-running parts (informer, leader election, backoff, work queue, Event recorder) read and
// schedule on, so their tests run on kube/test-support/fake-clock.ts instead of sleeping (client-go's clock.Clock).

/** Cancels a scheduled callback; calling it after the callback ran, or twice, does nothing. */
export type Cancel = () => void;

/** Wall time and timers, injected wherever behaviour depends on time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms milliseconds; a background timer does not keep the process alive on its own. */
  schedule(fn: () => void, ms: number, options?: { background?: boolean }): Cancel;
}

/** The process's real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(fn, ms, options) {
    const t = setTimeout(fn, ms);
    if (options?.background) t.unref();
    return () => clearTimeout(t);
  },
};

/** Resolves after ms on the clock, or as soon as signal aborts: true if the time elapsed, false if aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      cancel();
      resolve(false);
    };
    const cancel = clock.schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
