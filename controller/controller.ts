// The live-sync controller: informers feed a keyed queue; workers reconcile sources through the core planner.
import { setMaxListeners } from 'node:events';
import type { Finding, KubeObject, NamespaceInfo, ParseOptions, TransformLimits } from '../core/index.ts';
import { systemClock } from '../kube/clock.ts';
import type { Cancel, Clock } from '../kube/clock.ts';
import type { ClusterReader, ClusterWriter } from '../kube/cluster-port.ts';
import { KubeApiError } from '../kube/errors.ts';
import { Informer } from '../kube/informer.ts';
import type { InformerHealth } from '../kube/informer.ts';
import { apiVersionOf, NAMESPACES, resourceLabel } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { WriteResult } from '../kube/execute-plan.ts';
import { Semaphore } from '../kube/semaphore.ts';
import { parseObjectKey } from '../kube/store.ts';
import { namespaceInfoOf } from '../kube/world.ts';
import type { NamespaceObject } from '../kube/world.ts';
import { InformerGroup } from './informer-group.ts';
import { cacheForm, KindIndex } from './kind-index.ts';
import type { Logger } from './logger.ts';
import { reconcileSource } from './reconcile.ts';
import type { ReconcileOutcome } from './reconcile.ts';
import { decodeQueueKey, encodeQueueKey, sourceQueueKey } from './queue-key.ts';
import { WorkQueue } from './work-queue.ts';

/** Settings of a controller instance. */
export interface ControllerConfig {
  client: ClusterReader & ClusterWriter;
  types: readonly ResourceType[];
  log: Logger;
  workers: number;
  maxWritesInFlight: number;
  resyncPeriodMs: number;
  excludeNamespaces: readonly string[];
  maxTargets?: number;
  /** Only sources in these namespaces may push (undefined: all may). */
  pushSourceNamespaces?: readonly string[];
  /** Namespaces access-granting kinds may be mirrored from (undefined: none). */
  accessKindSourceNamespaces?: readonly string[];
  /** Limits on each source's transform rules; the core's defaults when unset. */
  transformLimits?: TransformLimits;
  /** k8s-replicator's and mittwald's --allow-all: their pulls may copy any object, so every object is cached whole. */
  allowAll?: boolean;
  /** k8s-replicator's --ignore-unknown: unknown keys under its prefix are no error. */
  ignoreUnknown?: boolean;
  watchdogMs?: number;
  /** The clock of the queue, the informers and the periodic resync (default the system clock). */
  clock?: Clock;
  /** Only these namespaces exist for the controller (namespaced mode, one watch per namespace); undefined means all. */
  namespaces?: readonly string[];
  /** Sync caches but run no workers until startWorkers() (a standby under leader election). */
  deferWorkers?: boolean;
  /** Called after every reconcile, for metrics and events. */
  onReconcile?(
    type: ResourceType,
    key: string,
    outcome: ReconcileOutcome | undefined,
    ms: number,
    error?: unknown,
  ): void;
}

/** Runs informers, the queue and the workers until stopped. */
export class Controller {
  readonly queue: WorkQueue;
  private readonly namespaces: InformerGroup<NamespaceObject>;
  /** The namespaces as reconciles read them, and the namespace cache's generation they were built from. */
  private namespaceView: { generation: number; infos: readonly NamespaceInfo[] } | undefined;
  private readonly kinds = new Map<
    string,
    { type: ResourceType; index: KindIndex; informer: InformerGroup<KubeObject> }
  >();
  private workersStarted = false;
  private started = false;
  private readonly writes: Semaphore;
  private readonly abort = new AbortController();
  private readonly lastFindings = new Map<string, string>();
  private cancelResync: Cancel | undefined;
  private readonly clock: Clock;
  private ready = false;
  private readonly scope: ReadonlySet<string> | undefined;
  private readonly excluded: ReadonlySet<string>;

