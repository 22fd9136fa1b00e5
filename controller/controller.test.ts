import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, KubeObject, MirrorStatus } from '../core/index.ts';
import { Labels } from '../core/index.ts';
import type { CreateOptions, DeleteOptions } from '../kube/client.ts';
import { NAMESPACES, SECRETS } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { WatchEvent, WatchOptions } from '../kube/watch.ts';
import { FakeClock, settle } from '../kube/test-support/fake-clock.ts';
import { MemoryCluster } from '../kube/test-support/memory-cluster.ts';
import { checkScenario, controllerSettingsOf, loadScenarios } from '../test/scenarios/catalogue.ts';
import { seedCluster } from '../test/scenarios/seed.ts';
import type { Scenario } from '../test/scenarios/catalogue.ts';
import { Controller } from './controller.ts';
import type { ControllerConfig } from './controller.ts';
import type { ReconcileOutcome } from './reconcile.ts';
import { createLogger } from './logger.ts';
import { NETWORK_POLICIES, SCENARIO_TYPES } from '../test/scenarios/resource-types.ts';

const TYPES = SCENARIO_TYPES;

/** Seeds a memory cluster as a user would (server fields stripped). */
function seed(scenario: Scenario): Promise<MemoryCluster> {
  return seedCluster(scenario, TYPES);
}

/** Runs a controller on the cluster until it is idle, then stops it. */
async function runController(cluster: MemoryCluster, config: Partial<ControllerConfig> = {}) {
  const seeded = cluster.requests.length;
  const findings = new Map<string, Finding[]>();
  const mirrors = new Map<string, MirrorStatus[]>();
  let writes = 0;
  // Finalizer releases are JSON patches: counted apart from the patches that follow an apply.
  let releases = 0;
  const controller = new Controller({
    client: cluster,
    types: TYPES,
    log: createLogger('error', () => undefined),
    workers: 4,
    maxWritesInFlight: 8,
    resyncPeriodMs: 600_000,
    excludeNamespaces: [],
    onReconcile: (type, key, outcome) => {
      if (outcome && outcome.focus === undefined) findings.set(`${type.kind}|${key}`, outcome.findings);
      if (outcome && outcome.focus === undefined) mirrors.set(`${type.kind}|${key}`, outcome.plan.mirrors);
      writes += outcome?.writes.length ?? 0;
      releases += outcome?.writes.filter((w) => w.action === 'release').length ?? 0;
    },
    ...config,
  });
  await controller.start();
  await controller.idle();
  await controller.stop(1000);
  const objects: KubeObject[] = TYPES.flatMap((t) => cluster.all(t));
  const requests = cluster.requests.slice(seeded);
  const states = [...mirrors.values()].flat();
  return { objects, findings: [...findings.values()].flat(), mirrors: states, requests, writes, releases };
}

describe('the scenario catalogue through the Controller on an in-memory cluster', () => {
  for (const scenario of loadScenarios('controller')) {
    it(`${scenario.file}: ${scenario.name}`, async () => {
      const cluster = await seed(scenario);
      // The scenario's options block, as the controller's settings of the same names.
      const settings = controllerSettingsOf(scenario.options);
      const { objects, findings, requests, writes, releases } = await runController(cluster, settings);
      assert.deepEqual(checkScenario(scenario, { objects, findings }), []);
      // Reads come from the informers' one LIST and WATCH per resource; every other request is one write's, but for
      // the patch after an apply that removes keys another manager owns (a user-made pull mirror's own data).
      const reads = requests.filter((r) => r.verb === 'get' || r.verb === 'list');
      assert.equal(reads.length, 1 + TYPES.length, JSON.stringify(reads));
      const sent = requests.filter((r) => r.verb !== 'get' && r.verb !== 'list' && r.verb !== 'watch');
      const patches = sent.filter((r) => r.verb === 'patch').length;
      assert.equal(sent.length - patches, writes - releases);
      assert.ok(patches - releases <= sent.filter((r) => r.verb === 'apply').length);
      // Restarted in sync: nothing to write, and no request but the informers' LISTs and WATCHes.
      const restart = await runController(cluster, settings);
      assert.equal(restart.writes, 0);
      assert.deepEqual([...new Set(restart.requests.map((r) => r.verb))].sort(), ['list', 'watch']);
      assert.equal(restart.requests.length, 2 * (1 + TYPES.length));
    });
  }
});

