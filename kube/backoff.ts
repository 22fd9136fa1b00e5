// Jittered exponential backoff that resets after a healthy period, as client-go's reflector does.
import { systemClock } from './clock.ts';
import type { Clock } from './clock.ts';

/** Options for Backoff; the clock and random source are injectable for tests. */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay to randomise: the delay d becomes a value in (d × (1 − jitter), d]. */
  jitter?: number;
  /** After this long without a failure, the next failure starts again from initialMs. */
  resetAfterMs?: number;
  /** Reads the time of each failure, to know when the health period has passed. */
  clock?: Clock;
  random?: () => number;
}

/** Computes retry delays: initialMs × factor^n capped at maxMs, with jitter, reset after resetAfterMs of health. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private current = 0;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  /** Creates a backoff with defaults 200 ms → 30 s, factor 2, jitter 0.5, reset after 60 s. */
  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 200;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.resetAfterMs = options.resetAfterMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  next(): number {
    const now = this.clock.now();
    if (this.current === 0 || now - this.lastFailureAt >= this.resetAfterMs) this.current = this.initialMs;
    else this.current = Math.min(this.maxMs, this.current * this.factor);
    this.lastFailureAt = now;
    // Jitter spreads reconnects of many replicas after an apiserver restart instead of a thundering herd.
    return Math.round(this.current * (1 - this.jitter * this.random()));
  }

  /** Forgets past failures, e.g. after a successful list. */
  reset(): void {
    this.current = 0;
  }
}
