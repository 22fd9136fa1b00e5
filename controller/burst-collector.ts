// A fan-out's garbage (rendered mirrors, request bodies, answers, its own watch events) fills V8 pages that the heap
// keeps until V8's memory reducer runs, 8-20 s after the burst: one full collection when it is over gives them back.
import type { Cancel, Clock } from '../kube/clock.ts';

/** What a BurstCollector needs: how to collect, the clock its quiet period runs on, and what counts as a burst. */
export interface BurstCollectorOptions {
  /** A full garbage collection (`globalThis.gc` under `--expose-gc`). */
  collect: () => void;
  clock: Clock;
  /** Writes since the last collection that make a burst worth collecting after (default 100). */
  minWrites?: number;
  /** How long no reconcile must run before the burst counts as over (default 1 s). */
  quietMs?: number;
}

/**
 * Collects garbage once after each burst of writes: when at least `minWrites` were written and no reconcile has run
 * for `quietMs` (the watch events of our own writes come back after the plan, and reconcile again).
 */
export class BurstCollector {
  private writes = 0;
  private cancel: Cancel | undefined;

  constructor(private readonly options: BurstCollectorOptions) {}

  /** Notes one reconcile and the writes it made; postpones the collection while work goes on. */
  reconciled(writes: number): void {
    this.writes += writes;
    if (this.writes < (this.options.minWrites ?? 100)) return;
    this.cancel?.();
    this.cancel = this.options.clock.schedule(
      () => {
        this.cancel = undefined;
        this.writes = 0;
        this.options.collect();
      },
      this.options.quietMs ?? 1000,
      { background: true },
    );
  }

  /** Drops a pending collection (at shutdown). */
  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
