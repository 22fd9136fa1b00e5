// A reflector + cache that never gives up: LIST, WATCH with bookmarks, relist on 410, backoff on anything else.
import { Backoff } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import { sleep, systemClock } from './clock.ts';
import type { Cancel, Clock } from './clock.ts';
import type { ListProgress } from './client.ts';
import type { ClusterReader } from './cluster-port.ts';
import { isGone, KubeApiError } from './errors.ts';
import { resourceLabel } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';
import { objectKey, ObjectStore } from './store.ts';
import type { StoredObject } from './store.ts';
import type { WatchEvent } from './watch.ts';

/**
 * Callbacks for cache changes; they run synchronously and must not block (hand work to a queue). `key` is the very
 * string the cache holds the object under: an index keyed the same way can keep it instead of a copy.
 */
export interface InformerHandlers<T> {
  onAdd?(obj: T, key: string): void;
  onUpdate?(obj: T, old: T, key: string): void;
  /**
   * For objects that vanished during a gap, obj is the last state we saw and `listedAt` the resourceVersion of the
   * list that no longer has the key: nothing existed under it then, whatever the cache saw last.
   */
  onDelete?(obj: T, key: string, listedAt?: string): void;
  /** After the first complete list has been applied to the store. */
  onSynced?(): void;
  /** Every failure the informer recovers from (for logs); the informer keeps running. */
  onError?(err: unknown): void;
  /**
   * The watchdog aborted a watch that delivered nothing, not even a bookmark, for `silentMs` (a stream dead behind a
   * half-open connection, or a server that stopped sending); the informer reconnects from its resourceVersion at once.
   */
  onWatchdog?(silentMs: number): void;
}

/** Options for an informer. */
export interface InformerOptions<T> extends InformerHandlers<T> {
  /** Watch one namespace; omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** List and watch PartialObjectMetadata only, so the cache holds no Secret payloads. */
  metadataOnly?: boolean;
  /** Slims each object before it is cached and handed to handlers (drop managedFields, payloads, …) to save memory. */
  transform?: (obj: T) => T;
  /** List page size (default 500). */
  pageSize?: number;
  /** Called after each page of a list (the first one and any relist), for progress lines. */
  onListPage?: (progress: ListProgress) => void;
  /**
   * Server-side watch timeout, drawn from [min, max] seconds (default 50–70) to spread reconnects: the apiserver ends
   * every healthy watch within a minute or so, so one still open and silent past the watchdog is dead.
   */
  watchTimeoutSeconds?: { min: number; max: number };
  /** Abort and reconnect a watch that delivers nothing, not even a bookmark, for this long (default 80 s). */
  watchdogMs?: number;
  backoff?: Omit<BackoffOptions, 'clock' | 'random'>;
  /** The watchdog, backoff sleeps and health times run on it (default the system clock; tests pass a FakeClock). */
  clock?: Clock;
  random?: () => number;
}

/** What an informer reports for /healthz, /readyz and metrics. */
export interface InformerHealth {
  /** The first full list has been applied. */
  synced: boolean;
  /** Nothing (data, bookmark, successful list or watch opening) for longer than watchdogMs. */
  stale: boolean;
  /** A watch stream is open (the apiserver answered 200) right now. */
  watching: boolean;
  /** When the last event or bookmark arrived (ms since epoch), if any. */
  lastEventAt: number | undefined;
  resourceVersion: string;
  /** Watches restarted after an error (not counting normal server-side timeouts). */
  restarts: number;
  /** Lists after the first one (each follows a 410 Gone). */
  relists: number;
  /** Watches the watchdog aborted for silence. */
  watchdogTimeouts: number;
  lastError: string | undefined;
}

/**
 * Default server-side watch timeout range: short, because it is what makes a quiet watch speak. The apiserver's
 * minute bookmarks skip a watch whose resource changed nowhere since it opened (measured on 1.33: a cluster-wide
 * Secret watch on a quiet cluster got none in 200 s), but it ends every watch at its timeout.
 */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = { min: 50, max: 70 } as const;

/**
 * Default watchdog: longer than the longest server-side timeout (70 s), so a healthy watch always ends or speaks
 * first, and shorter than the soak's 90 s bound on a mirror's lag, which a watch dead behind a half-open connection
 * (no FIN, no RST, no bytes) would otherwise exceed.
 */
