// Prometheus metrics of reflect-controller (kube_reflect_*), fed by the controller's hooks and read on scrape.
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MirrorState } from '../core/index.ts';
import type { RequestEvent } from '../kube/client.ts';
import type { InformerHealth } from '../kube/informer.ts';
import { resourceLabel } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import pkg from '../package.json' with { type: 'json' };
import { parseBindAddress } from './health-server.ts';
import type { ReconcileOutcome } from './reconcile.ts';
import type { QueueStats } from './work-queue.ts';

/** What the scrape-time gauges read from the running controller. */
export interface MetricsSources {
  queue(): QueueStats;
  health(): Record<string, InformerHealth>;
}

/** The result label of a reconcile: success, retry (some write conflicted or failed) or error (it threw). */
export type ReconcileResult = 'success' | 'retry' | 'error';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Holds the registry and every kube_reflect_* metric. Mirror and finding gauges are kept per source and summed at
 * scrape time, so they are right after a source is deleted (its entry goes) rather than drifting like counters.
 */
export class ControllerMetrics {
  /** The registry to expose; default process and Node.js metrics are on it too. */
  readonly registry = new Registry();
  private readonly reconciles: Counter<'kind' | 'result'>;
  private readonly reconcileSeconds: Histogram<'kind' | 'result'>;
  private readonly queueSeconds: Histogram;
  private readonly requests: Counter<'verb' | 'resource' | 'code'>;
  private readonly requestSeconds: Histogram<'verb'>;
  private readonly leader: Gauge;
  private readonly events: Counter<'reason' | 'outcome'>;
  /** Per source ("kind|ns/name"): mirror counts by state and finding counts by reason, from its last plan. */
  private readonly perSource = new Map<
    string,
    { kind: string; states: Map<string, number>; reasons: Map<string, number> }
  >();
  private sources: MetricsSources | undefined;
  /** Informer and queue totals are cumulative there; counters here advance by the difference at each scrape. */
  private readonly seen = new Map<string, number>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    // The event-loop lag histogram samples with a timer; prom-client's default of 10 ms woke the idle process 100 times
    // a second (0.66 -> 0.24 s CPU per idle minute against a fake apiserver). Once a second still sees every stall.
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1000 });
    const self = (): this => this;
    new Gauge({
      name: 'kube_reflect_build_info',
      help: 'Build information; the value is always 1.',
      labelNames: ['version', 'nodejs_version'],
      registers,
    }).set({ version: pkg.version, nodejs_version: process.version }, 1);
    this.reconciles = new Counter({
      name: 'kube_reflect_reconcile_total',
      help: 'Reconciles of a source, by kind and result (success, retry, error).',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.reconcileSeconds = new Histogram({
      name: 'kube_reflect_reconcile_duration_seconds',
      help: 'Time to reconcile one source: reads, plan and writes.',
      labelNames: ['kind', 'result'],
      buckets: SECONDS,
      registers,
    });
    new Gauge({
      name: 'kube_reflect_mirrors',
      help: 'Mirrors (and wanted mirrors) by state, from the last plan of each source.',
      labelNames: ['kind', 'state'],
      registers,
      collect() {
        this.reset();
        for (const s of self().perSource.values())
          for (const [state, n] of s.states) this.inc({ kind: s.kind, state }, n);
      },
    });
    new Gauge({
      name: 'kube_reflect_findings',
      help: 'Current findings by reason (TargetBlocked, PullDenied, InvalidAnnotation...), from the last plan of each source.',
      labelNames: ['kind', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const s of self().perSource.values())
          for (const [reason, n] of s.reasons) this.inc({ kind: s.kind, reason }, n);
      },
    });
    new Gauge({
      name: 'kube_reflect_sources',
      help: 'Sources known, by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const s of self().perSource.values()) this.inc({ kind: s.kind });
      },
    });
    new Gauge({
      name: 'kube_reflect_workqueue_depth',
      help: 'Source keys waiting in the work queue (including ones waiting for a retry).',
      registers,
      collect() {
        const q = self().sources?.queue();
        if (q) this.set(q.depth);
      },
    });
    new Gauge({
      name: 'kube_reflect_workqueue_in_flight',
      help: 'Source keys being reconciled right now.',
      registers,
      collect() {
        const q = self().sources?.queue();
        if (q) this.set(q.inFlight);
      },
    });
    this.queueSeconds = new Histogram({
      name: 'kube_reflect_workqueue_queue_duration_seconds',
      help: 'How long a source key waited in the queue before a worker took it.',
      buckets: SECONDS,
      registers,
    });
    this.counterFromTotal('kube_reflect_workqueue_retries_total', 'Reconciles requeued with backoff.', [], () => {
      const q = this.sources?.queue();
      return q ? [[{}, q.retries]] : [];
    });
    const perWatch = (field: 'restarts' | 'relists' | 'watchdogTimeouts') => () =>
      Object.entries(this.sources?.health() ?? {}).map(([resource, h]) => [{ resource }, h[field]] as const);
    this.counterFromTotal(
      'kube_reflect_watch_restarts_total',
      'Watches restarted after an error.',
      ['resource'],
      perWatch('restarts'),
    );
    this.counterFromTotal(
      'kube_reflect_watch_relists_total',
      'Full relists after 410 Gone.',
      ['resource'],
      perWatch('relists'),
    );
    this.counterFromTotal(
      'kube_reflect_watch_watchdog_timeouts_total',
      'Watches aborted by the watchdog for silence.',
      ['resource'],
      perWatch('watchdogTimeouts'),
    );
    new Gauge({
      name: 'kube_reflect_watch_last_event_age_seconds',
      help: 'Seconds since the last event or bookmark of each watch (grows on a kind that never changes: the apiserver skips its bookmarks).',
      labelNames: ['resource'],
      registers,
      collect() {
        for (const [resource, h] of Object.entries(self().sources?.health() ?? {}))
          if (h.lastEventAt !== undefined) this.set({ resource }, (Date.now() - h.lastEventAt) / 1000);
      },
    });
    new Gauge({
      name: 'kube_reflect_watch_stale',
      help: '1 while a watch has been silent longer than the watchdog allows (/healthz fails).',
      labelNames: ['resource'],
      registers,
      collect() {
        for (const [resource, h] of Object.entries(self().sources?.health() ?? {})) this.set({ resource }, +h.stale);
      },
    });
    new Gauge({
      name: 'kube_reflect_cache_synced',
      help: '1 once the first full list of a watch is in the cache.',
      labelNames: ['resource'],
      registers,
      collect() {
        for (const [resource, h] of Object.entries(self().sources?.health() ?? {})) this.set({ resource }, +h.synced);
      },
    });
    this.requests = new Counter({
      name: 'kube_reflect_api_requests_total',
      help: 'Requests to the API server by verb, resource and HTTP code (0: no response).',
      labelNames: ['verb', 'resource', 'code'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'kube_reflect_api_request_duration_seconds',
      help: 'Latency of API requests (watch openings until the response headers).',
      labelNames: ['verb'],
      buckets: SECONDS,
      registers,
    });
    this.leader = new Gauge({
      name: 'kube_reflect_leader',
      help: '1 while this replica is the leader (runs the workers); always 1 without leader election.',
      registers,
    });
    this.events = new Counter({
      name: 'kube_reflect_events_total',
      help: 'Kubernetes Events by reason and outcome (created, updated, suppressed, throttled, failed).',
      labelNames: ['reason', 'outcome'],
      registers,
    });
  }

  /** Connects the scrape-time gauges to the running controller. */
  bind(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** Records one reconcile (the Controller's onReconcile hook). */
  observeReconcile(type: ResourceType, key: string, outcome: ReconcileOutcome | undefined, ms: number): void {
    const kind = resourceLabel(type);
    const result: ReconcileResult = outcome === undefined ? 'error' : outcome.retry ? 'retry' : 'success';
    this.reconciles.inc({ kind, result });
    this.reconcileSeconds.observe({ kind, result }, ms / 1000);
    // A focused reconcile planned one namespace only; its states would undercount the source's mirrors.
    if (outcome === undefined || outcome.focus !== undefined) return;
    const id = `${kind}|${key}`;
    if (outcome.plan.mirrors.length === 0 && outcome.findings.length === 0) {
      this.perSource.delete(id);
      return;
    }
    const states = new Map<MirrorState | string, number>();
    for (const m of outcome.plan.mirrors) states.set(m.state, (states.get(m.state) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const f of outcome.findings) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
    this.perSource.set(id, { kind, states, reasons });
  }

  /** Records one API request (the KubeClient observer). */
  observeRequest(e: RequestEvent): void {
    // Discovery paths would make the label unbounded in theory; they are few and fixed in practice.
    this.requests.inc({ verb: e.verb, resource: e.resource, code: String(e.code) });
    this.requestSeconds.observe({ verb: e.verb }, e.durationMs / 1000);
  }

  /** Records how long a key waited in the queue. */
  observeQueueLatency(ms: number): void {
    this.queueSeconds.observe(ms / 1000);
  }

  /** Sets the leader gauge. */
  setLeader(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }

  /** Counts an Event the recorder created, updated, suppressed, throttled or failed to write. */
  observeEvent(reason: string, outcome: string): void {
    this.events.inc({ reason, outcome });
  }

  private counterFromTotal<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    read: () => ReadonlyArray<readonly [Partial<Record<L, string>>, number]>,
  ): void {
    const seen = this.seen;
    new Counter<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        for (const [labels, total] of read()) {
          const k = `${name}${JSON.stringify(labels)}`;
          const delta = total - (seen.get(k) ?? 0);
          seen.set(k, total);
          if (delta > 0) this.inc(labels, delta);
          else if (delta === 0) this.inc(labels, 0);
        }
      },
    });
  }
}

/** Serves GET /metrics from the registry on addr (":8080"; "0" disables). Returns the server once listening. */
export async function startMetricsServer(addr: string, registry: Registry): Promise<http.Server | undefined> {
  const bind = parseBindAddress(addr);
  if (bind === undefined) return undefined;
  const server = http.createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => resolve());
  });
  return server;
}