describe('administrator policies through the Controller', () => {
  const world: Scenario = {
    ...loadScenarios('controller')[0]!,
    namespaces: ['platform', 'tenant', 'team-a', 'kube-system'].map((name) => ({ name, labels: {} })),
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'all' } },
        data: { k: 'dg==' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'evil', namespace: 'tenant', annotations: { 'kube-reflect.io/to': 'all' } },
        data: { k: 'dg==' },
      },
    ],
  };

  it('never writes into an excluded namespace, and reports no mirror state there (metrics drain)', async () => {
    const { objects, mirrors } = await runController(await seed(world), { excludeNamespaces: ['kube-system'] });
    assert.deepEqual(
      objects.filter((o) => o.metadata.namespace === 'kube-system'),
      [],
    );
    assert.deepEqual(
      mirrors.filter((m) => m.mirror.namespace === 'kube-system'),
      [],
    );
  });

  it('lets only push-source namespaces push: a tenant source gets a finding and no mirror', async () => {
    const { objects, findings } = await runController(await seed(world), { pushSourceNamespaces: ['platform'] });
    const mirrorsOf = (source: string) =>
      objects
        .filter((o) => o.metadata.annotations?.['kube-reflect.io/source'] === source)
        .map((o) => o.metadata.namespace);
    assert.deepEqual(mirrorsOf('tenant/evil'), []);
    assert.deepEqual(mirrorsOf('platform/db').sort(), ['kube-system', 'team-a', 'tenant']);
    assert.ok(findings.some((f) => f.reason === 'PushSourceNotAllowed' && f.object.name === 'evil'));
  });
});

describe('the Controller on a fake clock', () => {
  it('says once when the first reconcile of every source is done, and resyncs only when the period has passed', async () => {
    const clock = new FakeClock();
    const scenario = loadScenarios('controller')[0]!;
    const cluster = await seed(scenario);
    const lines: Array<{ msg: string; sources?: number }> = [];
    let reconciles = 0;
    const controller = new Controller({
      client: cluster,
      types: TYPES,
      log: createLogger('debug', (l) => lines.push(JSON.parse(l) as { msg: string })),
      workers: 2,
      maxWritesInFlight: 4,
      resyncPeriodMs: 600_000,
      excludeNamespaces: [],
      clock,
      onReconcile: () => reconciles++,
    });
    await controller.start();
    await clock.until('the first reconcile reported', () =>
      lines.some((l) => l.msg === 'first reconcile of every source done'),
    );
    const done = lines.filter((l) => l.msg === 'first reconcile of every source done');
    assert.equal(done.length, 1);
    // Every source reconciled at least once by then (its own write's echo may add one more).
    assert.ok((done[0]?.sources ?? 0) > 0 && reconciles >= (done[0]?.sources ?? 0), JSON.stringify(done[0]));
    // The resync is jittered into [0.9, 1.1] of the period: nothing before 540 s, one by 660 s.
    const before = reconciles;
    await clock.advance(539_000);
    assert.equal(reconciles, before);
    await clock.advance(121_000);
    assert.equal(lines.filter((l) => l.msg === 'periodic resync').length, 1);
    await controller.idle();
    assert.ok(reconciles > before);
    assert.equal(lines.filter((l) => l.msg === 'first reconcile of every source done').length, 1);
    await controller.stop(1000);
  });
});

describe('kinds found again at run time (--kinds auto)', () => {
  it('a kind added later is watched and its sources reconciled; a kind dropped is no longer watched', async () => {
    const cluster = new MemoryCluster();
    for (const name of ['platform', 'team-a'])
      await cluster.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await cluster.create(
      NETWORK_POLICIES,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
        spec: { podSelector: {} },
      },
      { fieldManager: 'user' },
    );
    const controller = new Controller({
      client: cluster,
      types: [SECRETS],
      log: createLogger('error', () => undefined),
      workers: 2,
      maxWritesInFlight: 4,
      resyncPeriodMs: 600_000,
      excludeNamespaces: [],
    });
    try {
      await controller.start();
      await controller.idle();
      assert.equal(cluster.all(NETWORK_POLICIES).length, 1);
      assert.deepEqual(await controller.setTypes([SECRETS, NETWORK_POLICIES]), {
        added: ['networkpolicies.networking.k8s.io'],
        removed: [],
      });
      await controller.idle();
      assert.deepEqual(
        cluster
          .all(NETWORK_POLICIES)
          .map((o) => o.metadata.namespace)
          .sort(),
        ['platform', 'team-a'],
      );
      assert.deepEqual(await controller.setTypes([SECRETS]), {
        added: [],
        removed: ['networkpolicies.networking.k8s.io'],
      });
      assert.deepEqual(Object.keys(controller.health()).sort(), ['namespaces', 'secrets']);
    } finally {
      await controller.stop(1000);
    }
  });
});

/**
 * A cluster whose Secret writes of the `gated` verbs wait until the test lets them go, and whose Secret watch lags its
 * answers while `lagging` is set (its events are held, then delivered by catchUp): a new leader's watch replaying what
 * it missed.
 */
class LaggingCluster extends MemoryCluster {
  lagging = false;
  gated = new Set<'create' | 'delete'>();
  private readonly held: Array<() => void> = [];
  private readonly gates: Array<() => void> = [];

  /** Write requests waiting at the gate. */
  get waiting(): number {
    return this.gates.length;
  }

  /** Lets the oldest waiting write reach the cluster. */
  letGo(): void {
    this.gates.shift()?.();
  }

