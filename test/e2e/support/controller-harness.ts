/** Runs the controller in-process against the test control plane, and helpers to seed and read a world. */
import type { Finding, KubeObject, NamespaceInfo } from '../../../core/index.ts';
import { KubeClient } from '../../../kube/client.ts';
import { loadKubeConfig } from '../../../kube/config.ts';
import { isNotFound } from '../../../kube/errors.ts';
import type { ResourceType } from '../../../kube/resource-type.ts';
import { NAMESPACES } from '../../../kube/resource-type.ts';
import { Controller } from '../../../controller/controller.ts';
import type { ControllerConfig } from '../../../controller/controller.ts';
import { createLogger } from '../../../controller/logger.ts';
import { useTestControlPlane } from '../../cluster/harness.ts';
import { checkScenario, controllerSettingsOf } from '../../scenarios/catalogue.ts';
import { NETWORK_POLICIES, SCENARIO_TYPES } from '../../scenarios/resource-types.ts';
export { NETWORK_POLICIES, SCENARIO_TYPES };
import type { Scenario } from '../../scenarios/catalogue.ts';

/** Returns a client for the shared test control plane's admin. */
export async function adminClient(): Promise<KubeClient> {
  const cp = await useTestControlPlane();
  return new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), { userAgent: 'e2e-test' });
}

/** Returns the resource type of a scenario object. */
export function typeOf(obj: { kind: string }): ResourceType {
  const t = SCENARIO_TYPES.find((x) => x.kind === obj.kind);
  if (t === undefined) throw new Error(`no resource type for kind ${obj.kind}`);
  return t;
}

/** Creates namespaces (or sets their labels to exactly these) with server-side apply. */
export async function ensureNamespaces(client: KubeClient, namespaces: readonly NamespaceInfo[]): Promise<void> {
  for (const ns of namespaces) {
    await client.apply(
      NAMESPACES,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: ns.labels } },
      { fieldManager: 'e2e-scenario', force: true },
    );
  }
}

/** Creates objects as a user would (server fields stripped). */
export async function createObjects(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const obj of objects) {
    const body = structuredClone(obj);
    delete body.metadata.uid;
    delete body.metadata.resourceVersion;
    await client.create(typeOf(obj), body, { fieldManager: 'e2e-user' });
  }
}

/** Lists every object of the scenario kinds in the given namespaces. */
export async function listObjects(client: KubeClient, namespaces: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const type of SCENARIO_TYPES) {
    for (const namespace of namespaces) {
      const { items } = await client.list<KubeObject>(type, { namespace });
      for (const o of items) out.push({ ...o, kind: type.kind });
    }
  }
  return out;
}

/** Deletes every object of the scenario kinds in the namespaces, except the ones listed to keep (by uid). */
export async function deleteObjects(
  client: KubeClient,
  namespaces: readonly string[],
  keepUids: ReadonlySet<string>,
): Promise<void> {
  for (const obj of await listObjects(client, namespaces)) {
    if (obj.metadata.uid !== undefined && keepUids.has(obj.metadata.uid)) continue;
    await client.delete(typeOf(obj), obj.metadata.namespace, obj.metadata.name).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

/** A controller running in this process, with the findings of each source's last reconcile. */
export interface RunningController {
  controller: Controller;
  findings(): Finding[];
  /** Waits until the queue is idle and stays idle for a moment (our own writes cause events). */
  settle(): Promise<void>;
  /** How many applies the controller made to an object ("Kind/namespace/name"). */
  writes(identity: string): number;
  stop(): Promise<void>;
}

/** Starts a controller in-process, limited to the given namespaces, with more settings when given. */
export async function startController(
  client: KubeClient,
  namespaces?: readonly string[],
  settings: Partial<ControllerConfig> = {},
): Promise<RunningController> {
  const lastFindings = new Map<string, Finding[]>();
  const writeCounts = new Map<string, number>();
  const controller = new Controller({
    client,
    types: SCENARIO_TYPES,
    log: createLogger(process.env.E2E_LOG === '1' ? 'debug' : 'error'),
    workers: 4,
    maxWritesInFlight: 16,
    resyncPeriodMs: 600_000,
    excludeNamespaces: [],
    ...(namespaces ? { namespaces } : {}),
    ...settings,
    onReconcile: (type, key, outcome) => {
      if (outcome && outcome.focus === undefined) lastFindings.set(`${type.kind}|${key}`, outcome.findings);
      for (const w of outcome?.writes ?? []) {
        if (w.action === 'apply' && w.outcome === 'done')
          writeCounts.set(w.object, (writeCounts.get(w.object) ?? 0) + 1);
      }
    },
  });
  await controller.start();
  const settle = async () => {
    for (let quiet = 0; quiet < 3;) {
      await controller.idle();
      await new Promise((r) => setTimeout(r, 150));
      quiet = controller.queue.stats().depth === 0 && controller.queue.stats().inFlight === 0 ? quiet + 1 : 0;
    }
  };
  return {
    controller,
    findings: () => dedupe([...lastFindings.values()].flat()),
    writes: (identity) => writeCounts.get(identity) ?? 0,
    settle,
    stop: async () => {
      await controller.stop(5000);
    },
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = JSON.stringify([f.reason, f.object, f.annotation, f.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Seeds a scenario with the admin client, runs a controller (with `controllerClient`'s rights) limited to the scenario's
 * namespaces until it settles, and returns how the outcome differs from the expectations; the seeded objects and the
 * mirrors are removed afterwards, objects that were there before are left alone.
 */
export async function runScenarioThroughController(
  admin: KubeClient,
  controllerClient: KubeClient,
  scenario: Scenario,
): Promise<string[]> {
  const names = scenario.namespaces.map((n) => n.name);
  await ensureNamespaces(admin, scenario.namespaces);
  const before = new Set((await listObjects(admin, names)).map((o) => o.metadata.uid ?? ''));
  await createObjects(admin, scenario.objects);
  const running = await startController(controllerClient, names, controllerSettingsOf(scenario.options));
  try {
    await running.settle();
    const objects = (await listObjects(admin, names)).filter((o) => !before.has(o.metadata.uid ?? ''));
    return checkScenario(scenario, { objects, findings: running.findings() });
  } finally {
    await running.stop();
    await deleteObjects(admin, names, before);
  }
}