export const DEFAULT_WATCHDOG_MS = 80_000;

/** Keeps an ObjectStore in sync with one resource type, forever, until stop(). */
export class Informer<T extends StoredObject = StoredObject> {
  /** The cache; read it freely, never mutate it. */
  readonly store = new ObjectStore<T>();
  private readonly client: ClusterReader;
  private readonly type: ResourceType;
  private readonly options: InformerOptions<T>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly watchdogMs: number;
  private readonly backoff: Backoff;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  private watchAbort: AbortController | undefined;
  private streamOpen = false;
  private rv = '';
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private lastActivityAt: number;
  private lastEventAt: number | undefined;
  private restarts = 0;
  private relists = 0;
  private lists = 0;
  private watchdogTimeouts = 0;
  private lastError: string | undefined;
  private forcedResourceVersion: string | undefined;

  /** Creates an informer; nothing happens until start(). */
  constructor(client: ClusterReader, type: ResourceType, options: InformerOptions<T> = {}) {
    this.client = client;
    this.type = type;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.backoff = new Backoff({ ...options.backoff, clock: this.clock, random: this.random });
    this.lastActivityAt = this.clock.now();
  }

  /** Starts listing and watching in the background (idempotent). */
  start(): this {
    if (!this.running && !this.stopController.signal.aborted) {
      this.lastActivityAt = this.clock.now();
      this.running = this.run();
    }
    return this;
  }

  /** Aborts in-flight requests and resolves once the loop has exited; the informer cannot be restarted. */
  async stop(): Promise<void> {
    this.stopController.abort(new Error('informer stopped'));
    await this.running;
  }