  /** Resolves once a write waits at the gate. */
  async untilWaiting(): Promise<void> {
    for (let turns = 0; this.gates.length === 0; turns++) {
      assert.ok(turns < 1000, 'a write reaches the gate');
      await settle(1);
    }
  }

  private async gate(verb: 'create' | 'delete', type: ResourceType): Promise<void> {
    if (type === SECRETS && this.gated.has(verb)) await new Promise<void>((resolve) => this.gates.push(resolve));
  }

  override async create<T = unknown>(type: ResourceType, body: object, options?: CreateOptions): Promise<T> {
    await this.gate('create', type);
    return super.create<T>(type, body, options);
  }

  /** Delivers the watch events held while lagging, in order. */
  catchUp(): void {
    this.lagging = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  override async delete<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<T> {
    await this.gate('delete', type);
    return super.delete<T>(type, namespace, name, options);
  }

  override watch<T>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void) {
    return super.watch<T>(type, options, (event) => {
      if (this.lagging && type === SECRETS) this.held.push(() => onEvent(event));
      else onEvent(event);
    });
  }
}

/** A source platform/s7 pushing to team-*, namespaces platform and team-a, and controllers of Secrets on `cluster`. */
async function racingWorld(cluster: LaggingCluster) {
  const namespace = (name: string, labels: Record<string, string> = {}) =>
    cluster.apply(
      NAMESPACES,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
      { fieldManager: 'user', force: true },
    );
  await namespace('platform');
  await namespace('team-a');
  await cluster.create(
    SECRETS,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's7', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-*' } },
      data: { k: 'dg==' },
    },
    { fieldManager: 'user' },
  );
  // Each reconcile of the source: whole (*) or focused, and what it wrote.
  const reconciled: string[] = [];
  const controller = (record = false) =>
    new Controller({
      client: cluster,
      types: [SECRETS],
      log: createLogger('error', () => undefined),
      workers: 2,
      maxWritesInFlight: 4,
      resyncPeriodMs: 600_000,
      excludeNamespaces: [],
      ...(record
        ? {
            onReconcile: (_type: unknown, key: string, outcome: ReconcileOutcome | undefined) =>
              reconciled.push(
                `${key} ${outcome?.focus ?? '*'}: ${outcome?.writes.map((w) => `${w.action} ${w.outcome}`).join(', ')}`,
              ),
          }
        : {}),
    });
  const mirror = () => cluster.all(SECRETS).find((o) => o.metadata.namespace === 'team-a');
  return { namespace, controller, mirror, reconciled };
}

describe('a source reconciled while the namespaces it plans from change (soak: half-open, sk-t12/s7)', () => {
  it('the focused reconcile waits for the whole one, so a mirror the whole one deletes from an older view is recreated', async () => {
    const cluster = new LaggingCluster();
    const { namespace, controller, mirror, reconciled } = await racingWorld(cluster);
    // A former leader made the mirror; then team-a stopped accepting mirrors while no controller ran.
    const former = controller();
    await former.start();
    await former.idle();
    await former.stop(1000);
    assert.ok(mirror(), 'the former leader made the mirror');
    await namespace('team-a', { [Labels.acceptMirrors]: 'false' });

    const leader = controller(true);
    try {
      cluster.lagging = true;
      cluster.gated.add('delete');
      await leader.start();
      // The first pass plans from a view where team-a refuses mirrors: its delete is in flight.
      await cluster.untilWaiting();
      // team-a accepts mirrors again: a reconcile of the source focused on team-a is queued, with a worker free.
      await namespace('team-a', { [Labels.acceptMirrors]: 'true' });
      await settle();
      cluster.letGo();
      await leader.idle();
      // The delete's answer came first; its watch event (the echo of our own write) arrives only now.
      cluster.catchUp();
      await leader.idle();
      // The whole reconcile runs once more too: the namespaces changed while its delete was in flight.
      assert.deepEqual(reconciled, ['platform/s7 *: delete done', 'platform/s7 team-a: apply done', 'platform/s7 *: ']);
      assert.ok(mirror(), 'team-a/s7 is there again');
    } finally {
      await leader.stop(1000);
    }
  });

  it('a mirror created from an older view, into a namespace that refused mirrors meanwhile, is deleted again', async () => {
    const cluster = new LaggingCluster();
    const { namespace, controller, mirror, reconciled } = await racingWorld(cluster);
    const leader = controller(true);
    try {
      cluster.lagging = true;
      cluster.gated.add('create');
      await leader.start();
      // The first pass creates the mirror in team-a; while the create is in flight team-a refuses mirrors. Nothing in
      // the cache ties team-a to the source yet (the mirror is not written), so the namespace event alone finds no one.
      await cluster.untilWaiting();
      await namespace('team-a', { [Labels.acceptMirrors]: 'false' });
      await settle();
      cluster.letGo();
      await leader.idle();
      cluster.catchUp();
      await leader.idle();
      assert.equal(mirror(), undefined, `team-a/s7 is gone again; reconciles: ${reconciled.join('; ')}`);
    } finally {
      await leader.stop(1000);
    }
  });
});
