// Kubernetes Events (events.k8s.io/v1) on objects, de-duplicated into series and rate-limited per object and globally.
import { randomBytes } from 'node:crypto';
import type { KubeClient } from './client.ts';
import { systemClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { isNotFound } from './errors.ts';
import { microTime } from './leader-election.ts';
import { EVENTS } from './resource-type.ts';

/** The object an Event is about (regarding) or related to. */
export interface EventObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

/** One Event to record. */
export interface EventInput {
  regarding: EventObjectRef;
  related?: EventObjectRef;
  type: 'Normal' | 'Warning';
  /** A stable UpperCamelCase code (TargetBlocked, PullDenied...). */
  reason: string;
  /** What the controller was doing (Reconcile, Write). */
  action: string;
  note: string;
}

/** What happened to one record() call, for metrics. */
export type EventOutcome = 'created' | 'updated' | 'suppressed' | 'throttled' | 'failed';

/** Settings of a recorder. */
export interface EventRecorderOptions {
  client: Pick<KubeClient, 'create' | 'mergePatch'>;
  /** reportingController, e.g. kube-reflect.io/controller. */
  controller: string;
  /** reportingInstance: this replica's identity. */
  instance: string;
  /** A repeat within this window only counts; the series is written at most once per window (default 60 s). */
  seriesWindowMs?: number;
  /** Per object: a burst, refilled at one token per this many ms (default 10, 1 per 5 min, like client-go). */
  perObjectBurst?: number;
  perObjectRefillMs?: number;
  /** All objects: a burst and refill (default 50, one per 100 ms). */
  globalBurst?: number;
  globalRefillMs?: number;
  /** Repeats are forgotten after this long (default 1 h), which bounds memory. */
  forgetAfterMs?: number;
  onOutcome?(input: EventInput, outcome: EventOutcome, error?: unknown): void;
  /** Times series windows and token buckets (default the system clock). */
  clock?: Clock;
}

interface Series {
  namespace: string;
  name: string;
  count: number;
  lastWriteAt: number;
  lastSeenAt: number;
}

/** A token bucket: `burst` tokens, one more every refillMs. */
class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.at) / this.refillMs);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The longest note the API server accepts, in bytes of UTF-8 (events.k8s.io/v1 validation counts bytes). */
export const NOTE_MAX_BYTES = 1024;

/** Returns the note cut to NOTE_MAX_BYTES of UTF-8, ending in "..." when cut, never inside a character. */
export function fitNote(note: string): string {
  if (Buffer.byteLength(note, 'utf8') <= NOTE_MAX_BYTES) return note;
  let bytes = 3;
  let end = 0;
  for (const char of note) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > NOTE_MAX_BYTES) break;
    bytes += size;
    end += char.length;
  }
  return `${note.slice(0, end)}...`;
}

/**
 * Records Events without flooding the API server: the same object, reason and note make one Event whose
 * `series.count` and `series.lastObservedTime` are updated (at most once per window); new Events and series updates
 * both spend a token from the object's bucket and the global bucket, and are dropped (counted as throttled) without one.
 * Writes are fire-and-forget: a failing events API never slows or fails a reconcile.
 */
export class EventRecorder {
  private readonly series = new Map<string, Series>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly global: Bucket;
  private readonly clock: Clock;
  private readonly pending = new Set<Promise<void>>();
  private sweptAt = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? systemClock;
    this.global = new Bucket(options.globalBurst ?? 50, options.globalRefillMs ?? 100, this.clock.now());
  }

  /** Records an Event (or counts a repeat); returns what it did. The write itself happens in the background. */
  record(input: EventInput): EventOutcome {
    const now = this.clock.now();
    this.forget(now);
    const note = fitNote(input.note);
    const r = input.regarding;
    const objectKey = `${r.apiVersion}|${r.kind}|${r.namespace}|${r.name}`;
    const key = `${objectKey}|${input.type}|${input.reason}|${note}`;
    const existing = this.series.get(key);
    if (existing !== undefined) {
      existing.count++;
      existing.lastSeenAt = now;
      if (now - existing.lastWriteAt < (this.options.seriesWindowMs ?? 60_000)) return this.done(input, 'suppressed');
      if (!this.allow(objectKey, now)) return this.done(input, 'throttled');
      existing.lastWriteAt = now;
      this.track(this.writeSeries(input, key, existing, now));
      return 'updated';
    }
    if (!this.allow(objectKey, now)) return this.done(input, 'throttled');
    const s: Series = {
      namespace: r.namespace,
      name: `${r.name}.${randomBytes(8).toString('hex')}`,
      count: 1,
      lastWriteAt: now,
      lastSeenAt: now,
    };
    this.series.set(key, s);
    this.track(this.create(input, note, s, now));
    return 'created';
  }

  /** Resolves when every write started so far has finished (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private allow(objectKey: string, now: number): boolean {
    let b = this.buckets.get(objectKey);
    if (b === undefined) {
      b = new Bucket(this.options.perObjectBurst ?? 10, this.options.perObjectRefillMs ?? 300_000, now);
      this.buckets.set(objectKey, b);
    }
    return b.take(now) && this.global.take(now);
  }

  private async create(input: EventInput, note: string, s: Series, now: number): Promise<void> {
    const { regarding, related } = input;
    const body = {
      metadata: { name: s.name, namespace: s.namespace },
      eventTime: microTime(now),
      reportingController: this.options.controller,
      reportingInstance: this.options.instance.slice(0, 128),
      action: input.action,
      reason: input.reason,
      type: input.type,
      note,
      regarding: objectReference(regarding),
      ...(related ? { related: objectReference(related) } : {}),
    };
    try {
      await this.options.client.create(EVENTS, body);
      this.options.onOutcome?.(input, 'created');
    } catch (err) {
      this.options.onOutcome?.(input, 'failed', err);
    }
  }

  private async writeSeries(input: EventInput, key: string, s: Series, now: number): Promise<void> {
    const count = s.count;
    try {
      await this.options.client.mergePatch(EVENTS, s.namespace, s.name, {
        series: { count, lastObservedTime: microTime(now) },
      });
      this.options.onOutcome?.(input, 'updated');
    } catch (err) {
      // The Event expired (the apiserver keeps them for an hour by default): the next repeat starts a new one.
      if (isNotFound(err)) this.series.delete(key);
      this.options.onOutcome?.(input, 'failed', err);
    }
  }

  private forget(now: number): void {
    // A sweep at most once a minute keeps record() cheap.
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    const ttl = this.options.forgetAfterMs ?? 3_600_000;
    for (const [k, s] of this.series) if (now - s.lastSeenAt > ttl) this.series.delete(k);
    // A full bucket is the same as no bucket, so idle objects can go.
    if (this.buckets.size > 10_000) this.buckets.clear();
  }

  private done(input: EventInput, outcome: EventOutcome): EventOutcome {
    this.options.onOutcome?.(input, outcome);
    return outcome;
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}

function objectReference(ref: EventObjectRef): Record<string, string> {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    ...(ref.uid ? { uid: ref.uid } : {}),
  };
}
