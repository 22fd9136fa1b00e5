// `sync`: plan with the core and write with executePlan, the controller's own write path; re-plan after a conflict.
import type { Plan, PlanOptions, World } from '../core/index.ts';
import { planReflection, planWrites, splitIdentity } from '../core/index.ts';
import { executePlan } from '../kube/execute-plan.ts';
import type { WriteResult } from '../kube/execute-plan.ts';
import type { Session } from './session.ts';

/** Which sources to sync (typed refs; all when unset) and where writes may go (a limited read's namespaces). */
export type SyncScope = Pick<PlanOptions, 'sources' | 'namespaces'>;

/** The outcome of a sync: the last plan and every write made. */
export interface SyncOutcome {
  plan: Plan;
  writes: WriteResult[];
  world: World;
}

/** Plans a scope of the world with the session's exclusions and policies: the plan the controller would make. */
export function planSync(session: Pick<Session, 'planOptions'>, world: World, scope: SyncScope): Plan {
  return planReflection(world, { ...session.planOptions, ...scope });
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
    const plan = planSync(session, world, scope);
    if (planWrites(plan) === 0) return { plan, writes, world };
    const done = await executePlan(session.client, plan, {
      typeOf: session.typeOf,
      ...(signal ? { signal } : {}),
    });
    const conflicts = done.filter((w) => w.outcome === 'conflict');
    writes.push(...done.filter((w) => w.outcome !== 'conflict' || round === 2));
    if (conflicts.length === 0 || round === 2) return { plan, writes, world };
  }
}

/** Returns the line kubectl would print for one write: `secret/team-a/db created`. */
export function describeWrite(w: WriteResult, dryRun = false): string {
  const { groupKind: kindGroup, namespace, name } = splitIdentity(w.object);
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
  release: "released from a stopped peer's finalizer",
};