  constructor(private readonly config: ControllerConfig) {
    this.writes = new Semaphore(config.maxWritesInFlight);
    // Every request of every worker listens on this one shutdown signal, so more than Node's default of 10 listeners is
    // normal, not a leak: each request removes its listener when it settles (kube/client.test.ts checks that).
    setMaxListeners(0, this.abort.signal);
    this.scope = config.namespaces === undefined ? undefined : new Set(config.namespaces);
    this.excluded = new Set(config.excludeNamespaces);
    this.clock = config.clock ?? systemClock;
    this.queue = new WorkQueue({
      workers: config.workers,
      clock: this.clock,
      process: (key) => this.process(key),
      // A source's whole and focused reconciles plan from the views of the world they each read: run at once, one could
      // find a mirror in sync that the other is deleting, and the delete's echo (our own write) requeues neither.
      groupOf: sourceQueueKey,
      onError: (key, err) => config.log.error('reconcile failed', { key, error: String(err) }),
    });
    const watchdog = { clock: this.clock, ...(config.watchdogMs ? { watchdogMs: config.watchdogMs } : {}) };
    // Namespaced mode reads only the listed Namespace objects (a metadata.name field selector, which RBAC resourceNames
    // can grant) and watches each listed namespace on its own, so no request ever spans the cluster.
    const perNamespace = <T extends object>(make: (scope: { namespace?: string; name?: string }) => Informer<T>) =>
      new InformerGroup(config.namespaces?.map((ns) => make({ namespace: ns, name: ns })) ?? [make({})]);
    const nsHandlers = {
      ...watchdog,
      onAdd: (ns: NamespaceObject) => this.onNamespace(ns),
      onUpdate: (ns: NamespaceObject, old: NamespaceObject) => {
        const a = namespaceInfoOf(ns);
        const b = namespaceInfoOf(old);
        if (JSON.stringify(a) !== JSON.stringify(b)) this.onNamespace(ns);
      },
      onDelete: (ns: NamespaceObject) => this.onNamespace(ns),
      onError: (err: unknown) => watchError(config.log, 'namespaces', err),
      onWatchdog: (silentMs: number) => watchSilent(config.log, 'namespaces', silentMs),
    };
    this.namespaces = perNamespace<NamespaceObject>(
      ({ name }) =>
        new Informer<NamespaceObject>(config.client, NAMESPACES, {
          ...nsHandlers,
          ...(name ? { fieldSelector: `metadata.name=${name}` } : {}),
        }),
    );
    for (const type of config.types) this.addKind(type);
  }

  /** Creates (does not start) the cache, index and informer of one kind. */
  private addKind(type: ResourceType): string {
    const config = this.config;
    const watchdog = config.watchdogMs ? { watchdogMs: config.watchdogMs } : {};
    const label = resourceLabel(type);
    const apiVersion = apiVersionOf(type);
    const index = new KindIndex(apiVersion, type.kind, parseOptionsOf(config));
    const changed = (obj: KubeObject, key: string, deleted: boolean, listedAt?: string) => {
      if (!this.inScope(obj.metadata.namespace ?? '')) return;
      // The informer already put the object in its cache form (transform below); cache and index share that copy, and
      // the key string the informer's cache holds it under.
      for (const source of index.update(key, deleted ? undefined : obj, deleted ? obj : undefined, listedAt))
        this.enqueue(label, source);
    };
    const informer = new InformerGroup(
      (config.namespaces?.map((ns) => ({ namespace: ns })) ?? [{}]).map(
        ({ namespace }: { namespace?: string }) =>
          new Informer<KubeObject>(config.client, type, {
            ...(namespace ? { namespace } : {}),
            // Whole objects for sources and mirrors (reconciles read them from here), names only for the rest.
            transform: (o) => cacheForm(o, apiVersion, type.kind, config.allowAll === true),
            ...watchdog,
            onAdd: (o, key) => changed(o, key, false),
            onUpdate: (o, _old, key) => changed(o, key, false),
            onDelete: (o, key, listedAt) => changed(o, key, true, listedAt),
            onError: (err) => watchError(config.log, label, err),
            onWatchdog: (silentMs) => watchSilent(config.log, label, silentMs),
          }),
      ),
    );
    this.kinds.set(label, { type, index, informer });
    return label;
  }

  /**
   * Makes the mirrored kinds exactly these (`--kinds auto` after each rediscovery): a new kind is watched and, once its
   * cache is filled, every source of it is queued; a kind the cluster no longer serves is no longer watched. Returns
   * the labels added and removed.
   */
  async setTypes(types: readonly ResourceType[]): Promise<{ added: string[]; removed: string[] }> {
    const wanted = new Map(types.map((t) => [resourceLabel(t), t]));
    const removed = [...this.kinds.keys()].filter((label) => !wanted.has(label));
    for (const label of removed) {
      const k = this.kinds.get(label);
      this.kinds.delete(label);
      await k?.informer.stop();
    }
    const added = [...wanted].filter(([label]) => !this.kinds.has(label)).map(([, t]) => this.addKind(t));
    // Before start(), start() starts them with the rest.
    if (!this.started) return { added, removed };
    await Promise.all(
      added.map(async (label) => {
        const k = this.kinds.get(label);
        if (k === undefined) return;
        k.informer.start();
        await k.informer.waitForSync();
        // Before the workers run, their first pass queues every source of every kind, this one included.
        if (this.workersStarted && this.kinds.get(label) === k)
          for (const key of k.index.allSourceKeys()) this.enqueue(label, key);
      }),
    );
    return { added, removed };
  }

  /** The kinds being mirrored now. */
  kindTypes(): ResourceType[] {
    return [...this.kinds.values()].map((k) => k.type);
  }

