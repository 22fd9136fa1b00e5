// Reconciles one source: gather the world it concerns from the caches, plan with the core, write the difference.
import type { Finding, KubeObject, NamespaceInfo, Plan, TransformLimits } from '../core/index.ts';
import { planReflection, planWrites, splitKey } from '../core/index.ts';
import type { ClusterWriter } from '../kube/cluster-port.ts';
import { executePlan } from '../kube/execute-plan.ts';
import type { WriteResult } from '../kube/execute-plan.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { objectKey } from '../kube/store.ts';
import { gatherWorld } from './gatherer.ts';
import { cacheForm } from './kind-index.ts';
import type { KindIndex } from './kind-index.ts';

/** What reconciling needs from the controller: caches to read, a port to write, and the planning options. */
export interface ReconcileDeps {
  client: ClusterWriter;
  type: ResourceType;
  index: KindIndex;
  namespaces(): readonly NamespaceInfo[];
  /** Namespaces never written to. */
  excluded: ReadonlySet<string>;
  /** Namespaces the controller may see (namespaced mode); undefined means all. */
  scope?: ReadonlySet<string>;
  maxTargets?: number;
  /** Only sources in these namespaces may push (the core decides; undefined: all may). */
  pushSourceNamespaces?: readonly string[];
  /** Namespaces access-granting kinds may be mirrored from (the core decides; undefined: none). */
  accessKindSourceNamespaces?: readonly string[];
  /** Limits on each source's transform rules; the core's defaults when unset. */
  transformLimits?: TransformLimits;
  /** k8s-replicator's and mittwald's --allow-all (the core decides what it allows). */
  allowAll?: boolean;
  /** k8s-replicator's --ignore-unknown. */
  ignoreUnknown?: boolean;
  /** Queues other sources this reconcile's writes concern, and sources that watch events held meanwhile concern (news). */
  requeue(sourceKeys: readonly string[]): void;
  /** Bounds writes in flight across all sources. */
  limit<T>(fn: () => Promise<T>): Promise<T>;
  signal?: AbortSignal;
}

/** The outcome of one reconcile: the plan, what the writes did, and whether to retry. */
export interface ReconcileOutcome {
  plan: Plan;
  writes: WriteResult[];
  findings: Finding[];
  retry: boolean;
  /** Set when only this namespace was planned: the plan's findings and states cover it alone. */
  focus?: string;
}

/**
 * Reconciles one source key ("namespace/name") of one kind from the state of the world, never from the kind of event.
 * Reads nothing from the API server (the gatherer reads the caches); writes only what the plan says. With `focus`,
 * only that namespace is planned: a new namespace costs one write per source that targets it.
 */
export async function reconcileSource(
  deps: ReconcileDeps,
  sourceKey: string,
  focus?: string,
): Promise<ReconcileOutcome> {
  const world = gatherWorld(
    { index: deps.index, namespaces: deps.namespaces(), ...(deps.scope ? { scope: deps.scope } : {}) },
    sourceKey,
    focus,
  );
  const { namespace, name } = splitKey(sourceKey);
  const plan = planReflection(world, {
    sources: [{ group: deps.type.group, kind: deps.type.kind, namespace, name }],
    ...(focus !== undefined ? { namespaces: [focus] } : {}),
    ...(deps.maxTargets ? { maxTargets: deps.maxTargets } : {}),
    ...(deps.transformLimits ? { transformLimits: deps.transformLimits } : {}),
    ...(deps.allowAll ? { allowAll: true } : {}),
    ...(deps.ignoreUnknown ? { ignoreUnknown: true } : {}),
    ...(deps.excluded.size > 0 ? { excludeNamespaces: [...deps.excluded] } : {}),
    ...(deps.pushSourceNamespaces ? { pushSourceNamespaces: deps.pushSourceNamespaces } : {}),
    ...(deps.accessKindSourceNamespaces ? { accessKindSourceNamespaces: deps.accessKindSourceNamespaces } : {}),
  });
  if (planWrites(plan) === 0) return { plan, writes: [], findings: plan.findings, retry: false, ...focused(focus) };
  // The watch may deliver a mirror we write before the answer does; the index holds that event until the answer tells
  // whether it is only our own write's echo (no reconcile needed) or news.
  const applied = plan.apply.map((a) => objectKey(a.object));
  deps.index.expectWrites(applied);
  let writes: WriteResult[] = [];
  // Sources other than this one whose plans read what it wrote: a pull mirror may be another pull mirror's source.
  const concerned = new Set<string>();
  try {
    writes = await executePlan(deps.client, plan, {
      typeOf: () => deps.type,
      limit: deps.limit,
      // Only the cache's form of each answer is kept (recordWrites below records it).
      keep: (written) => cacheForm(written, deps.index.apiVersion, deps.index.kind),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    for (const k of recordWrites(deps.index, plan, writes)) if (k !== sourceKey) concerned.add(k);
  } finally {
    const answers = applied.map((key, i) => [key, writes[plan.delete.length + i]?.written] as const);
    for (const k of deps.index.settleWrites(answers, sourceKey)) concerned.add(k);
    if (concerned.size > 0) deps.requeue([...concerned].sort());
  }
  const retry = writes.some((w) => w.outcome === 'conflict' || w.outcome === 'failed');
  return { plan, writes, findings: plan.findings, retry, ...focused(focus) };
}

function focused(focus: string | undefined): { focus?: string } {
  return focus !== undefined ? { focus } : {};
}

/**
 * Writes through to the cache what the server answered, so a reconcile of the same source right after (a mirror's
 * own watch event enqueues it) plans from what was written and not from a watch that is still behind: no second
 * create of the same mirror. The index keeps whichever is newer, this or the watch's version. Returns the source keys
 * the writes concern.
 */
function recordWrites(index: KindIndex, plan: Plan, writes: readonly WriteResult[]): string[] {
  // executePlan answers the plan's deletes, then its applies, each in plan order.
  // The answers are in the cache's form already (executePlan's keep).
  const concerned: string[] = [];
  const record = (written: KubeObject) => concerned.push(...index.recordWritten(objectKey(written), written));
  plan.delete.forEach((d, i) => {
    const w = writes[i];
    if (w?.written !== undefined) record(w.written);
    else if (w?.outcome === 'done' || w?.outcome === 'gone') {
      const key = objectKey({ metadata: { namespace: d.object.namespace, name: d.object.name } });
      concerned.push(...index.recordDeleted(key, d.uid));
    }
  });
  // Applies, then releases: a released source is recorded without the finalizer, so it is not released twice.
  for (const w of writes.slice(plan.delete.length)) if (w.written !== undefined) record(w.written);
  return concerned;
}
