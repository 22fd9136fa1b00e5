// An in-memory cluster behind the same ports as KubeClient, so the controller runs in the unit tier with no API server.
import type { KubeObject } from '../../core/index.ts';
import { KEYED_CONTENT_FIELDS } from '../../core/index.ts';
import type { ApplyOptions, CreateOptions, DeleteOptions, ListOptions, ListResult } from '../client.ts';
import type { ClusterReader, ClusterWriter } from '../cluster-port.ts';
import { KubeApiError } from '../errors.ts';
import { apiVersionOf, resourceLabel } from '../resource-type.ts';
import type { ResourceType } from '../resource-type.ts';
import type { WatchEvent, WatchOptions } from '../watch.ts';
import { managedFieldsOf, serverSideApply, updatedBy } from './server-side-apply.ts';
import type { Owners } from './server-side-apply.ts';

interface Stored {
  object: KubeObject;
  /** Which field manager owns which field (server-side-apply.ts): conflicts, and what an apply removes. */
  owners: Owners;
}

interface Watcher {
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  onEvent(event: WatchEvent<unknown>): void;
}

/** One request the cluster answered, for asserting how many a reconcile made. */
export interface MemoryRequest {
  verb: string;
  resource: string;
}

/**
 * A small cluster in memory: get, list, watch, server-side apply with field ownership per manager (a field another
 * manager owns with another value is a 409 unless forced; fields we applied before and no longer apply go, fields of
 * others stay; a resourceVersion in the body is a precondition), create (409 AlreadyExists), delete with a uid
 * precondition, and the JSON patches the write path sends (test and remove, in maps and lists; add in maps). Objects show their
 * owners as managedFields: a POST or a patch is an Update entry of its manager, an apply its Apply entry. Dry runs write
 * nothing.
 * It delivers watch events synchronously as it writes. Kept this small on purpose (controller-runtime's warning about
 * fake clients): what needs a real API server (RBAC, admission, 410s) is tested in test/e2e/.
 */
export class MemoryCluster implements ClusterReader, ClusterWriter {
  /** Every request answered, in order. */
  readonly requests: MemoryRequest[] = [];
  private readonly objects = new Map<string, Stored>();
  private readonly watchers = new Set<Watcher>();
  private rv = 0;