  /** Starts watching; resolves once every cache is filled and the first reconcile of every source is queued. */
  async start(): Promise<void> {
    this.started = true;
    this.namespaces.start();
    for (const k of this.kinds.values()) k.informer.start();
    await Promise.all([
      this.namespaces.waitForSync(),
      ...[...this.kinds.values()].map((k) => k.informer.waitForSync()),
    ]);
    this.ready = true;
    if (!this.config.deferWorkers) this.startWorkers();
    this.config.log.info('caches synced; controller ready', {
      kinds: [...this.kinds.keys()],
      namespaces: this.namespaces.store.size,
      objects: Object.fromEntries([...this.kinds].map(([l, k]) => [l, k.index.size])),
    });
  }

  /** Runs the workers (once): the first reconcile of every source is queued, then periodic resyncs. */
  startWorkers(): void {
    if (this.workersStarted) return;
    this.workersStarted = true;
    const started = this.clock.now();
    // Queued before the workers start: a worker takes its first key at once, and queueing that key again would run it
    // twice (the queue re-runs a key added while it is in flight).
    const sources = this.enqueueAll();
    this.queue.start();
    this.scheduleResync();
    // Said once, so operators see how long a cold start takes and tests know the restart has nothing left to do.
    void this.queue.idle().then(() => {
      if (this.abort.signal.aborted) return;
      this.config.log.info('first reconcile of every source done', { sources, ms: this.clock.now() - started });
    });
  }

  /**
   * Reopens every watch from the resourceVersion its cache has reached, and returns how many: a standby's stream may
   * have died silently long before it leads, and no bookmark would say so for up to the watchdog's period.
   */
  reopenWatches(): number {
    const groups = [this.namespaces, ...[...this.kinds.values()].map((k) => k.informer)];
    for (const g of groups) g.reconnect();
    return groups.reduce((n, g) => n + g.informers.length, 0);
  }

  /** True once caches are synced (for /readyz). */
  isReady(): boolean {
    return this.ready;
  }

  /** The health of every watch (for /healthz and metrics). */
  health(): Record<string, InformerHealth> {
    const out: Record<string, InformerHealth> = { namespaces: this.namespaces.health() };
    for (const [label, k] of this.kinds) out[label] = k.informer.health();
    return out;
  }

  /** Makes one kind's watch reconnect from an expired resourceVersion, so the apiserver answers 410 (fault tests). */
  forceRelist(label: string): void {
    this.kinds.get(label)?.informer.reconnect('1');
  }

  /** Resolves when the queue is empty and nothing is in flight (tests and the demo use it). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops watches and waits for in-flight reconciles up to the timeout; returns false if it had to give up. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.cancelResync?.();
    const drained = await this.queue.shutdown(timeoutMs);
    this.abort.abort();
    await Promise.all([this.namespaces.stop(), ...[...this.kinds.values()].map((k) => k.informer.stop())]);
    return drained;
  }

  private enqueue(label: string, sourceKey: string, focus?: string): void {
    const { namespace, name } = parseObjectKey(sourceKey);
    this.queue.add(encodeQueueKey({ resource: label, namespace, name, ...(focus !== undefined ? { focus } : {}) }));
  }

  /** Queues a full reconcile of every known source; returns how many there are. */
  private enqueueAll(): number {
    let n = 0;
    for (const [label, k] of this.kinds)
      for (const key of k.index.allSourceKeys()) {
        this.enqueue(label, key);
        n++;
      }
    return n;
  }

  private inScope(namespace: string): boolean {
    return this.scope === undefined || this.scope.has(namespace);
  }

  private onNamespace(obj: NamespaceObject): void {
    const ns = namespaceInfoOf(obj);
    // Until the workers start, the first full reconcile of every source (queued then) covers every namespace.
    if (!this.workersStarted || !this.inScope(ns.name)) return;
    // A namespace event concerns that namespace only: a focused reconcile reads and writes nothing elsewhere.
    for (const [label, k] of this.kinds) {
      for (const key of k.index.sourcesForNamespace(ns)) this.enqueue(label, key, ns.name);
    }
  }

  private scheduleResync(): void {
    // Jitter keeps replicas and restarts from resyncing in lockstep.
    const delay = this.config.resyncPeriodMs * (0.9 + Math.random() * 0.2);
    this.cancelResync = this.clock.schedule(
      () => {
        this.config.log.debug('periodic resync');
        this.enqueueAll();
        this.scheduleResync();
      },
      delay,
      { background: true },
    );
  }

  private currentNamespaces(): readonly NamespaceInfo[] {
    // Every reconcile reads every namespace, and a new namespace alone queues one reconcile per source: the view is
    // built again only when the namespace cache has changed since.
    const generation = this.namespaces.store.generation;
    if (this.namespaceView?.generation !== generation) {
      const infos = this.namespaces.store
        .list()
        .map(namespaceInfoOf)
        .filter((ns) => this.inScope(ns.name));
      this.namespaceView = { generation, infos };
    }
    return this.namespaceView.infos;
  }

