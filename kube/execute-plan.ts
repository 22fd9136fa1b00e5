// The one write path: carries out a core plan against an API server, for the controller and `kubectl reflect sync`.
import type { KubeObject, Plan, PlannedApply, PlannedDelete, PlannedRelease } from '../core/index.ts';
import { FIELD_MANAGER, groupKindOf, identityOf, KEYED_CONTENT_FIELDS } from '../core/index.ts';
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
   * The object as the server answered the last request of this write (the create, the apply, or the patch removing
   * what is stale; a delete's answer when it is still there, finalizing), so a cache can record it before the watch
   * echoes it.
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
 * Carries out a plan: deletes first (each only if the object still has the uid the plan saw), then the applies under
 * one field manager, each under the precondition the plan carries (no lookup, no guess). A create (expects nothing
 * there) is a POST for Secrets and ConfigMaps (POST_CREATE_KINDS) and an unforced server-side apply for other kinds,
 * so an object that appeared meanwhile is refused (409) and never taken over; any other write is a server-side apply
 * that forces our fields back (drift reverted) but only on the resourceVersion the plan saw, followed by a conditional
 * patch removing what the mirror no longer has and only we set (stalePatch). A 409 means someone wrote in between:
 * the caller plans again from fresh state.
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
  const type = options.typeOf(a.object);
  const request = {
    fieldManager: FIELD_MANAGER,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    if (a.expect.absent && POST_CREATE_KINDS.has(groupKindOf(a.object))) {
      // A plain create: 409 AlreadyExists for anything at the name, never merged into. The answer is the object with
      // its resourceVersion and uid, what a cache records as for an apply.
      const created = await client.create<KubeObject>(type, a.object, request);
      return options.dryRun || !isObject(created) ? result : { ...result, written: kept(created, options) };
    }
    // The plan's object is left as it is: only its metadata differs in the body, so only that is copied (a deep copy of
    // every mirror's content was most of a fan-out update's time in this function).
    const body =
      !a.expect.absent && a.expect.resourceVersion !== undefined
        ? { ...a.object, metadata: { ...a.object.metadata, resourceVersion: a.expect.resourceVersion } }
        : a.object;
    let written = await client.apply<KubeObject>(type, body, { ...request, force: !a.expect.absent });
    // Server-side apply removes only fields our Apply entry owned: keys someone else added to a mirror's content, and
    // labels or annotations our own create (an Update entry) set, stay. Remove them, conditional on this version.
    const stale = stalePatch(written, a.object);
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

/**
 * Kinds whose mirrors are created with a plain POST (it costs the API server about two thirds of an apply) rather than
 * a server-side apply. A POST leaves every field it set under our Update entry of managedFields, which a later apply
 * never removes; that is repaired only where it can be done exactly: labels and annotations (stalePatch), and content
 * that is all keyed maps (data, binaryData: every key not in the mirror goes) or scalars every mirror sets (a Secret's
 * type) or cannot unset (immutable). Other kinds' content is nested (a Deployment's spec, a Role's rules), and a POST
 * would also make our Update entry own every default the server fills in: nothing could tell a field the source
 * dropped from one the server added, so those are created with an apply, whose entry owns only what we sent.
 */
export const POST_CREATE_KINDS: ReadonlySet<string> = new Set(['Secret', 'ConfigMap']);

/**
 * Returns the JSON patch (a test of the written resourceVersion, then removals) taking from a written object what the
 * desired mirror does not have and an apply left: content keys (staleKeyPatch), and labels and annotations that only
 * our Update entry owns (staleMetadataKeys). Empty when there is nothing to remove.
 */
export function stalePatch(written: KubeObject | undefined, desired: KubeObject): object[] {
  if (written === undefined || written === null || typeof written !== 'object') return [];
  const ops = [...staleKeyOps(written, desired), ...staleMetadataOps(written, desired)];
  if (ops.length === 0) return [];
  const rv = written.metadata?.resourceVersion;
  return rv === undefined ? ops : [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...ops];
}

function staleKeyOps(written: KubeObject, desired: KubeObject): object[] {
  const ops: object[] = [];
  for (const field of KEYED_CONTENT_FIELDS) {
    const have = written[field];
    if (have === null || typeof have !== 'object') continue;
    const want = (desired[field] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(have).sort()) {
      if (!(key in want)) ops.push({ op: 'remove', path: `/${field}/${pointer(key)}` });
    }
  }
  return ops;
}

function staleMetadataOps(written: KubeObject, desired: KubeObject): object[] {
  const ops: object[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    for (const key of staleMetadataKeys(written, desired, field))
      ops.push({ op: 'remove', path: `/metadata/${field}/${pointer(key)}` });
  }
  return ops;
}

/**
 * Returns the labels (or annotations) of a written object that the desired mirror does not have and that only our
 * own Update entries of managedFields own (those a POST, a PUT or a patch by FIELD_MANAGER set): a key that any other
 * entry owns (another tool, a user, our Apply entry) or that nobody owns is never ours to remove.
 */
export function staleMetadataKeys(written: KubeObject, desired: KubeObject, field: 'labels' | 'annotations'): string[] {
  const have = written.metadata?.[field];
  if (have === null || typeof have !== 'object') return [];
  const want = (desired.metadata?.[field] ?? {}) as Record<string, unknown>;
  const entries = Array.isArray(written.metadata.managedFields) ? (written.metadata.managedFields as unknown[]) : [];
  const ours = new Set<string>();
  const theirs = new Set<string>();
  for (const e of entries) {
    const entry = e as { manager?: unknown; operation?: unknown; subresource?: unknown; fieldsV1?: unknown };
    const owned = ownedKeys(entry.fieldsV1, field);
    const mine = entry.manager === FIELD_MANAGER && entry.operation === 'Update' && !entry.subresource;
    for (const key of owned) (mine ? ours : theirs).add(key);
  }
  return Object.keys(have)
    .sort()
    .filter((key) => !(key in want) && ours.has(key) && !theirs.has(key));
}

/** The keys of metadata.labels or metadata.annotations a FieldsV1 set owns ("f:metadata" → "f:labels" → "f:key"). */
function ownedKeys(fieldsV1: unknown, field: 'labels' | 'annotations'): string[] {
  const meta = (fieldsV1 as Record<string, unknown> | null | undefined)?.['f:metadata'];
  const map = (meta as Record<string, unknown> | null | undefined)?.[`f:${field}`];
  if (map === null || typeof map !== 'object') return [];
  return Object.keys(map)
    .filter((k) => k.startsWith('f:'))
    .map((k) => k.slice(2));
}

function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
