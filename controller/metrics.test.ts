import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MirrorStatus, Plan } from '../core/index.ts';
import type { InformerHealth } from '../kube/informer.ts';
import { SECRETS } from '../kube/resource-type.ts';
import { ControllerMetrics, startMetricsServer } from './metrics.ts';
import type { ReconcileOutcome } from './reconcile.ts';

const ref = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });

function outcome(states: MirrorStatus['state'][], retry = false, reasons: string[] = []): ReconcileOutcome {
  const mirrors: MirrorStatus[] = states.map((state, i) => ({
    source: ref('src', 's'),
    mirror: ref(`t${i}`, 's'),
    mode: 'push',
    state,
  }));
  const findings = reasons.map((reason) => ({
    severity: 'warning' as const,
    reason: reason as never,
    message: reason,
    object: ref('t0', 's'),
  }));
  const plan: Plan = { apply: [], delete: [], release: [], findings, mirrors, sources: [] };
  return { plan, writes: [], findings, retry };
}

function health(over: Partial<InformerHealth> = {}): InformerHealth {
  return {
    synced: true,
    stale: false,
    watching: true,
    lastEventAt: Date.now() - 2000,
    resourceVersion: '1',
    restarts: 0,
    relists: 0,
    watchdogTimeouts: 0,
    lastError: undefined,
    ...over,
  };
}

/** Returns the value of one sample line, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('ControllerMetrics', () => {
  it('counts reconciles by result and sums mirror states per source, forgetting deleted sources', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    m.observeReconcile(SECRETS, 'src/a', outcome(['in-sync', 'in-sync', 'blocked'], false, ['TargetBlocked']), 12);
    m.observeReconcile(SECRETS, 'src/b', outcome(['missing'], true), 5);
    m.observeReconcile(SECRETS, 'src/c', undefined, 3);
    let text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_reconcile_total{kind="secrets",result="success"}'), 1);
    assert.equal(sample(text, 'kube_reflect_reconcile_total{kind="secrets",result="retry"}'), 1);
    assert.equal(sample(text, 'kube_reflect_reconcile_total{kind="secrets",result="error"}'), 1);
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="in-sync"}'), 2);
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="blocked"}'), 1);
    assert.equal(sample(text, 'kube_reflect_findings{kind="secrets",reason="TargetBlocked"}'), 1);
    // The source's next plan is in sync; then it is deleted and its mirrors are gone.
    m.observeReconcile(SECRETS, 'src/a', outcome(['in-sync', 'in-sync', 'in-sync']), 1);
    text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="in-sync"}'), 3);
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="blocked"}'), undefined);
    assert.equal(sample(text, 'kube_reflect_findings{kind="secrets",reason="TargetBlocked"}'), undefined);
    m.observeReconcile(SECRETS, 'src/a', outcome([]), 1);
    text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="in-sync"}'), undefined);
    assert.equal(sample(text, 'kube_reflect_mirrors{kind="secrets",state="missing"}'), 1);
  });

  it('reads queue and watch health at scrape time and advances counters by their difference', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    let h = { secrets: health({ restarts: 2 }), namespaces: health({ relists: 1, stale: true }) };
    m.bind({ queue: () => ({ depth: 7, inFlight: 2, retries: 3, processed: 10 }), health: () => h });
    let text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_workqueue_depth'), 7);
    assert.equal(sample(text, 'kube_reflect_workqueue_retries_total'), 3);
    assert.equal(sample(text, 'kube_reflect_watch_restarts_total{resource="secrets"}'), 2);
    assert.equal(sample(text, 'kube_reflect_watch_relists_total{resource="namespaces"}'), 1);
    assert.equal(sample(text, 'kube_reflect_watch_stale{resource="namespaces"}'), 1);
    const age = sample(text, 'kube_reflect_watch_last_event_age_seconds{resource="secrets"}') ?? 0;
    assert.ok(age >= 2 && age < 5, String(age));
    h = { ...h, secrets: health({ restarts: 5 }) };
    text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_watch_restarts_total{resource="secrets"}'), 5);
  });

  it('counts API requests by verb, resource and code, and exposes leader and build info', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    m.observeRequest({ verb: 'apply', resource: 'secrets', code: 200, durationMs: 4 });
    m.observeRequest({ verb: 'apply', resource: 'secrets', code: 200, durationMs: 4 });
    m.observeRequest({ verb: 'get', resource: 'leases.coordination.k8s.io', code: 404, durationMs: 1 });
    m.setLeader(true);
    const text = await m.registry.metrics();
    assert.equal(sample(text, 'kube_reflect_api_requests_total{verb="apply",resource="secrets",code="200"}'), 2);
    assert.equal(
      sample(text, 'kube_reflect_api_requests_total{verb="get",resource="leases.coordination.k8s.io",code="404"}'),
      1,
    );
    assert.equal(sample(text, 'kube_reflect_leader'), 1);
    assert.match(text, /^kube_reflect_build_info\{version="[^"]+",nodejs_version="v20[^"]*"\} 1$/m);
  });

  it('serves the registry on /metrics and 404 elsewhere', async () => {
    const m = new ControllerMetrics();
    const server = await startMetricsServer('127.0.0.1:0', m.registry);
    assert.ok(server);
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.match(text, /# TYPE kube_reflect_reconcile_total counter/);
      assert.match(text, /process_cpu_seconds_total/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
    } finally {
      server.close();
    }
    assert.equal(await startMetricsServer('0', m.registry), undefined);
  });
});
