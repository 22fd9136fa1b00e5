// Cross-cluster sync of one resource type with one remote: watches on both sides feed a queue of its own; each pair is planned by the core.
import {
  locate,
  pairKeyString,
  pairOfLocal,
  pairOfLocalNamespace,
  pairOfRemote,
  planPair,
  remoteNamespaceOfLocal,
} from '../../core/cross-cluster/index.ts';
import type { PairKey, PairPhase, PairPlan, PairSettings, PairState } from '../../core/cross-cluster/index.ts';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { systemClock } from '../../kube/clock.ts';
import type { Cancel, Clock } from '../../kube/clock.ts';
import { isConflict, KubeApiError } from '../../kube/errors.ts';
import { Informer } from '../../kube/informer.ts';
import type { InformerHealth } from '../../kube/informer.ts';
import { NAMESPACES, resourceLabel, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { objectKey, parseObjectKey } from '../../kube/store.ts';
import type { Logger } from '../logger.ts';
import { WorkQueue } from '../work-queue.ts';
import { executeAction, namespaceOf } from './execute.ts';
import { WriteOverlay } from './overlay.ts';

/** Settings of one CrossClusterSync. */
export interface CrossClusterSyncConfig {
  local: KubeClient;
  remote: KubeClient;
  type: ResourceType;
  settings: PairSettings;
  log: Logger;
  /** Pairs reconciled at once (default 4). */
  workers?: number;
  watchdogMs?: number;
  /** The clock of the queue, the watches, the write overlays and the remote-health poll (default the system clock). */
  clock?: Clock;
  /** Called after every write attempt (metrics). */
  onWrite?(side: 'local' | 'remote', action: string, ok: boolean): void;
  /** Called after every reconcile of a pair (metrics, Events). */
  onReconcile?(
    key: PairKey,
    plan: PairPlan | undefined,
    result: 'success' | 'retry' | 'deferred' | 'error',
    ms: number,
    error?: unknown,
  ): void;
}

/** What `kubectl reflect status` and logs show for one pair. */
export interface PairReport {
  key: string;
  phase: PairPhase;
  pausedBy?: 'local' | 'remote';
  remoteGeneration?: number;
  localGeneration?: number;
  syncedRemoteGeneration?: number;
  lastUploadAt?: number;
  lastError?: string;
  reason?: string;
}

const MAX_ROUNDS = 6;

/** Runs the watches, queue and workers of one synced type against one remote, until stopped. */
export class CrossClusterSync {
  readonly queue: WorkQueue;
  /** Remote watches by namespace ('' for one cluster-wide watch; one per namespace with --remote-namespaces). */
  private readonly remotes = new Map<string, Informer<KubeObject>>();
  private readonly local: Informer<KubeObject>;
  private readonly namespaces: Informer<KubeObject>;
  private readonly secrets: Informer<KubeObject> | undefined;
  private readonly clock: Clock;
  private readonly overlays: Record<'remote' | 'local' | 'namespace' | 'secret', WriteOverlay<KubeObject>>;
  /** Pairs per remote namespace, so a local namespace event reaches every pair that lives in it. */
  private readonly byNamespace = new Map<string, Set<string>>();
  /** Keys set aside while the remote watch is down; queued again the moment it is back. */
  private readonly deferred = new Set<string>();
  private readonly reports = new Map<string, PairReport>();
  private readonly abort = new AbortController();
  private cancelPoll: Cancel | undefined;
  private workersStarted = false;
  readonly label: string;

  constructor(private readonly config: CrossClusterSyncConfig) {
    const { settings, type, log } = config;
    this.label = resourceLabel(type);
    this.clock = config.clock ?? systemClock;
    const now = () => this.clock.now();
    this.overlays = {
      remote: new WriteOverlay<KubeObject>(undefined, now),
      local: new WriteOverlay<KubeObject>(undefined, now),
      namespace: new WriteOverlay<KubeObject>(undefined, now),
      secret: new WriteOverlay<KubeObject>(undefined, now),
    };
    this.queue = new WorkQueue({
      workers: config.workers ?? 4,
      clock: this.clock,
      process: (key) => this.process(key),
      onError: (key, err) => log.error('cross-cluster reconcile failed', { key, error: String(err) }),
    });
    const watchdog = { clock: this.clock, ...(config.watchdogMs ? { watchdogMs: config.watchdogMs } : {}) };
    const onError = (side: string) => (err: unknown) => {
      // A watchdog abort is said at info: with bookmarks about every minute, it means a stream that died silently.
      const silent = err instanceof KubeApiError && err.reason === 'WatchdogTimeout';
      (silent ? log.info : log.warn)(
        silent ? 'cross-cluster watch silent; reconnecting' : 'cross-cluster watch error; retrying',
        {
          side,
          resource: this.label,
          error: String(err),
        },
      );
    };
    const slim = (o: KubeObject): KubeObject => {
      const meta = { ...o.metadata };
      delete meta.managedFields;
      return { ...o, metadata: meta };
    };
    // Per-namespace watches let the remote grant list/watch with RoleBindings in those namespaces only.
    for (const namespace of settings.remoteNamespaces ?? ['']) {
      this.remotes.set(
        namespace,
        new Informer<KubeObject>(config.remote, type, {
          ...watchdog,
          ...(namespace ? { namespace } : {}),
          transform: slim,
          onAdd: (o) => this.onRemote(o, false),
          onUpdate: (o) => this.onRemote(o, false),
          onDelete: (o) => this.onRemote(o, true),
          onError: onError(namespace ? `remote ${namespace}` : 'remote'),
        }),
      );
    }
    this.local = new Informer<KubeObject>(config.local, type, {
      ...watchdog,
      transform: slim,
      onAdd: (o) => this.onLocal(o, false),
      onUpdate: (o) => this.onLocal(o, false),
      onDelete: (o) => this.onLocal(o, true),
      onError: onError('local'),
    });
    this.namespaces = new Informer<KubeObject>(config.local, NAMESPACES, {
      ...watchdog,
      transform: slim,
      onAdd: (o) => this.onNamespace(o, false),
      onUpdate: (o) => this.onNamespace(o, false),
      onDelete: (o) => this.onNamespace(o, true),
      onError: onError('local namespaces'),
    });
    const names = new Set(settings.localSecretNames);
    this.secrets =
      names.size === 0
        ? undefined
        : new Informer<KubeObject>(config.local, SECRETS, {
            ...watchdog,
            // Only the listed Secrets in synced namespaces keep their payload in memory.
            transform: (o) =>
              names.has(o.metadata.name) && pairOfLocal(settings, o.metadata.namespace ?? '', o.metadata.name)
                ? slim(o)
                : ({
                    apiVersion: 'v1',
                    kind: 'Secret',
                    metadata: {
                      name: o.metadata.name,
                      namespace: o.metadata.namespace,
                      resourceVersion: o.metadata.resourceVersion,
                    },
                  } as KubeObject),
            onAdd: (o) => this.onSecret(o, false),
            onUpdate: (o) => this.onSecret(o, false),
            onDelete: (o) => this.onSecret(o, true),
            onError: onError('local secrets'),
          });
  }

  /** Starts the watches and resolves once every cache is synced (the remote one may take until the remote answers). */
  async start(): Promise<void> {
    const informers = [...this.remotes.values(), this.local, this.namespaces, ...(this.secrets ? [this.secrets] : [])];
    for (const i of informers) i.start();
    await Promise.all(informers.map((i) => i.waitForSync()));
    this.config.log.info('cross-cluster caches synced', {
      resource: this.label,
      remote: [...this.remotes.values()].reduce((n, i) => n + i.store.size, 0),
      local: this.local.store.size,
    });
  }

  /** Runs the workers (once) and queues every known pair. */
  startWorkers(): void {
    if (this.workersStarted) return;
    this.workersStarted = true;
    this.queue.start();
    for (const o of [...this.remotes.values()].flatMap((i) => i.store.list()))
      this.enqueueObject(pairOfRemote(this.config.settings, o.metadata.namespace ?? '', o.metadata.name));
    for (const o of this.local.store.list())
      this.enqueueObject(pairOfLocal(this.config.settings, o.metadata.namespace ?? '', o.metadata.name));
    // The remote watch coming back is what releases deferred keys; poll its health instead of waiting on a backoff.
    const poll = (): void => {
      // Rescheduled first, so the poll goes on whatever one check does (as setInterval's did).
      this.cancelPoll = this.clock.schedule(poll, 500, { background: true });
      this.checkRemote();
    };
    this.cancelPoll = this.clock.schedule(poll, 500, { background: true });
    // Said once, as the controller does for sources: a restart in sync has nothing left to do after it.
    void this.queue.idle().then(() => {
      if (this.abort.signal.aborted) return;
      this.config.log.info('cross-cluster first reconcile of every pair done', { resource: this.label });
    });
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Health of the local watches only: a remote outage must never fail /healthz and get the pod restarted. */
  localHealth(): Record<string, InformerHealth> {
    return Object.fromEntries(Object.entries(this.health()).filter(([k]) => !k.startsWith('cross-cluster/remote/')));
  }

  /** Health of the four watches, keyed "cross-cluster/<side>/<resource>". */
  health(): Record<string, InformerHealth> {
    const out: Record<string, InformerHealth> = {
      ...Object.fromEntries(
        [...this.remotes].map(([ns, i]) => [`cross-cluster/remote/${this.label}${ns ? `/${ns}` : ''}`, i.health()]),
      ),
      [`cross-cluster/local/${this.label}`]: this.local.health(),
      [`cross-cluster/local/namespaces`]: this.namespaces.health(),
    };
    if (this.secrets) out['cross-cluster/local/secrets'] = this.secrets.health();
    return out;
  }

  /** The last plan of every pair, sorted by key. */
  pairs(): PairReport[] {
    return [...this.reports.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Stops workers (waiting up to timeoutMs for in-flight writes) and watches. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.cancelPoll?.();
    const drained = await this.queue.shutdown(timeoutMs);
    this.abort.abort();
    await Promise.all(
      [...this.remotes.values(), this.local, this.namespaces, ...(this.secrets ? [this.secrets] : [])].map((i) =>
        i.stop(),
      ),
    );
    return drained;
  }

  /** True when the remote watch of a namespace is open (a pair is only written from a remote cache that is current). */
  private remoteWatching(namespace: string): boolean {
    return this.remoteStore(namespace)?.health().watching === true;
  }

  private remoteStore(namespace: string): Informer<KubeObject> | undefined {
    return this.remotes.get('') ?? this.remotes.get(namespace);
  }

  // Level-triggered: a watch that dropped and came back between two polls still releases what it held back.
  private checkRemote(): void {
    if (this.deferred.size === 0) return;
    const ready = [...this.deferred].filter((key) => this.remoteWatching(key.slice(0, key.indexOf('/'))));
    if (ready.length === 0) return;
    this.config.log.info('remote watch is back; resuming deferred pairs', {
      resource: this.label,
      pairs: ready.length,
    });
    for (const key of ready) {
      this.deferred.delete(key);
      this.queue.add(key);
    }
  }

  private enqueueObject(key: PairKey | undefined): void {
    if (key === undefined) return;
    if (this.workersStarted) this.queue.add(pairKeyString(key));
  }

  private onRemote(o: KubeObject, deleted: boolean): void {
    this.overlays.remote.observe(objectKey(o), deleted ? undefined : o);
    const key = pairOfRemote(this.config.settings, o.metadata.namespace ?? '', o.metadata.name);
    if (key === undefined) return;
    const s = this.byNamespace.get(key.namespace) ?? new Set<string>();
    if (deleted) s.delete(key.name);
    else s.add(key.name);
    if (s.size === 0) this.byNamespace.delete(key.namespace);
    else this.byNamespace.set(key.namespace, s);
    this.enqueueObject(key);
  }

  private onLocal(o: KubeObject, deleted: boolean): void {
    this.overlays.local.observe(objectKey(o), deleted ? undefined : o);
    this.enqueueObject(pairOfLocal(this.config.settings, o.metadata.namespace ?? '', o.metadata.name));
  }

  private onNamespace(o: KubeObject, deleted: boolean): void {
    this.overlays.namespace.observe(objectKey(o), deleted ? undefined : o);
    const { settings, names } = { settings: this.config.settings, names: this.config.settings.names };
    this.enqueueObject(pairOfLocalNamespace(settings, o.metadata.name, o.metadata.annotations, names.namespaceOwner));
    // Pairs waiting for a terminating namespace to go (or to appear) live in the remote namespace it stands for.
    const remoteNs = remoteNamespaceOfLocal(settings, o.metadata.name);
    if (remoteNs !== undefined)
      for (const name of this.byNamespace.get(remoteNs) ?? []) this.enqueueObject({ namespace: remoteNs, name });
  }

  private onSecret(o: KubeObject, deleted: boolean): void {
    this.overlays.secret.observe(objectKey(o), deleted ? undefined : o);
    const owner = (
      o.metadata.ownerReferences as Array<{ controller?: boolean; kind?: string; name?: string }> | undefined
    )?.find((r) => r.controller === true && r.kind === this.config.type.kind);
    if (owner?.name) this.enqueueObject(pairOfLocal(this.config.settings, o.metadata.namespace ?? '', owner.name));
  }

  private stateOf(key: PairKey): PairState {
    const where = locate(this.config.settings, key);
    const rk = `${where.remote.namespace}/${where.remote.name}`;
    const lk = `${where.local.namespace}/${where.local.name}`;
    const ns = this.overlays.namespace.pick(
      where.local.namespace,
      this.namespaces.store.get(undefined, where.local.namespace),
    );
    const localSecrets: KubeObject[] = [];
    for (const name of this.config.settings.localSecretNames) {
      const sk = `${where.local.namespace}/${name}`;
      const s = this.overlays.secret.pick(sk, this.secrets?.store.getByKey(sk));
      if (s?.metadata.uid !== undefined || s?.data !== undefined) localSecrets.push(s);
    }
    return {
      key,
      remote: this.overlays.remote.pick(rk, this.remoteStore(where.remote.namespace)?.store.getByKey(rk)),
      local: this.overlays.local.pick(lk, this.local.store.getByKey(lk)),
      localNamespace: ns ? namespaceOf(ns) : undefined,
      localSecrets,
    };
  }

  private async process(queueKey: string): Promise<'done' | 'retry'> {
    // A pair key is written as a store key (namespace/name), so the store's codec reads it.
    const { namespace, name } = parseObjectKey(queueKey);
    const key: PairKey = { namespace, name };
    const started = performance.now();
    const report: PairReport = { key: queueKey, phase: 'InSync', ...this.reportExtras(queueKey) };
    // The remote is the least trusted part: while its watch is down, the cache may be stale, so no side is written.
    if (!this.remoteWatching(namespace)) {
      this.deferred.add(queueKey);
      this.config.onReconcile?.(key, undefined, 'deferred', performance.now() - started);
      return 'done';
    }
    let state = this.stateOf(key);
    let plan: PairPlan | undefined;
    const ctx = {
      local: this.config.local,
      remote: this.config.remote,
      type: this.config.type,
      signal: this.abort.signal,
    };
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        plan = planPair(this.config.settings, state);
        if (plan.actions.length === 0) break;
        for (const action of plan.actions) {
          let result;
          try {
            result = await executeAction(ctx, state, action);
          } catch (err) {
            this.config.onWrite?.(action.side, action.kind, false);
            throw err;
          }
          this.config.onWrite?.(action.side, action.kind, true);
          this.logWrite(queueKey, action.kind, action.side);
          state = result.state;
          const where = locate(this.config.settings, key);
          if (result.remote)
            this.overlays.remote.remember(`${where.remote.namespace}/${where.remote.name}`, result.remote);
          if (result.local) this.overlays.local.remember(`${where.local.namespace}/${where.local.name}`, result.local);
          if (result.namespace) this.overlays.namespace.remember(where.local.namespace, result.namespace);
          if (result.localSecret) this.overlays.secret.remember(objectKey(result.localSecret), result.localSecret);
          if (action.kind === 'upload-status' || action.kind === 'upload-secret')
            report.lastUploadAt = this.clock.now();
        }
      }
      delete report.lastError;
      this.fillReport(report, plan);
      this.reports.set(queueKey, report);
      const ms = performance.now() - started;
      this.config.onReconcile?.(key, plan, 'success', ms);
      if (plan?.phase === 'Gone' && !this.local.store.getByKey(`${plan.location.local.namespace}/${key.name}`))
        this.reports.delete(queueKey);
      return 'done';
    } catch (err) {
      report.lastError = String(err);
      this.fillReport(report, plan);
      this.reports.set(queueKey, report);
      const conflict = isConflict(err);
      (conflict ? this.config.log.debug : this.config.log.warn)('cross-cluster write failed; will retry', {
        resource: this.label,
        pair: queueKey,
        error: String(err),
      });
      this.config.onReconcile?.(key, plan, conflict ? 'retry' : 'error', performance.now() - started, err);
      return 'retry';
    }
  }

  private reportExtras(queueKey: string): Pick<PairReport, 'lastUploadAt'> {
    const at = this.reports.get(queueKey)?.lastUploadAt;
    return at === undefined ? {} : { lastUploadAt: at };
  }

  private fillReport(report: PairReport, plan: PairPlan | undefined): void {
    if (plan === undefined) return;
    report.phase = plan.phase;
    if (plan.pausedBy) report.pausedBy = plan.pausedBy;
    if (plan.reason) report.reason = plan.reason;
    if (plan.remoteGeneration !== undefined) report.remoteGeneration = plan.remoteGeneration;
    if (plan.localGeneration !== undefined) report.localGeneration = plan.localGeneration;
    if (plan.syncedRemoteGeneration !== undefined) report.syncedRemoteGeneration = plan.syncedRemoteGeneration;
  }

  private logWrite(pair: string, action: string, side: string): void {
    this.config.log.info('cross-cluster write', { resource: this.label, pair, action, side });
  }
}
