// A manual clock for unit tests: time moves only when the test advances it, and every timer due on the way fires in
// order, with the promise work it starts run to completion before the next one (client-go's fake clock).
import type { Cancel, Clock } from '../clock.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets queued promise callbacks and immediates run; a fake API server answers within a few such turns. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A Clock whose time is set by the test; nothing fires until advance(). */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();
  /** Every delay ever scheduled, in order (what the code asked to wait, to assert backoff without timing). */
  readonly scheduled: number[] = [];

  /** Starts at the given time (default 2026-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  /** The fake time in milliseconds since the epoch. */
  now(): number {
    return this.t;
  }

  /** Queues fn to run when the time reaches now + ms. */
  schedule(fn: () => void, ms: number): Cancel {
    const id = ++this.seq;
    const delay = Math.max(0, ms);
    this.scheduled.push(delay);
    this.timers.set(id, { id, at: this.t + delay, fn });
    return () => void this.timers.delete(id);
  }

  /** Delays from now of the timers still pending, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b);
  }

  /** Moves time forward by ms, firing each due timer at its own time and settling the work it starts. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let next: Timer | undefined;
      for (const x of this.timers.values()) if (x.at <= end && (next === undefined || x.at < next.at)) next = x;
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.t = next.at;
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }

  /** Advances in steps of stepMs until check() holds; returns the fake time that took, or throws after maxMs. */
  async until(what: string, check: () => boolean, { stepMs = 10, maxMs = 60_000 } = {}): Promise<number> {
    const start = this.t;
    await settle();
    while (!check()) {
      if (this.t - start >= maxMs) throw new Error(`${what}: not reached within ${maxMs} ms of fake time`);
      await this.advance(stepMs);
    }
    return this.t - start;
  }
}
