// Reconciles one source: read the world it concerns, plan with the core, write the difference.
import type { Finding, KubeObject, NamespaceInfo, Plan } from '../core/index.ts';
import { identityOf, Labels, planReflection, sourceHashLabel } from '../core/index.ts';
import type { KubeClient } from '../kube/client.ts';
import { isNotFound } from '../kube/errors.ts';
import { executePlan } from '../kube/execute-plan.ts';
import type { WriteResult } from '../kube/execute-plan.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { KindIndex } from './kind-index.ts';

/** What reconciling needs from the controller. */
export interface ReconcileDeps {
  client: KubeClient;
  type: ResourceType;
  index: KindIndex;
  namespaces(): NamespaceInfo[];
  /** Namespaces never written to. */
  excluded: ReadonlySet<string>;
  /** Namespaces the controller may see (namespaced mode); undefined means all. */
  scope?: ReadonlySet<string>;
  maxTargets?: number;
  /** Bounds writes in flight across all sources. */
  limit<T>(fn: () => Promise<T>): Promise<T>;
  signal?: AbortSignal;
  /** Source bodies kept between reconciles (only sources: memory does not grow with other objects' payloads). */
  sourceBodies?: SourceBodies;
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

/** Full bodies of sources read earlier, reused while the cached resourceVersion says they did not change. */
export type SourceBodies = Map<string, KubeObject>;

/**
 * Reconciles one source key ("namespace/name") of one kind from the state of the world, never from the kind of event.
 * Reads: the source (unless unchanged since the last read), our mirrors of it (one labelled LIST) and its pull mirrors;
 * everything else comes from caches. With `focus`, only that namespace is planned and read: a new namespace costs one
 * write per source and no LIST.
 */
export async function reconcileSource(
  deps: ReconcileDeps,
  sourceKey: string,
  focus?: string,
): Promise<ReconcileOutcome> {
  const world = await gatherWorld(deps, sourceKey, focus);
  const [namespace = '', name = ''] = sourceKey.split('/');
  const plan = planReflection(world, {
    sources: [{ group: deps.type.group, kind: deps.type.kind, namespace, name }],
    ...(focus !== undefined ? { namespaces: [focus] } : {}),
    ...(deps.maxTargets ? { maxTargets: deps.maxTargets } : {}),
    ...(deps.excluded.size > 0 ? { excludeNamespaces: [...deps.excluded] } : {}),
  });
  const live = new Map(world.objects.map((o) => [identityOf(o), o]));
  const writes =
    plan.apply.length + plan.delete.length === 0
      ? []
      : await executePlan(deps.client, plan, {
          typeOf: () => deps.type,
          live: (id) => live.get(id),
          limit: deps.limit,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
  const retry = writes.some((w) => w.outcome === 'conflict' || w.outcome === 'failed');
  return { plan, writes, findings: plan.findings, retry, ...(focus !== undefined ? { focus } : {}) };
}

async function readSource(deps: ReconcileDeps, sourceKey: string): Promise<KubeObject | undefined> {
  const [namespace, name] = sourceKey.split('/') as [string, string];
  const cachedRv = deps.index.parsed(sourceKey)?.object.metadata.resourceVersion;
  const known = deps.sourceBodies?.get(sourceKey);
  if (known !== undefined && cachedRv !== undefined && known.metadata.resourceVersion === cachedRv) return known;
  const body = await getOrNothing(deps, namespace, name);
  if (deps.sourceBodies !== undefined) {
    if (body !== undefined && deps.index.parsed(sourceKey)?.isSource) deps.sourceBodies.set(sourceKey, body);
    else deps.sourceBodies.delete(sourceKey);
  }
  return body;
}

function getOrNothing(deps: ReconcileDeps, namespace: string, name: string): Promise<KubeObject | undefined> {
  return deps.client.get<KubeObject>(deps.type, namespace, name, opts(deps)).then(
    (o) => withType(o, deps.type.kind),
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
}

async function gatherWorld(
  deps: ReconcileDeps,
  sourceKey: string,
  focus: string | undefined,
): Promise<{ namespaces: NamespaceInfo[]; objects: KubeObject[] }> {
  const { type, index } = deps;
  const [namespace, name] = sourceKey.split('/') as [string, string];
  const objects = new Map<string, KubeObject>();
  const put = (o: KubeObject) => objects.set(identityOf(o), o);
  const wanted = (ns: string | undefined) => focus === undefined || ns === focus;
  const ourMirrors = index.mirrorsOf(sourceKey).filter((m) => !m.pull && wanted(m.meta.namespace));

  const [source, mirrors] = await Promise.all([
    readSource(deps, sourceKey),
    focus === undefined
      ? listMirrors(deps, `${Labels.sourceHash}=${sourceHashLabel(sourceKey)}`)
      : Promise.all(ourMirrors.map((m) => getOrNothing(deps, m.meta.namespace, m.meta.name))).then((items) => ({
          items: items.filter((o): o is KubeObject => o !== undefined),
        })),
  ]);
  // Cached metadata first, so fresher full reads replace it: possible blockers and Reflector-made mirrors.
  const mirrorName = (source && index.parsed(sourceKey)?.spec?.mirrorName) ?? name;
  for (const meta of index.objectsNamed(mirrorName)) {
    if (!wanted(meta.namespace) && `${meta.namespace}/${meta.name}` !== sourceKey) continue;
    put(index.toObject(meta));
    // A rival source's mirror at our target: the planner needs the rival to decide who wins, whatever the order.
    const rival = index.parsed(`${meta.namespace}/${meta.name}`)?.pushedBy?.sourceKey;
    const rivalSource = rival === undefined || rival === sourceKey ? undefined : index.parsed(rival);
    if (rivalSource !== undefined) put(rivalSource.object);
  }
  if (mirrorName !== name)
    for (const meta of index.objectsNamed(name)) if (wanted(meta.namespace)) put(index.toObject(meta));
  const pulls: Promise<KubeObject | undefined>[] = [];
  for (const m of index.mirrorsOf(sourceKey)) {
    if (!wanted(m.meta.namespace)) continue;
    if (!m.pull) put(index.toObject(m.meta));
    else pulls.push(getOrNothing(deps, m.meta.namespace, m.meta.name));
  }
  for (const m of mirrors.items) {
    if (deps.scope === undefined || deps.scope.has(m.metadata.namespace ?? '')) put(withType(m, type.kind));
  }
  for (const p of await Promise.all(pulls)) if (p !== undefined) put(p);
  if (source !== undefined) put(source);
  else objects.delete(identityOf(index.toObject({ name, namespace })));
  return { namespaces: deps.namespaces(), objects: [...objects.values()] };
}

/** Lists our mirrors of a source: one cluster-wide LIST, or one per namespace in namespaced mode (RBAC allows no more). */
async function listMirrors(deps: ReconcileDeps, labelSelector: string): Promise<{ items: KubeObject[] }> {
  if (deps.scope === undefined) return deps.client.list<KubeObject>(deps.type, { labelSelector, ...opts(deps) });
  const lists = await Promise.all(
    [...deps.scope].map((namespace) =>
      deps.client.list<KubeObject>(deps.type, { namespace, labelSelector, ...opts(deps) }),
    ),
  );
  return { items: lists.flatMap((l) => l.items) };
}

function withType(obj: KubeObject, kind: string): KubeObject {
  obj.kind ??= kind;
  return obj;
}

function opts(deps: ReconcileDeps): { signal?: AbortSignal } {
  return deps.signal ? { signal: deps.signal } : {};
}