  async get<T = unknown>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    this.seen('get', type);
    const s = this.objects.get(this.key(type, namespace, name));
    if (s === undefined) throw this.error('get', type, namespace, name, 404, 'NotFound');
    return structuredClone(s.object) as T;
  }

  async list<T = unknown>(type: ResourceType, options: ListOptions<T> = {}): Promise<ListResult<T>> {
    this.seen('list', type);
    const prefix = `${resourceLabel(type)}|`;
    const items: T[] = [];
    for (const [k, s] of this.objects) {
      if (!k.startsWith(prefix) || !matches(s.object, options.namespace, fieldName(options.fieldSelector))) continue;
      // The store holds what the API server would return for this type; the caller names that type T.
      const copy = structuredClone(s.object) as T;
      items.push(options.transform ? options.transform(copy) : copy);
    }
    options.onPage?.({ read: items.length, remaining: 0 });
    return { items, resourceVersion: String(this.rv) };
  }

  watch<T>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<number> {
    this.seen('watch', type);
    return new Promise<number>((_resolve, reject) => {
      const w: Watcher = {
        resource: resourceLabel(type),
        namespace: options.namespace,
        name: fieldName(options.fieldSelector),
        onEvent: onEvent as (e: WatchEvent<unknown>) => void,
      };
      this.watchers.add(w);
      options.onOpen?.();
      const stop = () => {
        this.watchers.delete(w);
        const reason: unknown = options.signal?.reason;
        reject(reason instanceof Error ? reason : new Error('watch stopped'));
      };
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener('abort', stop, { once: true });
    });
  }

  async apply<T = unknown>(type: ResourceType, body: object, options: ApplyOptions): Promise<T> {
    this.seen('apply', type);
    const desired = { ...structuredClone(body as KubeObject), apiVersion: apiVersionOf(type), kind: type.kind };
    const { namespace, name } = desired.metadata;
    const s = this.objects.get(this.key(type, namespace, name));
    const wantRv = desired.metadata.resourceVersion;
    delete desired.metadata.resourceVersion;
    // The API server refuses to create from an apply that names a resourceVersion (there is nothing to compare with).
    if (s === undefined && wantRv !== undefined) throw this.error('apply', type, namespace, name, 404, 'NotFound');
    if (s !== undefined && wantRv !== undefined && wantRv !== s.object.metadata.resourceVersion)
      throw this.error('apply', type, namespace, name, 409, 'Conflict', 'the object has been modified');
    const out = serverSideApply(s, desired, options.fieldManager, options.force === true);
    if ('conflicts' in out) {
      const what = out.conflicts.map((c) => `${c.field} owned by "${c.manager}"`).join(', ');
      throw this.error('apply', type, namespace, name, 409, 'Conflict', `Apply failed with conflicts: ${what}`);
    }
    if (options.dryRun) return out.object as T;
    return this.store(type, out.object, out.owners, s === undefined ? 'ADDED' : 'MODIFIED') as T;
  }

  async create<T = unknown>(type: ResourceType, body: object, options: CreateOptions = {}): Promise<T> {
    this.seen('create', type);
    const obj = { ...structuredClone(body as KubeObject), apiVersion: apiVersionOf(type), kind: type.kind };
    if (this.objects.has(this.key(type, obj.metadata.namespace, obj.metadata.name)))
      throw this.error('create', type, obj.metadata.namespace, obj.metadata.name, 409, 'AlreadyExists');
    if (options.dryRun) return obj as T;
    return this.store(type, obj, updatedBy(undefined, obj, options.fieldManager ?? 'unknown'), 'ADDED') as T;
  }

  async delete<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T> {
    this.seen('delete', type);
    const k = this.key(type, namespace, name);
    const s = this.objects.get(k);
    if (s === undefined) throw this.error('delete', type, namespace, name, 404, 'NotFound');
    const uid = options.preconditions?.uid;
    if (uid !== undefined && uid !== s.object.metadata.uid)
      throw this.error('delete', type, namespace, name, 409, 'Conflict', 'uid precondition failed');
    if (options.dryRun) return { kind: 'Status', status: 'Success' } as T;
    this.objects.delete(k);
    this.rv++;
    this.emit(type, 'DELETED', s.object);
    return { kind: 'Status', status: 'Success' } as T;
  }

  async jsonPatch<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    operations: readonly object[],
    options: CreateOptions = {},
  ): Promise<T> {
    this.seen('patch', type);
    const s = this.objects.get(this.key(type, namespace, name));
    if (s === undefined) throw this.error('patch', type, namespace, name, 404, 'NotFound');
    const next = structuredClone(s.object) as unknown as Record<string, unknown>;
    for (const op of operations as { op: string; path: string; value?: unknown }[]) {
      const path = op.path.slice(1).split('/').map(unescapePointer);
      const last = path.pop() ?? '';
      let parent: unknown = next;
      for (const p of path) parent = (parent as Record<string, unknown> | undefined)?.[p];
      const container = parent as Record<string, unknown> | unknown[] | undefined;
      const at = Array.isArray(container)
        ? container[Number(last)]
        : (container as Record<string, unknown> | undefined)?.[last];
      // A failed test: 409 for the resourceVersion (as the write path expects), 422 otherwise, as the API server says.
      if (op.op === 'test' && JSON.stringify(at) !== JSON.stringify(op.value)) {
        const conflict = op.path === '/metadata/resourceVersion';
        throw this.error(
          'patch',
          type,
          namespace,
          name,
          conflict ? 409 : 422,
          conflict ? 'Conflict' : 'Invalid',
          'test operation failed',
        );
      }
      if (op.op === 'add' && container !== undefined && !Array.isArray(container)) container[last] = op.value;
      else if (op.op === 'remove' && Array.isArray(container)) container.splice(Number(last), 1);
      else if (op.op === 'remove' && container !== undefined) delete (container as Record<string, unknown>)[last];
    }
    const patched = next as unknown as KubeObject;
    return this.store(type, patched, updatedBy(s, patched, options.fieldManager ?? 'unknown'), 'MODIFIED') as T;
  }

  /** Every object of a type, as stored (for assertions). */
  all(type: ResourceType): KubeObject[] {
    const prefix = `${resourceLabel(type)}|`;
    return [...this.objects].filter(([k]) => k.startsWith(prefix)).map(([, s]) => structuredClone(s.object));
  }

  private store(type: ResourceType, obj: KubeObject, owners: Owners, event: 'ADDED' | 'MODIFIED'): KubeObject {
    // The API server's types omit empty maps (omitempty): a ConfigMap whose last key was removed has no data field.
    for (const field of KEYED_CONTENT_FIELDS) {
      const map = obj[field];
      if (map !== null && typeof map === 'object' && Object.keys(map).length === 0) delete obj[field];
    }
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    obj.metadata.uid ??= `uid-${this.rv}`;
    obj.metadata.managedFields = managedFieldsOf(owners, obj.apiVersion);
    if (!type.namespaced) delete obj.metadata.namespace;
    this.objects.set(this.key(type, obj.metadata.namespace, obj.metadata.name), { object: obj, owners });
    this.emit(type, event, obj);
    return structuredClone(obj);
  }

  private emit(type: ResourceType, event: WatchEvent<unknown>['type'], obj: KubeObject): void {
    for (const w of this.watchers) {
      if (w.resource !== resourceLabel(type) || !matches(obj, w.namespace, w.name)) continue;
      w.onEvent({ type: event, object: structuredClone(obj) });
    }
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${resourceLabel(type)}|${type.namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  private seen(verb: string, type: ResourceType): void {
    this.requests.push({ verb, resource: resourceLabel(type) });
  }

  private error(
    verb: string,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    code: number,
    reason: string,
    message = reason,
  ): KubeApiError {
    return new KubeApiError(
      { verb, resource: resourceLabel(type), ...(namespace ? { namespace } : {}), name },
      code,
      reason,
      message,
    );
  }
}

function matches(obj: KubeObject, namespace: string | undefined, name: string | undefined): boolean {
  return (
    (namespace === undefined || obj.metadata.namespace === namespace) &&
    (name === undefined || obj.metadata.name === name)
  );
}

/** The name of a `metadata.name=x` field selector (the only one the controller uses). */
function fieldName(selector: string | undefined): string | undefined {
  return selector?.startsWith('metadata.name=') ? selector.slice('metadata.name='.length) : undefined;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}
