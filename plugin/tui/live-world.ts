// A world kept current by informers over full objects; its own module, so its lists start before Ink loads.
import type { KubeObject, World } from '../../core/index.ts';
import type { ListProgress } from '../../kube/client.ts';
import { Informer } from '../../kube/informer.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { worldOf } from '../../kube/world.ts';
import type { NamespaceObject } from '../../kube/world.ts';
import type { Session } from '../session.ts';

/** Objects per page of the first lists: the screen's "reading N/M" line moves once per page. */
export const LIVE_PAGE_SIZE = 5000;

/** A world kept current by informers; subscribers hear about changes and list progress, at most every 200 ms. */
export class LiveWorld {
  private readonly namespaces: Informer<NamespaceObject>;
  private readonly kinds: Informer<KubeObject & { metadata: { name: string } }>[];
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private isSynced = false;
  /** The last error an informer recovered from (it keeps retrying), for the screen to show. */
  lastError: string | undefined;

  constructor(private readonly session: Session) {
    const changed = () => this.changed();
    const onError = (err: unknown) => {
      this.lastError = err instanceof Error ? err.message : String(err);
      for (const fn of this.listeners) fn();
    };
    const handlers = { onAdd: changed, onUpdate: changed, onDelete: changed, onError };
    const paged = (i: number) => ({
      ...handlers,
      pageSize: LIVE_PAGE_SIZE,
      onListPage: (p: ListProgress) => this.paged(i, p),
    });
    this.namespaces = new Informer<NamespaceObject>(session.client, NAMESPACES, paged(0));
    this.kinds = session.types.map(
      (t, i) => new Informer<KubeObject & { metadata: { name: string } }>(session.client, t, paged(i + 1)),
    );
    this.pages = [NAMESPACES, ...session.types].map(() => ({ read: 0 }));
  }

  /** Each list's last page: objects read and what the server said remains. */
  private readonly pages: ListProgress[];

  /** How far the first lists have got: objects read, and how many there are once every list has said. */
  progress(): { read: number; total?: number } {
    let read = 0;
    let total: number | undefined = 0;
    for (const p of this.pages) {
      read += p.read;
      total = total === undefined || p.remaining === undefined ? undefined : total + p.read + p.remaining;
    }
    return total === undefined ? { read } : { read, total };
  }

  private paged(i: number, progress: ListProgress): void {
    if (this.isSynced) return;
    this.pages[i] = progress;
    this.notify();
  }

  private started: Promise<void> | undefined;
  /** The namespace read in flight, if any: the cluster-wide lists wait for it (see start). */
  private firstRead: Promise<unknown> = Promise.resolve();

  /**
   * Starts the informers (once), after any namespace read has answered, and resolves when every cache holds its first
   * list.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      // Started together, the cluster-wide lists (megabytes of Secrets) slow the namespace's small read several times
      // over, on the API server and on our one thread: its answer is what the screen shows first, so it goes alone.
      await this.firstRead;
      this.namespaces.start();
      for (const k of this.kinds) k.start();
      await Promise.all([this.namespaces.waitForSync(), ...this.kinds.map((k) => k.waitForSync())]);
      this.isSynced = true;
    })();
    return this.started;
  }

  /**
   * Lists the objects of one namespace, of every kind (a few requests, answered long before the cluster-wide lists),
   * so the screen can show that namespace's sources while the rest is read; [] when that fails (the lists will say).
   * Called before start(), it is read alone: the cluster-wide lists begin once it has answered.
   */
  readNamespace(namespace: string): Promise<KubeObject[]> {
    const read = this.listNamespace(namespace);
    this.firstRead = read;
    return read;
  }

  private async listNamespace(namespace: string): Promise<KubeObject[]> {
    try {
      const lists = await Promise.all(
        this.session.types.map((t) => this.session.client.list<KubeObject>(t, { namespace, limit: LIVE_PAGE_SIZE })),
      );
      return lists.flatMap((l, i) => l.items.map((o) => (o.kind ? o : { ...o, kind: this.session.types[i]!.kind })));
    } catch {
      return [];
    }
  }

  /** True once every cache holds its first list (before, world() is partial and progress() says how far). */
  get synced(): boolean {
    return this.isSynced;
  }

  /** Returns the cached world, limited to --within namespaces (assembled as every one-shot read is). */
  world(): World {
    return worldOf(
      this.namespaces.store.list(),
      this.kinds.map((k, i) => ({ type: this.session.types[i]!, items: k.store.list() })),
      this.session.within,
    );
  }

  /** Calls fn after changes (at most every 200 ms); returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.lastError = undefined;
    // The first list fires one event per object; start() hands over the synced world in one piece instead.
    if (!this.isSynced) return;
    this.notify();
  }

  private notify(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const fn of this.listeners) fn();
    }, 200);
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([this.namespaces.stop(), ...this.kinds.map((k) => k.stop())]);
  }
}
