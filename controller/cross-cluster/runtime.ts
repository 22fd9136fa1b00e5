// Wires cross-cluster sync into reflect-controller: the remote client, one CrossClusterSync per synced type, metrics.
import type { PairSettings } from '../../core/cross-cluster/index.ts';
import { CrossCluster, TeleportCrossCluster } from '../../core/names.ts';
import { KubeClient } from '../../kube/client.ts';
import type { Clock } from '../../kube/clock.ts';
import type { EventInput } from '../../kube/event-recorder.ts';
import { apiVersionOf } from '../../kube/resource-type.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import type { InformerHealth } from '../../kube/informer.ts';
import { resolveResourceTypes } from '../../kube/resources.ts';
import type { Logger } from '../logger.ts';
import { CrossClusterMetrics } from './metrics.ts';
import type { Registry } from 'prom-client';
import type { CrossClusterOptions } from './options.ts';
import { CrossClusterSync } from './sync.ts';
import type { PairReport } from './sync.ts';

/** Everything cross-cluster sync shares with the rest of the process. */
export interface CrossClusterDeps {
  local: KubeClient;
  log: Logger;
  registry: Registry;
  workers: number;
  watchdogMs?: number;
  /** The process's one clock. */
  clock?: Clock;
  /** Records a Kubernetes Event in the local cluster (the process's shared, rate-limited recorder). */
  recordEvent?: (e: EventInput) => void;
  /** The controller's --exclude-namespaces: local namespaces cross-cluster sync never writes either. */
  excludeNamespaces?: readonly string[];
}

/** The running cross-cluster syncs of the process. */
export class CrossClusterRuntime {
  private constructor(
    readonly remote: KubeClient,
    readonly syncs: readonly CrossClusterSync[],
  ) {}

  /** Resolves the synced types through local discovery and builds (but does not start) one sync per type. */
  static async create(options: CrossClusterOptions, deps: CrossClusterDeps): Promise<CrossClusterRuntime> {
    const metrics = new CrossClusterMetrics(deps.registry);
    const remote = new KubeClient(loadKubeConfig({ kubeconfig: options.remoteKubeconfig }), {
      userAgent: 'reflect-controller/cross-cluster',
      observer: (e) => metrics.observeRemoteRequest(e),
    });
    const names = options.syncResources.map((r) =>
      r.group === '' ? `${r.resource}.${r.version}` : `${r.resource}.${r.version}.${r.group}`,
    );
    const types = await resolveResourceTypes(deps.local, names);
    const settings: PairSettings = {
      remoteResourceSuffix: options.remoteResourceSuffix,
      localNamespaceSuffix: options.localNamespaceSuffix,
      namespacePrefix: options.namespacePrefix,
      ...(options.remoteNamespaces ? { remoteNamespaces: options.remoteNamespaces } : {}),
      names: options.teleportAnnotations ? TeleportCrossCluster : CrossCluster,
      localSecretNames: options.localSecretNames,
      propagationPolicy: options.propagationPolicy,
      ...(deps.excludeNamespaces?.length ? { excludeNamespaces: deps.excludeNamespaces } : {}),
    };
    const syncs = types.map(
      (type) =>
        new CrossClusterSync({
          local: deps.local,
          remote,
          type,
          settings,
          log: deps.log,
          workers: deps.workers,
          ...(deps.watchdogMs ? { watchdogMs: deps.watchdogMs } : {}),
          ...(deps.clock ? { clock: deps.clock } : {}),
          onWrite: (side, action, ok) => metrics.observeWrite(side, action, ok),
          onReconcile: (_key, plan, result, ms, error) => {
            metrics.observeReconcile(type, result, ms);
            // A write the API server refused (not a conflict, which is retried at once) is shown on the local object.
            if (result === 'error' && plan && deps.recordEvent)
              deps.recordEvent({
                regarding: { apiVersion: apiVersionOf(type), kind: type.kind, ...plan.location.local },
                type: 'Warning',
                reason: 'CrossClusterSyncFailed',
                action: 'Sync',
                note: String(error).slice(0, 1000),
              });
          },
        }),
    );
    const runtime = new CrossClusterRuntime(remote, syncs);
    metrics.bind(() => runtime.pairs());
    return runtime;
  }

  private synced = false;
  private workersWanted = false;

  /** Starts every watch; resolves once all caches (the remote ones included) are synced, then runs wanted workers. */
  async start(): Promise<void> {
    await Promise.all(this.syncs.map((s) => s.start()));
    this.synced = true;
    if (this.workersWanted) for (const s of this.syncs) s.startWorkers();
  }

  /** Runs the workers of every sync once the caches are synced (after leader election, when it is on). */
  startWorkers(): void {
    this.workersWanted = true;
    // Workers on half-filled caches would create what already exists; they start when start() has synced.
    if (this.synced) for (const s of this.syncs) s.startWorkers();
  }

  /** Health of every cross-cluster watch. */
  health(): Record<string, InformerHealth> {
    return Object.assign({}, ...this.syncs.map((s) => s.health())) as Record<string, InformerHealth>;
  }

  /** Health of the local cross-cluster watches (for /healthz, which a remote outage must not fail). */
  localHealth(): Record<string, InformerHealth> {
    return Object.assign({}, ...this.syncs.map((s) => s.localHealth())) as Record<string, InformerHealth>;
  }

  /** The last plan of every pair, by resource. */
  pairs(): Array<PairReport & { resource: string }> {
    return this.syncs.flatMap((s) => s.pairs().map((p) => ({ ...p, resource: s.label })));
  }

  /** Stops every sync and closes the remote client. */
  async stop(timeoutMs: number): Promise<boolean> {
    const drained = await Promise.all(this.syncs.map((s) => s.stop(timeoutMs)));
    this.remote.close();
    return drained.every(Boolean);
  }
}
