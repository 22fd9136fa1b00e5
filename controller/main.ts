// reflect-controller entry point: flags, config, wiring and signal handling only.
import { DENIED_KINDS } from '../core/index.ts';
import { KubeClient } from '../kube/client.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { resolveResourceTypes } from '../kube/resources.ts';
import { Controller } from './controller.ts';
import { startHealthServer } from './health-server.ts';
import { createLogger } from './logger.ts';
import { parseOptions, USAGE } from './options.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`reflect-controller: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createLogger(options.logLevel);
  const config = loadKubeConfig({
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  const client = new KubeClient(config, {
    userAgent: 'reflect-controller',
    maxConcurrency: options.maxWritesInFlight + 16,
  });
  const types = await resolveResourceTypes(client, options.kinds);
  for (const t of types) {
    const gk = t.group === '' ? t.kind : `${t.kind}.${t.group}`;
    if (DENIED_KINDS.has(gk)) throw new Error(`--kinds: ${gk} is never mirrored (see docs/annotations.md)`);
  }
  const controller = new Controller({
    client,
    types,
    log,
    workers: options.workers,
    maxWritesInFlight: options.maxWritesInFlight,
    resyncPeriodMs: options.resyncPeriodMs,
    excludeNamespaces: options.excludeNamespaces,
    watchdogMs: options.watchdogMs,
    ...(options.maxTargets ? { maxTargets: options.maxTargets } : {}),
  });
  const health = await startHealthServer(options.healthProbeBindAddress, controller);
  log.info('starting', { server: config.server, context: config.contextName, kinds: options.kinds });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const drained = await controller.stop(options.shutdownTimeoutMs);
    health?.close();
    client.close();
    log.info('stopped', { drained });
    process.exit(drained ? 0 : 1);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await controller.start();
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`reflect-controller: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
