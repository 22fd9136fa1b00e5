// What our own writes returned, used until the watch catches up, so a stale cache never makes us write twice.

/** The metadata the overlay compares. */
interface Versioned {
  metadata?: { resourceVersion?: string };
}

/**
 * Like client-go's mutation cache: after a write, the object the API server returned is newer than the informer's
 * copy until the watch event arrives. `pick` prefers the written copy until the cache holds that resourceVersion or
 * a later one (or the entry is older than `ttlMs`, a safety net for a missed event).
 */
export class WriteOverlay<T extends Versioned> {
  private readonly entries = new Map<string, { obj: T | null; at: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers what a write returned (null: we deleted it). */
  remember(key: string, obj: T | null): void {
    this.entries.set(key, { obj, at: this.now() });
  }

  /** Called with every object the watch delivers; drops the entry once the cache has caught up. */
  observe(key: string, cached: T | undefined): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    if (cached === undefined || e.obj === null || !olderThan(cached, e.obj)) this.entries.delete(key);
  }

  /** Returns the freshest known state of a key: our write if the cache has not seen it yet, else the cached object. */
  pick(key: string, cached: T | undefined): T | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return cached;
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return cached;
    }
    if (e.obj === null) return cached === undefined ? undefined : cached;
    if (cached !== undefined && !olderThan(cached, e.obj)) {
      this.entries.delete(key);
      return cached;
    }
    return e.obj;
  }

  /** Number of entries (for tests). */
  get size(): number {
    return this.entries.size;
  }
}

/** True when a's resourceVersion is known to be older than b's (etcd revisions are integers; unknown → not older). */
function olderThan(a: Versioned, b: Versioned): boolean {
  const x = a.metadata?.resourceVersion;
  const y = b.metadata?.resourceVersion;
  if (!x || !y || !/^\d+$/.test(x) || !/^\d+$/.test(y)) return false;
  return BigInt(x) < BigInt(y);
}
