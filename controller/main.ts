// reflect-controller entry point: flags, config, wiring and signal handling only.
import { KubeClient } from '../kube/client.ts';
import { systemClock } from '../kube/clock.ts';
import { loadConnection } from '../kube/connection.ts';
import { EventRecorder } from '../kube/event-recorder.ts';
import { defaultIdentity, LeaderElector, leaseNamespace } from '../kube/leader-election.ts';
import { discoverNamespacedTypes, resolveResourceTypes } from '../kube/resources.ts';
import { resourceLabel } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { Controller } from './controller.ts';
import { CrossClusterRuntime } from './cross-cluster/runtime.ts';
import { eventsFor } from './finding-events.ts';
import { autoKinds, kindsProblem } from './kind-policy.ts';
import { startHealthServer } from './health-server.ts';
import { createLogger } from './logger.ts';
import { ControllerMetrics, startMetricsServer } from './metrics.ts';
import { parseOptions, USAGE } from './options.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    createLogger('error').error((err as Error).message, { hint: 'reflect-controller --help lists the flags' });
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createLogger(options.logLevel);
  // Every line the controller prints is JSON: Node's own warnings (deprecations, listener limits) go through the log
  // instead of its plain-text default printer.
  process.removeAllListeners('warning');
  process.on('warning', (w) => log.warn(w.message, { warning: w.name }));
  const config = loadConnection(options);
  // One clock for the queue, informers, resync, Events and leader election (tests run each on a FakeClock).
  const clock = systemClock;
  const metrics = new ControllerMetrics();
  const identity = defaultIdentity();
  const client = new KubeClient(config, {
    userAgent: 'reflect-controller',
    observer: (e) => metrics.observeRequest(e),
    maxConcurrency: options.maxWritesInFlight + 16,
  });
  // Its own client: Lease renewals must never wait behind a takeover's writes in the shared client's queue.
  const leaseClient = new KubeClient(config, {
    userAgent: 'reflect-controller',
    observer: (e) => metrics.observeRequest(e),
    maxConcurrency: 2,
  });
  const auto = options.kinds[0] === 'auto';
  // --kinds auto: the kinds discovery finds that the core does not refuse, found again every --discovery-interval.
  // A group whose list failed keeps the kinds it had, so a flapping aggregated API does not drop and re-add them.
  const discover = async (current: readonly ResourceType[] = []) => {
    const found = await discoverNamespacedTypes(client);
    if (found.unavailableGroups.length > 0)
      log.warn('kind discovery: groups unavailable', { groups: found.unavailableGroups });
    const kept = current.filter((t) => found.unavailableGroups.includes(t.group));
    return [...autoKinds(found.types, options.accessKindSourceNamespaces), ...kept];
  };
  const types = auto ? await discover() : await resolveResourceTypes(client, options.kinds);
  const problem = kindsProblem(types, options.accessKindSourceNamespaces);
  if (problem !== undefined) throw new Error(problem);
  const controller = new Controller({
    client,
    types,
    log,
    workers: options.workers,
    maxWritesInFlight: options.maxWritesInFlight,
    resyncPeriodMs: options.resyncPeriodMs,
    excludeNamespaces: options.excludeNamespaces,
    ...(options.pushSourceNamespaces ? { pushSourceNamespaces: options.pushSourceNamespaces } : {}),
    ...(options.accessKindSourceNamespaces ? { accessKindSourceNamespaces: options.accessKindSourceNamespaces } : {}),
    watchdogMs: options.watchdogMs,
    ...(options.maxTargets ? { maxTargets: options.maxTargets } : {}),
    transformLimits: options.transformLimits,
    ...(options.allowAll ? { allowAll: true } : {}),
    ...(options.ignoreUnknown ? { ignoreUnknown: true } : {}),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    deferWorkers: options.leaderElect,
    clock,
    onReconcile: (type, key, outcome, ms) => {
      metrics.observeReconcile(type, key, outcome, ms);
      if (outcome) for (const e of eventsFor(type, key, outcome)) events.record(e);
    },
  });
  const events = new EventRecorder({
    client,
    controller: 'kube-reflect.io/controller',
    instance: identity,
    clock,
    onOutcome: (e, outcome, err) => {
      metrics.observeEvent(e.reason, outcome);
      if (err !== undefined) log.debug('event not written', { reason: e.reason, error: String(err) });
    },
  });
  controller.queue.onLatency = (ms) => metrics.observeQueueLatency(ms);
  // Cross-cluster sync shares the local client, logger, metrics registry, leader election and health endpoints.
  const cross = options.crossCluster
    ? await CrossClusterRuntime.create(options.crossCluster, {
        local: client,
        log,
        registry: metrics.registry,
        workers: Math.min(options.workers, 8),
        watchdogMs: options.watchdogMs,
        clock,
        recordEvent: (e) => events.record(e),
        excludeNamespaces: options.excludeNamespaces,
      })
    : undefined;
  const watchHealth = () => ({ ...controller.health(), ...cross?.health() });
  metrics.bind({ queue: () => controller.queue.stats(), health: watchHealth });
  metrics.setLeader(!options.leaderElect);
  const elector = !options.leaderElect
    ? undefined
    : new LeaderElector({
        client: leaseClient,
        namespace: leaseNamespace(options.leaderElectionNamespace, config.namespace),
        name: options.leaderElectionId,
        identity,
        leaseDurationMs: options.leaseDurationMs,
        renewDeadlineMs: options.renewDeadlineMs,
        retryPeriodMs: options.retryPeriodMs,
        clock,
        onStartedLeading: () => {
          // Fresh streams for the new term: a standby's watch may have died silently behind a half-open connection.
          const watchesReopened = controller.reopenWatches();
          log.info('became leader; starting workers', { identity, watchesReopened });
          metrics.setLeader(true);
          controller.startWorkers();
          cross?.startWorkers();
        },
        onStoppedLeading: (why) => {
          metrics.setLeader(false);
          // Like controller-runtime: a replica that lost the Lease must not write again; restarting is the clean way.
          if (why === 'lost') {
            log.error('leader election lost; exiting', { identity });
            process.exit(1);
          }
        },
        onNewLeader: (leader) => log.info('new leader observed', { leader }),
        log: (msg, fields) => log.warn(msg, fields),
      });
  const health = await startHealthServer(options.healthProbeBindAddress, {
    isReady: () => controller.isReady(),
    // A remote outage must not fail the liveness probe: restarting would stall mirroring and fix nothing.
    health: () => ({ ...controller.health(), ...cross?.localHealth() }),
  });
  const metricsServer = await startMetricsServer(options.metricsBindAddress, metrics.registry);
  log.info('starting', { server: config.server, context: config.contextName, kinds: options.kinds });
  let stopping = false;
  let rediscovery: ReturnType<typeof setInterval> | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(rediscovery);
    log.info('shutting down', { signal });
    const [drained = false, crossDrained = true] = await Promise.all([
      controller.stop(options.shutdownTimeoutMs),
      ...(cross ? [cross.stop(options.shutdownTimeoutMs)] : []),
    ]);
    // Only after the last write: give the Lease up so a standby takes over at once.
    await elector?.stop();
    health?.close();
    metricsServer?.close();
    client.close();
    leaseClient.close();
    const watches = Object.fromEntries(
      Object.entries(controller.health()).map(([k, h]) => [
        k,
        { restarts: h.restarts, relists: h.relists, watchdogTimeouts: h.watchdogTimeouts },
      ]),
    );
    log.info('stopped', { drained, watches });
    process.exit(drained && crossDrained ? 0 : 1);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  if (cross) {
    // The remote may be down at start-up: it must never hold back namespace mirroring.
    if (!options.leaderElect) cross.startWorkers();
    void cross.start().catch((err: unknown) => log.error('cross-cluster sync failed to start', { error: String(err) }));
  }
  await controller.start();
  if (auto) {
    log.info('kinds discovered', { kinds: controller.kindTypes().map(resourceLabel) });
    rediscovery = setInterval(() => {
      discover(controller.kindTypes())
        .then((found) => controller.setTypes(found))
        .then(({ added, removed }) => {
          if (added.length + removed.length > 0) log.info('kinds rediscovered', { added, removed });
        })
        // A failed discovery (apiserver away, an aggregated API down) keeps the kinds as they are until the next.
        .catch((err: unknown) => log.warn('kind discovery failed; kinds unchanged', { error: String(err) }));
    }, options.discoveryIntervalMs);
    rediscovery.unref?.();
  }
  if (elector) {
    log.info('caches synced; campaigning for leadership', { identity, lease: options.leaderElectionId });
    void elector.start();
  }
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    createLogger('error').error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
