// `sync`: plan with the core and write with executePlan, the controller's own write path; re-plan after a conflict.
import type { KubeObject, Plan, SourceRef, World } from '../core/index.ts';
import { identityOf, planReflection, sourceRefOf } from '../core/index.ts';
import { executePlan } from '../kube/execute-plan.ts';
import type { WriteResult } from '../kube/execute-plan.ts';
import type { Session } from './session.ts';

/** Which sources to sync: keys ("namespace/name"), or every source and mirror of the world. */
export interface SyncScope {
  sourceKeys?: readonly string[];
  /** Only sources of this kind (lower-case Kind), when a kind was named. */
  kind?: string;
  /** Write only in these namespaces (the only ones read, when cluster-wide reads were forbidden). */
  namespaces?: readonly string[];
}

/** The outcome of a sync: the last plan and every write made. */
export interface SyncOutcome {
  plan: Plan;
  writes: WriteResult[];
  world: World;
}

/** Plans the scope of a world: the named keys, of every kind in the world or only of the named kind. */
export function planScope(world: World, scope: SyncScope): Plan {
  const limit = scope.namespaces === undefined ? {} : { namespaces: scope.namespaces };
  if (scope.sourceKeys === undefined) return planReflection(world, limit);
  // A key names a source of each kind the world holds (it may be deleted, its mirrors still there).
  const kinds = new Map<string, SourceRef>();
  for (const o of world.objects) {
    const ref = sourceRefOf(o);
    if (scope.kind === undefined || ref.kind.toLowerCase() === scope.kind) kinds.set(`${ref.kind}.${ref.group}`, ref);
  }
  const sources = scope.sourceKeys.flatMap((key) => {
    const [namespace = '', name = ''] = key.split('/');
    return [...kinds.values()].map((k) => ({ group: k.group, kind: k.kind, namespace, name }));
  });
  return planReflection(world, { sources, ...limit });
}

/** Reads the world (or starts from one just read), plans, writes; after a conflict reads and plans again (at most three rounds). */
export async function syncOnce(
  session: Session,
  scope: SyncScope,
  signal?: AbortSignal,
  read?: World,
): Promise<SyncOutcome> {
  const writes: WriteResult[] = [];
  for (let round = 0; ; round++) {
    const world = round === 0 && read !== undefined ? read : await session.readWorld(signal);
    const plan = planScope(world, scope);
    if (plan.apply.length + plan.delete.length === 0) return { plan, writes, world };
    const live = new Map<string, KubeObject>(world.objects.map((o) => [identityOf(o), o]));
    const done = await executePlan(session.client, plan, {
      typeOf: session.typeOf,
      live: (id) => live.get(id),
      ...(signal ? { signal } : {}),
    });
    const conflicts = done.filter((w) => w.outcome === 'conflict');
    writes.push(...done.filter((w) => w.outcome !== 'conflict' || round === 2));
    if (conflicts.length === 0 || round === 2) return { plan, writes, world };
  }
}

/** Returns the line kubectl would print for one write: `secret/team-a/db created`. */
export function describeWrite(w: WriteResult, dryRun = false): string {
  const [kindGroup = '', namespace = '', name = ''] = w.object.split('/');
  const dot = kindGroup.indexOf('.');
  const kind = (dot < 0 ? kindGroup : `${kindGroup.slice(0, dot)}${kindGroup.slice(dot)}`).toLowerCase();
  const verb = w.action === 'delete' ? 'deleted' : (VERBS[w.reason] ?? 'configured');
  const suffix = dryRun ? ' (dry run)' : '';
  const what = `${kind}/${namespace}/${name}`;
  if (w.outcome === 'done') return `${what} ${verb}${suffix}`;
  if (w.outcome === 'gone') return `${what} already gone`;
  return `${what} not ${verb}: ${w.error ?? w.outcome}`;
}

const VERBS: Readonly<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  drift: 'reverted',
  adopt: 'adopted',
  recreate: 'recreated',
  fill: 'filled',
  clear: 'cleared',
};
