// Several informers of one resource seen as one (namespaced mode runs one per watched namespace).
import type { Informer, InformerHealth } from '../kube/informer.ts';
import type { StoredObject } from '../kube/store.ts';

/** The read side of the union of the group's caches. */
export interface GroupStore<T> {
  list(): T[];
  readonly size: number;
  /** Grows with every change to any of the caches (see ObjectStore.generation). */
  readonly generation: number;
}

/** Starts, syncs, stops and reports a set of informers as one; their caches never overlap. */
export class InformerGroup<T extends StoredObject = StoredObject> {
  /** The union of the caches. */
  readonly store: GroupStore<T>;

  constructor(readonly informers: readonly Informer<T>[]) {
    this.store = {
      list: () => informers.flatMap((i) => i.store.list()),
      get size() {
        return informers.reduce((n, i) => n + i.store.size, 0);
      },
      get generation() {
        return informers.reduce((n, i) => n + i.store.generation, 0);
      },
    };
  }

  /** Starts every informer. */
  start(): this {
    for (const i of this.informers) i.start();
    return this;
  }

  /** Resolves once every informer has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.waitForSync()));
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  /** Reconnects every watch (fault tests). */
  reconnect(fromResourceVersion?: string): void {
    for (const i of this.informers) i.reconnect(fromResourceVersion);
  }

  /** One health for the group: synced and watching only if all are, stale if any is, counters summed, oldest event. */
  health(): InformerHealth {
    const hs = this.informers.map((i) => i.health());
    if (hs.length === 1 && hs[0] !== undefined) return hs[0];
    const events = hs.map((h) => h.lastEventAt);
    return {
      synced: hs.every((h) => h.synced),
      stale: hs.some((h) => h.stale),
      watching: hs.every((h) => h.watching),
      lastEventAt: events.includes(undefined) ? undefined : Math.min(...(events as number[])),
      resourceVersion: hs.map((h) => h.resourceVersion).join(','),
      restarts: hs.reduce((n, h) => n + h.restarts, 0),
      relists: hs.reduce((n, h) => n + h.relists, 0),
      watchdogTimeouts: hs.reduce((n, h) => n + h.watchdogTimeouts, 0),
      lastError: hs.find((h) => h.lastError !== undefined)?.lastError,
    };
  }
}
