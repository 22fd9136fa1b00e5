// The one write path: carries out a core plan against an API server, for the controller and `kubectl reflect sync`.
import type { KubeObject, Plan, PlannedApply, PlannedDelete, PlannedRelease } from '../core/index.ts';
import { FIELD_MANAGER, identityOf, KEYED_CONTENT_FIELDS } from '../core/index.ts';
import type { ClusterWriter } from './cluster-port.ts';
import { isConflict, isNotFound, KubeApiError } from './errors.ts';
import type { ResourceType } from './resource-type.ts';

/** What happened to one planned write. */
export interface WriteResult {
  action: 'apply' | 'delete' | 'release';
  object: string;
  reason: string;
  outcome: 'done' | 'conflict' | 'gone' | 'failed';
  error?: string;
  /**
   * The object as the server answered the last request of this write (the apply, or the patch removing stale keys;
   * a delete's answer when it is still there, finalizing), so a cache can record it before the watch echoes it.
   * Absent on a dry run, on failure, and when a delete answered only a status.
   */
  written?: KubeObject;
}

/** How to carry out a plan. */
export interface ExecuteOptions {
  /** The resource type of an object, by its apiVersion and kind. */
  typeOf(obj: { apiVersion: string; kind: string }): ResourceType;
  /** Runs one write; lets the caller bound writes in flight. Defaults to running it directly. */
  limit?<T>(fn: () => Promise<T>): Promise<T>;
  dryRun?: boolean;
  signal?: AbortSignal;
  /**
   * Maps each object the server answered before the result keeps it (a cache's form of it: no managedFields), so a
   * plan of a thousand writes does not hold a thousand full answers until its last write is done.
   */
  keep?(written: KubeObject): KubeObject;
}

/**
 * Carries out a plan: deletes first (each only if the object still has the uid the plan saw), then applies with
 * server-side apply under one field manager, each under the precondition the plan carries (no lookup, no guess). A
 * create (expects nothing there) never forces, so an object that appeared meanwhile with fields of its own is refused
 * (409) and never taken over; any other write forces our fields back (drift reverted) but only on the resourceVersion
 * the plan saw. A 409 means someone wrote in between: the caller plans again from fresh state.
 * Finalizer releases run last. Results come in that order, each list in plan order.
 */
export async function executePlan(client: ClusterWriter, plan: Plan, options: ExecuteOptions): Promise<WriteResult[]> {
  const limit = options.limit ?? (<T>(fn: () => Promise<T>) => fn());
  const deletes = await Promise.all(plan.delete.map((d) => limit(() => runDelete(client, d, options))));
  const applies = await Promise.all(plan.apply.map((a) => limit(() => runApply(client, a, options, deletes))));
  // After the applies: a source lets go only once its copies are ours, and a failed adoption leaves it held.
  const releases = await Promise.all(
    plan.release.map((r) => {
      const source = identityOf(r.object);
      const missed = plan.apply.some((a, i) => identityOf(a.source) === source && applies[i]?.outcome !== 'done');
      const held: WriteResult = {
        action: 'release',
        object: source,
        reason: 'release',
        outcome: 'conflict',
        error: 'a copy of the source was not written; the finalizer stays until it is',
      };
      return missed ? held : limit(() => runRelease(client, r, options));
    }),
  );
  return [...deletes, ...applies, ...releases];
}

function kept(written: KubeObject, options: ExecuteOptions): KubeObject {
  return options.keep ? options.keep(written) : written;
}

