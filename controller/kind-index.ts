// The cached metadata of one mirrored kind, indexed so every event maps back to the source keys it concerns.
import type { KubeObject, NamespaceInfo, ParsedObject } from '../core/index.ts';
import { decidePull, decidePushTarget, DIALECT_PREFIXES, Labels, parseObject, Provenance } from '../core/index.ts';

/** Metadata as cached: no payloads, no managed fields. */
export interface CachedMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const KEPT_PREFIXES = DIALECT_PREFIXES;
// Provenance the planner reads only from full objects (listed or read when reconciling): not worth caching per mirror.
const DROPPED_KEYS = new Set<string>([
  Provenance.contentHash,
  Provenance.sourceUid,
  Provenance.copiedOnceVersion,
  Labels.sourceHash,
]);

/** Keeps only the keys under our and Reflector's prefixes: the only ones the planner reads from cached metadata. */
function ours(map: unknown): Record<string, string> | undefined {
  if (map === null || typeof map !== 'object') return undefined;
  let out: Record<string, string> | undefined;
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (typeof v === 'string' && !DROPPED_KEYS.has(k) && KEPT_PREFIXES.some((p) => k.startsWith(p)))
      (out ??= {})[k] = v;
  }
  return out;
}

/**
 * Returns the slim metadata kept in the cache: names, uid, resourceVersion and only our and Reflector's labels and
 * annotations. managedFields, kubectl's last-applied copy of the payload and every other key are dropped, so memory
 * does not grow with what other tools store on the objects.
 */