  /** Resolves after the first full list has been applied (or rejects if the informer is stopped first). */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (this.stopController.signal.aborted) {
        reject(new Error('informer stopped before sync'));
        return;
      }
      this.syncWaiters.push(resolve);
      this.stopController.signal.addEventListener('abort', () => reject(new Error('informer stopped before sync')), {
        once: true,
      });
    });
  }

  /** Returns the current health snapshot. */
  health(): InformerHealth {
    return {
      synced: this.synced,
      stale: this.clock.now() - this.lastActivityAt > this.watchdogMs,
      watching: this.streamOpen,
      lastEventAt: this.lastEventAt,
      resourceVersion: this.rv,
      restarts: this.restarts,
      relists: this.relists,
      watchdogTimeouts: this.watchdogTimeouts,
      lastError: this.lastError,
    };
  }

  /** Drops the current watch and reconnects, optionally from another resourceVersion (diagnostics and tests of the 410 path). */
  reconnect(fromResourceVersion?: string): void {
    this.forcedResourceVersion = fromResourceVersion;
    this.watchAbort?.abort(new KubeApiError(this.target(), 0, 'Reconnect', 'reconnect requested'));
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let needList = true;
    let lastListAt = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      try {
        if (needList) {
          // A relist right after another one means the 410s are not going away; pace them with the backoff.
          // A failed list has had its backoff in the catch below; only successful ones count here.
          if (this.clock.now() - lastListAt < 1000) await this.sleep(this.backoff.next());
          await this.listAndSync();
          lastListAt = this.clock.now();
          needList = false;
        }
        const started = this.clock.now();
        const events = await this.watch();
        // A watch the server ends at once with nothing in it is a failure in disguise; don't spin on it.
        if (events === 0 && this.clock.now() - started < 1000) await this.sleep(this.backoff.next());
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof KubeApiError && err.reason === 'Reconnect') continue;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.report(err);
        if (isGone(err)) {
          needList = true;
          continue;
        }
        // The server should have ended the watch (timeoutSeconds) before the watchdog: the stream was dead, so reconnect
        // at once (counted in watchdogTimeouts), no backoff.
        if (err instanceof KubeApiError && err.reason === 'WatchdogTimeout') continue;
        this.restarts++;
        try {
          await this.sleep(this.backoff.next());
        } catch {
          break;
        }
      }
    }
    // Let waitForSync callers go: they were rejected by the abort listener.
    this.syncWaiters = [];
  }

  private async listAndSync(): Promise<void> {
    const { items, resourceVersion } = await this.client.list<T>(this.type, {
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
      ...(this.options.pageSize ? { limit: this.options.pageSize } : {}),
      metadataOnly: this.options.metadataOnly ?? false,
      ...(this.options.transform ? { transform: this.options.transform } : {}),
      ...(this.options.onListPage ? { onPage: this.options.onListPage } : {}),
      signal: this.stopController.signal,
    });
    this.lists++;
    if (this.lists > 1) this.relists++;
    this.rv = resourceVersion;
    this.forcedResourceVersion = undefined;
    this.lastActivityAt = this.clock.now();
    const diff = this.store.replace(items);
    for (const { key, obj } of diff.deleted) this.safe(() => this.options.onDelete?.(obj, key, resourceVersion));
    for (const { key, obj } of diff.added) this.safe(() => this.options.onAdd?.(obj, key));
    for (const { key, obj, old } of diff.modified) this.safe(() => this.options.onUpdate?.(obj, old, key));
    if (!this.synced) {
      this.synced = true;
      this.safe(() => this.options.onSynced?.());
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private async watch(): Promise<number> {
    const abort = new AbortController();
    const onStop = (): void => abort.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop, { once: true });
    this.watchAbort = abort;
    const { min, max } = this.options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
    const timeoutSeconds = Math.floor(min + this.random() * (max - min + 1));
    let disarm: Cancel | undefined;
    const arm = (): void => {
      disarm?.();
      disarm = this.clock.schedule(() => {
        this.watchdogTimeouts++;
        const silentMs = this.clock.now() - this.lastActivityAt;
        this.safe(() => this.options.onWatchdog?.(silentMs));
        abort.abort(new KubeApiError(this.target(), 0, 'WatchdogTimeout', `no data or bookmark for ${silentMs} ms`));
      }, this.watchdogMs);
    };
    const from = this.forcedResourceVersion ?? this.rv;
    this.forcedResourceVersion = undefined;
    try {
      arm();
      return await this.client.watch<T>(
        this.type,
        {
          ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
          ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
          ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
          metadataOnly: this.options.metadataOnly ?? false,
          resourceVersion: from,
          timeoutSeconds,
          signal: abort.signal,
          onOpen: () => {
            this.streamOpen = true;
            this.lastActivityAt = this.clock.now();
          },
          onActivity: () => {
            this.lastActivityAt = this.clock.now();
            // Re-arming per chunk is cheap next to parsing the chunk, and keeps the logic obvious.
            arm();
          },
        },
        (ev) => this.apply(ev),
      );
    } catch (err) {
      // The abort reason (watchdog, reconnect) explains the failure better than the socket error it caused.
      const reason: unknown = abort.signal.reason;
      if (abort.signal.aborted && reason instanceof KubeApiError) throw reason;
      throw err;
    } finally {
      disarm?.();
      this.stopController.signal.removeEventListener('abort', onStop);
      this.watchAbort = undefined;
      this.streamOpen = false;
    }
  }

  private apply(raw: WatchEvent<T>): void {
    const ev =
      this.options.transform && raw.type !== 'BOOKMARK' ? { ...raw, object: this.options.transform(raw.object) } : raw;
    const rv = ev.object.metadata?.resourceVersion;
    if (rv) this.rv = rv;
    this.lastEventAt = this.clock.now();
    switch (ev.type) {
      case 'BOOKMARK':
        return;
      case 'ADDED':
      case 'MODIFIED': {
        const key = objectKey(ev.object);
        const old = this.store.upsert(ev.object, key);
        if (old) this.safe(() => this.options.onUpdate?.(ev.object, old, key));
        else this.safe(() => this.options.onAdd?.(ev.object, key));
        return;
      }
      case 'DELETED': {
        const key = objectKey(ev.object);
        this.store.remove(ev.object, key);
        this.safe(() => this.options.onDelete?.(ev.object, key));
        return;
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (!(await sleep(this.clock, ms, this.stopController.signal))) throw new Error('informer stopped');
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A throwing handler must not break the watch loop; report it and carry on.
      this.report(err);
    }
  }

  private report(err: unknown): void {
    try {
      this.options.onError?.(err);
    } catch {
      // Nothing sensible is left to do with an error from the error handler.
    }
  }

  private target(): { verb: string; resource: string } {
    return { verb: 'watch', resource: resourceLabel(this.type) };
  }
}
