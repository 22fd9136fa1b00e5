// A world kept current by informers over full objects; its own module, so its lists start before Ink loads.
import type { KubeObject, World } from '../../core/index.ts';
import { Informer } from '../../kube/informer.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { worldOf } from '../../kube/world.ts';
import type { NamespaceObject } from '../../kube/world.ts';
import type { Session } from '../session.ts';

/** A world kept current by informers; subscribers hear about changes, at most every 200 ms. */
export class LiveWorld {
  private readonly namespaces: Informer<NamespaceObject>;
  private readonly kinds: Informer<KubeObject & { metadata: { name: string } }>[];
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private synced = false;
  /** The last error an informer recovered from (it keeps retrying), for the screen to show. */
  lastError: string | undefined;

  constructor(private readonly session: Session) {
    const changed = () => this.changed();
    const onError = (err: unknown) => {
      this.lastError = err instanceof Error ? err.message : String(err);
      for (const fn of this.listeners) fn();
    };
    const handlers = { onAdd: changed, onUpdate: changed, onDelete: changed, onError };
    this.namespaces = new Informer<NamespaceObject>(session.client, NAMESPACES, { ...handlers, pageSize: 5000 });
    this.kinds = session.types.map(
      (t) =>
        new Informer<KubeObject & { metadata: { name: string } }>(session.client, t, { ...handlers, pageSize: 5000 }),
    );
  }

  private started: Promise<void> | undefined;

  /** Starts the informers (once) and resolves when every cache holds its first list. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.namespaces.start();
      for (const k of this.kinds) k.start();
      await Promise.all([this.namespaces.waitForSync(), ...this.kinds.map((k) => k.waitForSync())]);
      this.synced = true;
    })();
    return this.started;
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
    if (!this.synced) return;
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
