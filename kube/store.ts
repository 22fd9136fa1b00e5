// The informer's cache: the latest object per key, and the diff a relist makes against it.
import { Interner } from '../core/intern.ts';

/** The fields of an object the store needs. */
export interface StoredObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
}

/** What changed when the store was replaced by a fresh list, each with the key the store holds it under. */
export interface StoreDiff<T> {
  added: Array<{ key: string; obj: T }>;
  modified: Array<{ key: string; obj: T; old: T }>;
  /** The last known state of objects that vanished while we were not watching. */
  deleted: Array<{ key: string; obj: T }>;
}

/** Returns the store key: "namespace/name", or "name" for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function objectKey(obj: StoredObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? prefixes.get(ns) + name : name;
}

// Tens of thousands of keys share a few hundred namespaces: a key joins its namespace's one "ns/" string to the
// object's own name (a 32-byte rope), where a template string made each key its own copy of "ns/" as well (24 bytes
// more).
const prefixes = new Interner((ns) => `${ns}/`);

/** Splits a store key back into namespace ('' for a cluster-scoped object) and name; the inverse of objectKey. */
export function parseObjectKey(key: string): { namespace: string; name: string } {
  // Namespaces hold no '/', names of some kinds may (none we mirror does): split at the first one only.
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** An in-memory map from key to the latest object seen. */
export class ObjectStore<T extends StoredObject> {
  private objects = new Map<string, T>();
  private changes = 0;

  /** A number that grows with every change to the contents, so a view built from them knows when it is stale. */
  get generation(): number {
    return this.changes;
  }

  /** Returns the object with this namespace and name, if cached. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Returns the object with this key, if cached. */
  getByKey(key: string): T | undefined {
    return this.objects.get(key);
  }

  /** Returns every cached object (a snapshot array). */
  list(): T[] {
    return [...this.objects.values()];
  }

  /** Returns every key. */
  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** The number of cached objects. */
  get size(): number {
    return this.objects.size;
  }

  /**
   * Stores an object and returns the one it replaced. Pass the key when the caller keeps it too: a key already held
   * keeps its first string, so a cache and an index over it can share one string per object.
   */
  upsert(obj: T, key = objectKey(obj)): T | undefined {
    const old = this.objects.get(key);
    this.objects.set(key, obj);
    this.changes++;
    return old;
  }

  /** Removes an object by its key and returns what was cached. */
  remove(obj: StoredObject, key = objectKey(obj)): T | undefined {
    const old = this.objects.get(key);
    this.objects.delete(key);
    this.changes++;
    return old;
  }

  /**
   * Replaces the contents with a fresh list and returns what was added, modified (by resourceVersion or uid) and
   * deleted. An object still there keeps the key string it was stored under (indexes over the store hold that one).
   */
  replace(items: readonly T[]): StoreDiff<T> {
    const diff: StoreDiff<T> = { added: [], modified: [], deleted: [] };
    const fresh = new Map<string, T>();
    for (const obj of items) fresh.set(objectKey(obj), obj);
    const next = new Map<string, T>();
    for (const [key, old] of this.objects) {
      const obj = fresh.get(key);
      if (obj === undefined) {
        diff.deleted.push({ key, obj: old });
        continue;
      }
      fresh.delete(key);
      next.set(key, obj);
      if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion || old.metadata?.uid !== obj.metadata?.uid) {
        diff.modified.push({ key, obj, old });
      }
    }
    for (const [key, obj] of fresh) {
      next.set(key, obj);
      diff.added.push({ key, obj });
    }
    this.objects = next;
    this.changes++;
    return diff;
  }
}
