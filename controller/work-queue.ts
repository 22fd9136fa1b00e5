// A de-duplicating work queue keyed by source, with per-key backoff, like client-go's rate-limited workqueue.
import { sleep, systemClock } from '../kube/clock.ts';
import type { Cancel, Clock } from '../kube/clock.ts';

/** What processing one key returned: done, or retry after a backoff. */
export type ProcessResult = 'done' | 'retry';

/** Options of a work queue. */
export interface WorkQueueOptions {
  workers: number;
  process(key: string): Promise<ProcessResult>;
  /** First retry delay (default 50 ms), doubled each failure up to maxDelayMs (default 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?(key: string, err: unknown): void;
  /**
   * The group of a key (default: the key itself): keys of one group are never processed at once. The controller groups
   * a source's whole key with its focused keys, whose writes would otherwise race from two views of the world.
   */
  groupOf?(key: string): string;
  /** Times queue latency, retry delays and the shutdown deadline (default the system clock; tests pass a FakeClock). */
  clock?: Clock;
  /** Random numbers in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
}

/** Counters and gauges of a queue, for metrics. */
export interface QueueStats {
  depth: number;
  inFlight: number;
  retries: number;
  processed: number;
}

/**
 * Keys are queued at most once; a key added while it is being processed is processed again afterwards, never
 * concurrently, and neither is any other key of its group. Failed keys come back after a growing, per-key delay.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Groups with a key in flight, and the keys of each taken from the queue meanwhile, in queue order. */
  private readonly busy = new Set<string>();
  private readonly held = new Map<string, string[]>();
  private heldCount = 0;
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Cancel>();
  private readonly addedAt = new Map<string, number>();
  private readonly waiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;
  private running: Promise<void>[] = [];
  private retries = 0;
  private processed = 0;
  /** Observes how long each key waited in the queue, in milliseconds. */
  onLatency: ((ms: number) => void) | undefined;

  private readonly clock: Clock;

  constructor(private readonly options: WorkQueueOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Adds a key unless it is already queued; if it is being processed, it runs again afterwards. */
  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const cancel = this.delayed.get(key);
    if (cancel !== undefined) {
      cancel();
      this.delayed.delete(key);
    }
    this.queued.add(key);
    this.queue.push(key);
    this.addedAt.set(key, this.clock.now());
    this.waiters.shift()?.();
  }

  /** Starts the workers. */
  start(): void {
    for (let i = 0; i < this.options.workers; i++) this.running.push(this.worker());
  }

  /** The queue's current numbers. */
  stats(): QueueStats {
    return {
      depth: this.queue.length + this.heldCount + this.delayed.size,
      inFlight: this.processing.size,
      retries: this.retries,
      processed: this.processed,
    };
  }

  /** Resolves when nothing is queued, delayed or in flight. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking keys and waits for in-flight work, at most `timeoutMs`. */
  async shutdown(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.held.clear();
    this.heldCount = 0;
    for (const w of this.waiters.splice(0)) w();
    const deadline = new AbortController();
    const timeout = sleep(this.clock, timeoutMs, deadline.signal).then(() => false);
    const done = Promise.all(this.running).then(() => true);
    const finished = await Promise.race([done, timeout]);
    deadline.abort();
    return finished;
  }

  private isIdle(): boolean {
    // Held keys wait for a key in flight, so processing is not empty while there are any.
    return this.queue.length === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  private groupOf(key: string): string {
    return this.options.groupOf?.(key) ?? key;
  }

  private async next(): Promise<string | undefined> {
    while (!this.stopped) {
      const key = this.queue.shift();
      if (key !== undefined) {
        const group = this.groupOf(key);
        if (this.busy.has(group)) {
          // Still queued (an add() of it changes nothing): it goes back to the front when its group's key is done.
          const held = this.held.get(group);
          if (held === undefined) this.held.set(group, [key]);
          else held.push(key);
          this.heldCount++;
          continue;
        }
        // Marked as processing before the await that hands it to the worker: an add() in between must see it.
        this.queued.delete(key);
        this.processing.add(key);
        this.busy.add(group);
        return key;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return undefined;
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.next();
      if (key === undefined) return;
      const added = this.addedAt.get(key);
      this.addedAt.delete(key);
      if (added !== undefined) this.onLatency?.(this.clock.now() - added);
      let result: ProcessResult = 'retry';
      try {
        result = await this.options.process(key);
      } catch (err) {
        this.options.onError?.(key, err);
      }
      this.processing.delete(key);
      this.release(key);
      this.processed++;
      if (result === 'done') this.failures.delete(key);
      else this.retryLater(key);
      if (this.dirty.delete(key)) this.add(key);
      if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Ends a key's hold on its group; the keys of the group held meanwhile go back to the front, in their order. */
  private release(key: string): void {
    const group = this.groupOf(key);
    this.busy.delete(group);
    const held = this.held.get(group);
    if (held === undefined) return;
    this.held.delete(group);
    this.heldCount -= held.length;
    // The worker that released them asks for its next key right after.
    this.queue.unshift(...held);
  }

  private retryLater(key: string): void {
    if (this.stopped) return;
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.retries++;
    const base = this.options.baseDelayMs ?? 50;
    const delay = Math.min(base * 2 ** (n - 1), this.options.maxDelayMs ?? 60_000);
    // Jitter spreads retries of many keys that failed together (an apiserver restart).
    const jittered = delay * (0.8 + (this.options.random ?? Math.random)() * 0.4);
    this.delayed.set(
      key,
      this.clock.schedule(() => {
        this.delayed.delete(key);
        this.add(key);
      }, jittered),
    );
  }
}