export function slimMeta(obj: { metadata?: Record<string, unknown> }): CachedMeta {
  const m = obj.metadata ?? {};
  const out: CachedMeta = { name: String(m.name ?? ''), namespace: String(m.namespace ?? '') };
  if (typeof m.uid === 'string') out.uid = m.uid;
  if (typeof m.resourceVersion === 'string') out.resourceVersion = m.resourceVersion;
  const labels = ours(m.labels);
  if (labels !== undefined) out.labels = labels;
  const annotations = ours(m.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  return out;
}

interface Entry {
  meta: CachedMeta;
  /** Undefined for plain objects (no key of ours): they only matter as possible blockers, by name. */
  parsed?: ParsedObject;
}

/**
 * Indexes one kind's objects by role: sources (with their parsed spec), pushed and pull mirrors by source, and objects by
 * name (a deleted foreign object may free a source's target). Updates are incremental; queries are cheap.
 */
export class KindIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly sources = new Set<string>();
  private readonly byName: MultiMap = new Map();
  private readonly bySource: MultiMap = new Map();
  private readonly byNamespace: MultiMap = new Map();

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {}

  /** Turns cached metadata into an object the planner reads (content-less). */
  toObject(meta: CachedMeta): KubeObject {
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { ...meta } };
  }

  /** Records an object's latest metadata (or its deletion, with `undefined`) and returns the source keys it concerns. */
  update(key: string, meta: CachedMeta | undefined): string[] {
    const keys = new Set<string>();
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.unindex(key, old);
      if (old.parsed !== undefined) for (const k of relatedSources(key, old.parsed)) keys.add(k);
      // A deleted object may have blocked the target of every source whose mirrors carry its name.
      if (meta === undefined) for (const s of this.sourcesNaming(old.meta.name)) keys.add(s);
    }
    if (meta !== undefined) {
      const plain = meta.labels === undefined && meta.annotations === undefined;
      const entry: Entry = plain ? { meta } : { meta, parsed: parseObject(this.toObject(meta)) };
      this.entries.set(key, entry);
      this.index(key, entry);
      if (entry.parsed !== undefined) for (const k of relatedSources(key, entry.parsed)) keys.add(k);
    } else {
      this.entries.delete(key);
    }
    return [...keys].sort();
  }

  /** Returns every source key known: sources, and sources named by mirrors (which may be gone). */
  allSourceKeys(): string[] {
    return [...new Set([...this.sources, ...this.bySource.keys()])].sort();
  }

  /** Returns the source keys a namespace event concerns: sources targeting or allowing it, and sources with mirrors in it. */
  sourcesForNamespace(ns: NamespaceInfo): string[] {
    const keys = new Set<string>();
    for (const key of this.sources) {
      const spec = this.entries.get(key)?.parsed?.spec;
      if (spec !== undefined && decidePushTarget(spec, ns).target) keys.add(key);
    }
    for (const objKey of values(this.byNamespace, ns.name)) {
      const parsed = this.entries.get(objKey)?.parsed;
      if (parsed !== undefined) for (const k of relatedSources(objKey, parsed)) keys.add(k);
    }
    return [...keys].sort();
  }

  /** Returns cached objects with a given name, in any namespace (possible blockers or mirrors). */
  objectsNamed(name: string): CachedMeta[] {
    return values(this.byName, name).map((k) => this.entries.get(k)!.meta);
  }

  /** Returns cached mirrors (pushed or pull) that name a source. */
  mirrorsOf(sourceKey: string): { meta: CachedMeta; pull: boolean }[] {
    return values(this.bySource, sourceKey).map((k) => {
      const e = this.entries.get(k)!;
      return { meta: e.meta, pull: e.parsed?.pull !== undefined };
    });
  }

  /** Returns the parsed spec of a cached source, if valid. */
  parsed(key: string): ParsedObject | undefined {
    return this.entries.get(key)?.parsed;
  }

  /** Returns whether a pull mirror in a namespace may copy a cached source (for namespace label changes). */
  pullAllowed(sourceKey: string, ns: NamespaceInfo): boolean {
    const spec = this.entries.get(sourceKey)?.parsed?.spec;
    return spec !== undefined && decidePull(spec, ns).allowed;
  }

  /** The number of cached objects. */
  get size(): number {
    return this.entries.size;
  }

  private sourcesNaming(name: string): string[] {
    const out: string[] = [];
    for (const key of this.sources) {
      const spec = this.entries.get(key)?.parsed?.spec;
      if (spec !== undefined && spec.mirrorName === name) out.push(key);
    }
    return out;
  }

  private index(key: string, e: Entry): void {
    add(this.byName, e.meta.name, key);
    if (e.parsed === undefined) return;
    if (e.parsed.isSource) this.sources.add(key);
    add(this.byNamespace, e.meta.namespace, key);
    const src = mirrorSource(e.parsed);
    if (src !== undefined) add(this.bySource, src, key);
  }

  private unindex(key: string, e: Entry): void {
    remove(this.byName, e.meta.name, key);
    if (e.parsed === undefined) return;
    this.sources.delete(key);
    remove(this.byNamespace, e.meta.namespace, key);
    const src = mirrorSource(e.parsed);
    if (src !== undefined) remove(this.bySource, src, key);
  }
}

function mirrorSource(p: ParsedObject): string | undefined {
  if (p.pushedBy !== undefined) return p.pushedBy.sourceKey;
  if (p.pull !== undefined) return `${p.pull.from.namespace}/${p.pull.from.name}`;
  return undefined;
}

function relatedSources(key: string, p: ParsedObject): string[] {
  const out: string[] = [];
  if (p.isSource) out.push(key);
  const src = mirrorSource(p);
  if (src !== undefined) out.push(src);
  return out;
}

// Most names and keys have one object: a plain string saves a Set per entry, which adds up over tens of thousands.
type MultiMap = Map<string, string | Set<string>>;

function add(map: MultiMap, k: string, v: string): void {
  const cur = map.get(k);
  if (cur === undefined) map.set(k, v);
  else if (typeof cur === 'string') {
    if (cur !== v) map.set(k, new Set([cur, v]));
  } else cur.add(v);
}

function remove(map: MultiMap, k: string, v: string): void {
  const cur = map.get(k);
  if (cur === undefined) return;
  if (typeof cur === 'string') {
    if (cur === v) map.delete(k);
    return;
  }
  cur.delete(v);
  if (cur.size === 1) map.set(k, cur.values().next().value as string);
}

function values(map: MultiMap, k: string): string[] {
  const cur = map.get(k);
  return cur === undefined ? [] : typeof cur === 'string' ? [cur] : [...cur];
}