  private async process(queueKey: string): Promise<'done' | 'retry'> {
    const { resource: label, namespace, name, focus } = decodeQueueKey(queueKey);
    const sourceKey = `${namespace}/${name}`;
    const k = this.kinds.get(label);
    if (k === undefined) return 'done';
    const started = performance.now();
    // The namespaces the plan reads (currentNamespaces), as of now.
    const namespacesSeen = this.namespaces.store.generation;
    try {
      const outcome = await reconcileSource(
        {
          client: this.config.client,
          type: k.type,
          index: k.index,
          namespaces: () => this.currentNamespaces(),
          excluded: this.excluded,
          ...(this.scope ? { scope: this.scope } : {}),
          ...(this.config.maxTargets ? { maxTargets: this.config.maxTargets } : {}),
          ...(this.config.pushSourceNamespaces ? { pushSourceNamespaces: this.config.pushSourceNamespaces } : {}),
          ...(this.config.accessKindSourceNamespaces
            ? { accessKindSourceNamespaces: this.config.accessKindSourceNamespaces }
            : {}),
          ...parseOptionsOf(this.config),
          requeue: (keys) => {
            for (const key of keys) this.enqueue(label, key);
          },
          limit: async (fn) => {
            const release = await this.writes.acquire();
            try {
              return await fn();
            } finally {
              release();
            }
          },
          signal: this.abort.signal,
        },
        sourceKey,
        focus,
      );
      // A namespace changed while this plan's writes were in flight: its event found the sources it concerns in the
      // cache, which held no mirror still being created, and a write's echo queues nothing. Plan again from the new view.
      if (outcome.writes.length > 0 && this.namespaces.store.generation !== namespacesSeen) this.queue.add(queueKey);
      this.report(queueKey, label, sourceKey, outcome);
      this.config.onReconcile?.(k.type, sourceKey, outcome, performance.now() - started);
      return outcome.retry ? 'retry' : 'done';
    } catch (err) {
      this.config.log.warn('reconcile error; will retry', { resource: label, source: sourceKey, error: String(err) });
      this.config.onReconcile?.(k.type, sourceKey, undefined, performance.now() - started, err);
      return 'retry';
    }
  }

  private report(queueKey: string, label: string, sourceKey: string, outcome: ReconcileOutcome): void {
    const { log } = this.config;
    for (const w of outcome.writes) {
      const fields = {
        resource: label,
        source: sourceKey,
        key: queueKey,
        object: w.object,
        reason: w.reason,
        outcome: w.outcome,
      };
      if (w.outcome === 'failed' || w.outcome === 'conflict')
        log.warn(`${w.action} ${w.outcome}`, { ...fields, error: w.error });
      else log.info(LOG_LINES[w.action], fields);
    }
    // Findings are logged when they change, so a stuck source does not flood the log on every resync.
    const digest = JSON.stringify(outcome.findings.map((f: Finding) => [f.reason, f.message]));
    if (this.lastFindings.get(queueKey) === digest) return;
    this.lastFindings.set(queueKey, digest);
    for (const f of outcome.findings) {
      const fields = {
        resource: label,
        source: sourceKey,
        reason: f.reason,
        object: `${f.object.namespace}/${f.object.name}`,
        annotation: f.annotation,
      };
      if (f.severity === 'error') log.error(f.message, fields);
      else if (f.severity === 'warning') log.warn(f.message, fields);
      else log.info(f.message, fields);
    }
  }
}

/** The options every parse and plan of this controller shares: the peers' flags and the transform limits. */
function parseOptionsOf(config: ControllerConfig): ParseOptions {
  return {
    ...(config.transformLimits ? { transformLimits: config.transformLimits } : {}),
    ...(config.allowAll ? { allowAll: true } : {}),
    ...(config.ignoreUnknown ? { ignoreUnknown: true } : {}),
  };
}

/** Logs a watch failure as a warning; a watchdog abort has its own line (watchSilent). */
function watchError(log: Logger, resource: string, err: unknown): void {
  if (err instanceof KubeApiError && err.reason === 'WatchdogTimeout') return;
  log.warn('watch error; retrying', { resource, error: String(err) });
}

/** Logs a watch the watchdog aborted: with bookmarks about every minute, silence this long means a dead stream. */
function watchSilent(log: Logger, resource: string, silentMs: number): void {
  log.info('watch silent; reconnecting', { resource, silentMs });
}

/** The log line of each successful write, by the write's action. */
const LOG_LINES: Readonly<Record<WriteResult['action'], string>> = {
  apply: 'mirror written',
  delete: 'mirror deleted',
  release: 'peer finalizer removed',
};