async function runRelease(client: ClusterWriter, r: PlannedRelease, options: ExecuteOptions): Promise<WriteResult> {
  const result: WriteResult = { action: 'release', object: identityOf(r.object), reason: 'release', outcome: 'done' };
  // The tests make the patch fail (and the caller re-plan) if the list or the object changed since the plan.
  const ops: object[] = [
    ...(r.uid !== undefined ? [{ op: 'test', path: '/metadata/uid', value: r.uid }] : []),
    { op: 'test', path: `/metadata/finalizers/${r.index}`, value: r.finalizer },
    { op: 'remove', path: `/metadata/finalizers/${r.index}` },
  ];
  if (options.dryRun) return result;
  try {
    const written = await client.jsonPatch<KubeObject>(
      options.typeOf(r.object),
      r.object.namespace,
      r.object.name,
      ops,
      {
        fieldManager: FIELD_MANAGER,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    return isObject(written) ? { ...result, written: kept(written, options) } : result;
  } catch (err) {
    // A failed test is a 422 from the API server: the object changed since the plan, as a conflict would say.
    if (err instanceof KubeApiError && err.code === 422) return { ...result, outcome: 'conflict', error: err.message };
    return classify(result, err);
  }
}

async function runDelete(client: ClusterWriter, d: PlannedDelete, options: ExecuteOptions): Promise<WriteResult> {
  const result: WriteResult = { action: 'delete', object: identityOf(d.object), reason: d.reason, outcome: 'done' };
  try {
    const answer = await client.delete<unknown>(options.typeOf(d.object), d.object.namespace, d.object.name, {
      ...(d.uid !== undefined ? { preconditions: { uid: d.uid } } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // A finalizer keeps the object until its owner lets go: the answer is the object, terminating, and still there.
    if (!options.dryRun && isTerminating(answer)) return { ...result, written: kept(answer, options) };
  } catch (err) {
    return classify(result, err);
  }
  return result;
}

async function runApply(
  client: ClusterWriter,
  a: PlannedApply,
  options: ExecuteOptions,
  deletes: readonly WriteResult[],
): Promise<WriteResult> {
  const id = identityOf(a.object);
  const result: WriteResult = { action: 'apply', object: id, reason: a.reason, outcome: 'done' };
  // A write that expects nothing where the plan deletes first: if that delete did not happen, something is there.
  if (a.expect.absent && deletes.some((d) => d.object === id && d.outcome !== 'done' && d.outcome !== 'gone')) {
    return { ...result, outcome: 'conflict', error: 'the delete before recreating did not happen' };
  }
  const body = structuredClone(a.object);
  if (!a.expect.absent && a.expect.resourceVersion !== undefined)
    body.metadata.resourceVersion = a.expect.resourceVersion;
  try {
    const type = options.typeOf(a.object);
    let written = await client.apply<KubeObject>(type, body, {
      fieldManager: FIELD_MANAGER,
      force: !a.expect.absent,
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Server-side apply removes only keys we applied before; keys someone else added to a mirror stay, so a mirror
    // would never be identical. Remove them, conditional on the version we just wrote.
    const stale = staleKeyPatch(written, a.object);
    if (stale.length > 0 && !options.dryRun) {
      written = await client.jsonPatch<KubeObject>(type, a.object.metadata.namespace, a.object.metadata.name, stale, {
        fieldManager: FIELD_MANAGER,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    return options.dryRun || !isObject(written) ? result : { ...result, written: kept(written, options) };
  } catch (err) {
    return classify(result, err);
  }
}

function isObject(v: unknown): v is KubeObject {
  const m = (v as { metadata?: unknown } | null)?.metadata;
  return m !== null && typeof m === 'object';
}

function isTerminating(v: unknown): v is KubeObject {
  return isObject(v) && (v as KubeObject).kind !== 'Status' && v.metadata.deletionTimestamp !== undefined;
}

function classify(result: WriteResult, err: unknown): WriteResult {
  if (isNotFound(err)) return { ...result, outcome: 'gone' };
  if (isConflict(err)) return { ...result, outcome: 'conflict', error: errorText(err) };
  return { ...result, outcome: 'failed', error: errorText(err) };
}

function errorText(err: unknown): string {
  if (err instanceof KubeApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Returns JSON patch operations removing content keys the written object has and the desired mirror does not. */
export function staleKeyPatch(written: KubeObject | undefined, desired: KubeObject): object[] {
  if (written === undefined || typeof written !== 'object') return [];
  const ops: object[] = [];
  for (const field of KEYED_CONTENT_FIELDS) {
    const have = written[field];
    if (have === null || typeof have !== 'object') continue;
    const want = (desired[field] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(have).sort()) {
      if (!(key in want)) ops.push({ op: 'remove', path: `/${field}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    }
  }
  if (ops.length === 0) return [];
  const rv = written.metadata?.resourceVersion;
  return rv === undefined ? ops : [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...ops];
}
