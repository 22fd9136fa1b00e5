// `kubectl reflect sync [SOURCE | -A] [--dry-run]`.
import type { World } from '../../core/index.ts';
import { identityOf, keyOf } from '../../core/index.ts';
import type { WriteResult } from '../../kube/execute-plan.ts';
import { planDiff } from '../diff.ts';
import type { Io } from '../io.ts';
import { useColor } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import type { SourceArg } from '../source-ref.ts';
import { kindListName, parseSourceArg } from '../source-ref.ts';
import { describeWrite, planScope, syncOnce } from '../sync.ts';
import type { SyncOutcome, SyncScope } from '../sync.ts';

/** Returns which sources a sync covers: one source, every key in a namespace, or everything with -A. */
export function syncScope(
  world: World,
  options: GlobalOptions,
  namespace: string,
  source: SourceArg | undefined,
): SyncScope {
  if (source !== undefined)
    return { sourceKeys: [`${namespace}/${source.name}`], kind: source.kind.split('.')[0] ?? source.kind };
  if (options.allNamespaces) return {};
  // Every object key in the namespace: sources, and the sources named by mirrors elsewhere that are gone.
  return {
    sourceKeys: [...new Set(world.objects.filter((o) => o.metadata.namespace === namespace).map((o) => keyOf(o)))],
  };
}

/** Runs sync; returns the exit code: 1 when a write failed or an error finding exists. */
export async function runSync(
  io: Io,
  options: GlobalOptions,
  sourceText: string | undefined,
  dryRun: boolean,
): Promise<number> {
  const source = sourceText === undefined ? undefined : parseSourceArg(sourceText);
  const session = await io.openSession(options, source ? [kindListName(source)] : []);
  try {
    let outcome: SyncOutcome;
    if (dryRun) {
      const world = await session.readWorld();
      const plan = planScope(world, syncScope(world, options, session.namespace, source));
      const live = new Map(world.objects.map((o) => [identityOf(o), o]));
      io.stdout.write(planDiff(plan, (id) => live.get(id), useColor(io, io.stdout)));
      const writes: WriteResult[] = [
        ...plan.delete.map((d): WriteResult => ({
          action: 'delete',
          object: identityOf(d.object),
          reason: d.reason,
          outcome: 'done',
        })),
        ...plan.apply.map((a): WriteResult => ({
          action: 'apply',
          object: identityOf(a.object),
          reason: a.reason,
          outcome: 'done',
        })),
      ];
      outcome = { plan, writes, world };
    } else {
      const world = await session.readWorld();
      outcome = await syncOnce(session, syncScope(world, options, session.namespace, source));
    }
    return report(io, outcome, dryRun);
  } finally {
    session.close();
  }
}

/** Prints what changed on stdout and findings and failures on stderr; returns the exit code. */
export function report(io: Io, outcome: SyncOutcome, dryRun: boolean): number {
  for (const w of outcome.writes) {
    const line = describeWrite(w, dryRun);
    if (w.outcome === 'done' || w.outcome === 'gone') io.stdout.write(`${line}\n`);
    else io.stderr.write(`error: ${line}\n`);
  }
  if (outcome.writes.length === 0) io.stderr.write('Nothing to do: every mirror in scope is in sync.\n');
  for (const f of outcome.plan.findings) {
    if (f.severity === 'info') continue;
    io.stderr.write(`${f.severity}: ${f.reason}: ${f.message}\n`);
  }
  const failed = outcome.writes.some((w) => w.outcome === 'failed' || w.outcome === 'conflict');
  const errors = outcome.plan.findings.some((f) => f.severity === 'error');
  return failed || errors ? 1 : 0;
}
