// `kubectl reflect sync [SOURCE | -A] [--dry-run]`.
import type { ObjectRef, Plan, SourceRef } from '../../core/index.ts';
import { identityOf, parseKey, parseObject, refOf, sourceRefOf } from '../../core/index.ts';
import type { WriteResult } from '../../kube/execute-plan.ts';
import { planDiff } from '../diff.ts';
import type { Io } from '../io.ts';
import { useColor } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { planOptionsOf } from '../options.ts';
import type { SourceArg } from '../source-ref.ts';
import { isNamed, parseSourceArg, sourceRefFor } from '../source-ref.ts';
import type { ReadWorld } from '../read-world.ts';
import { limitWarning } from '../read-world.ts';
import { describeWrite, planSync, syncOnce } from '../sync.ts';
import type { SyncOutcome, SyncScope } from '../sync.ts';

/** Returns which sources a sync covers: the named one, every source of a namespace, or everything with -A. */
export function syncScope(
  world: ReadWorld,
  options: GlobalOptions,
  namespace: string,
  source: SourceRef | undefined,
): SyncScope {
  // A limited read saw only some namespaces: plan the sources found there and write nowhere else, even with -A.
  const limit = world.limitedTo === undefined ? {} : { namespaces: world.limitedTo };
  if (source !== undefined) return { sources: [source], ...limit };
  if (world.limitedTo !== undefined)
    return {
      sources: sourcesIn(world, new Set(options.allNamespaces ? world.limitedTo : [namespace]), options),
      ...limit,
    };
  if (options.allNamespaces) return {};
  return { sources: sourcesIn(world, new Set([namespace]), options) };
}

/** Returns the sources that live in these namespaces: the objects there, and those that mirrors elsewhere name (a deleted source's mirrors still need cleaning up). */
function sourcesIn(world: ReadWorld, namespaces: ReadonlySet<string>, options: GlobalOptions): SourceRef[] {
  const refs = new Map<string, SourceRef>();
  const add = (r: SourceRef) => refs.set(`${r.kind}.${r.group}/${r.namespace}/${r.name}`, r);
  for (const o of world.objects) {
    if (namespaces.has(o.metadata.namespace ?? '')) {
      add(sourceRefOf(o));
      continue;
    }
    if (o.metadata.annotations === undefined) continue;
    const parsed = parseObject(o, planOptionsOf(options));
    const from = parsed.pull?.from ?? parseKey(parsed.pushedBy?.sourceKey ?? '');
    if (from !== undefined && namespaces.has(from.namespace))
      add({ ...sourceRefOf(o), namespace: from.namespace, name: from.name });
  }
  return [...refs.values()];
}

/** Throws when the namespace or the named source does not exist, so a typo never reads as "Nothing to do". */
export function checkSyncTarget(
  world: ReadWorld,
  plan: Plan,
  options: GlobalOptions,
  namespace: string,
  source: { arg: SourceArg; ref: SourceRef } | undefined,
): void {
  if (!options.allNamespaces && !world.namespaces.some((n) => n.name === namespace))
    throw new Error(
      options.within === undefined || world.limitedTo !== undefined
        ? `namespace "${namespace}" not found`
        : `namespace "${namespace}" is not among --within's: ${options.within.join(', ')}`,
    );
  if (source === undefined) return;
  const named = (r: ObjectRef) => isNamed(source.ref, r);
  // A source that is gone but still has mirrors is worth a sync: its mirrors are cleaned up.
  const known =
    world.objects.some((o) => named(refOf(o))) ||
    plan.mirrors.some((m) => named(m.source)) ||
    plan.delete.some((d) => named(d.source));
  if (!known) throw new Error(`${source.arg.kind} "${source.arg.name}" not found in namespace "${namespace}"`);
}

/** Runs sync; returns the exit code: 1 when a write failed or an error finding exists. */
export async function runSync(
  io: Io,
  options: GlobalOptions,
  sourceText: string | undefined,
  dryRun: boolean,
): Promise<number> {
  const arg = sourceText === undefined ? undefined : parseSourceArg(sourceText);
  const session = await io.openSession(options, arg ? [arg.kind] : []);
  try {
    const source =
      arg === undefined
        ? undefined
        : { arg, ref: sourceRefFor(session.typeNamed(arg.kind), session.namespace, arg.name) };
    const world = await session.readWorld();
    io.stderr.write(limitWarning(world));
    const scope = syncScope(world, options, session.namespace, source?.ref);
    const plan = planSync(session, world, scope);
    checkSyncTarget(world, plan, options, session.namespace, source);
    let outcome: SyncOutcome;
    if (dryRun) {
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
        ...plan.release.map((r): WriteResult => ({
          action: 'release',
          object: identityOf(r.object),
          reason: 'release',
          outcome: 'done',
        })),
      ];
      outcome = { plan, writes, world };
    } else {
      outcome = await syncOnce(session, scope, undefined, world);
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
