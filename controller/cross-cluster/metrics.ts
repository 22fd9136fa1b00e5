// Prometheus metrics of cross-cluster sync (kube_reflect_cross_cluster_*), on the controller's registry.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { RequestEvent } from '../../kube/client.ts';
import { resourceLabel } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import type { PairReport } from './sync.ts';

/** Counters of writes, reconciles and remote requests, and a gauge of pairs by phase read at scrape time. */
export class CrossClusterMetrics {
  private readonly writes: Counter<'side' | 'action' | 'result'>;
  private readonly reconciles: Counter<'resource' | 'result'>;
  private readonly seconds: Histogram<'resource'>;
  private readonly remoteRequests: Counter<'verb' | 'code'>;
  private pairs: () => Array<PairReport & { resource: string }> = () => [];

  constructor(registry: Registry) {
    const registers = [registry];
    const self = (): this => this;
    this.writes = new Counter({
      name: 'kube_reflect_cross_cluster_writes_total',
      help: 'Cross-cluster writes by side (local, remote), action and result (ok, failed).',
      labelNames: ['side', 'action', 'result'],
      registers,
    });
    this.reconciles = new Counter({
      name: 'kube_reflect_cross_cluster_reconcile_total',
      help: 'Reconciles of a synced pair by result (success, retry, deferred while the remote is down, error).',
      labelNames: ['resource', 'result'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'kube_reflect_cross_cluster_reconcile_duration_seconds',
      help: 'Time to reconcile one synced pair.',
      labelNames: ['resource'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.remoteRequests = new Counter({
      name: 'kube_reflect_cross_cluster_remote_requests_total',
      help: 'Requests to the remote API server by verb and HTTP code (0: no response).',
      labelNames: ['verb', 'code'],
      registers,
    });
    new Gauge({
      name: 'kube_reflect_cross_cluster_pairs',
      help: 'Synced pairs by resource and phase, from their last plan.',
      labelNames: ['resource', 'phase'],
      registers,
      collect() {
        this.reset();
        for (const p of self().pairs()) this.inc({ resource: p.resource, phase: p.phase });
      },
    });
  }

  /** Reads pairs at scrape time. */
  bind(pairs: () => Array<PairReport & { resource: string }>): void {
    this.pairs = pairs;
  }

  /** Counts one write. */
  observeWrite(side: string, action: string, ok: boolean): void {
    this.writes.inc({ side, action, result: ok ? 'ok' : 'failed' });
  }

  /** Counts one reconcile and its duration. */
  observeReconcile(type: ResourceType, result: string, ms: number): void {
    const resource = resourceLabel(type);
    this.reconciles.inc({ resource, result });
    this.seconds.observe({ resource }, ms / 1000);
  }

  /** Counts one request to the remote. */
  observeRemoteRequest(e: RequestEvent): void {
    this.remoteRequests.inc({ verb: e.verb, code: String(e.code) });
  }
}
