// The cache of one mirrored kind (whole objects that concern us, names of the rest), indexed so every event maps back to its sources.
import type { KubeObject, NamespaceInfo, ParsedObject, ParseOptions } from '../core/index.ts';
import { decidePull, decidePushTarget, DIALECT_PREFIXES, parseObject, pushVariants } from '../core/index.ts';
import { Interner } from '../core/intern.ts';

// Every dialect's keys mark an object as ours to read (sources and mirrors of the peers too). Their prefixes are one
// expression, tested natively on each key: every object a watch or a list delivers is asked, and a loop over the
// prefixes ran as interpreted JavaScript (the controller runs with --no-opt), 10x slower.
const KEPT_KEY = new RegExp(`^(?:${DIALECT_PREFIXES.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`);

/** True when an object has a label or annotation of any dialect's: a source, a mirror, or a pull mirror. */
function concernsUs(m: Record<string, unknown>): boolean {
  return hasKeptKey(m.labels) || hasKeptKey(m.annotations);
}

function hasKeptKey(map: unknown): boolean {
  if (map === null || typeof map !== 'object') return false;
  // The maps come from JSON.parse: every enumerable key is their own.
  for (const key in map) if (KEPT_KEY.test(key)) return true;
  return false;
}

/**
 * Returns the form an object is cached in. Objects that concern us (sources, our mirrors, pull mirrors) are kept
 * whole but for managedFields and kubectl's last-applied copy, so a reconcile reads them from the cache and not from
 * the API server. Every other object is only a possible blocker, for which its name is enough: memory does not grow
 * with other tools' objects or payloads. With `allWhole` (--allow-all, where a k8s-replicator or mittwald pull may
 * copy any object, annotated or not) every object is kept whole, as those tools cache every object.
 */
export function cacheForm(
  obj: { metadata?: Record<string, unknown> },
  apiVersion: string,
  kind: string,
  allWhole = false,
): KubeObject {
  const m = obj.metadata ?? {};
  if (!allWhole && !concernsUs(m)) {
    const name = String(m.name ?? '');
    const namespace = namespaceNames.get(String(m.namespace ?? ''));
    // One literal with every field: properties added one by one go to an out-of-object backing store (0.8 MiB at
    // 20,000 Secrets in a heap snapshot).
    const metadata: KubeObject['metadata'] =
      typeof m.uid === 'string' && typeof m.resourceVersion === 'string'
        ? { name, namespace, uid: m.uid, resourceVersion: m.resourceVersion }
        : {
            name,
            namespace,
            ...(typeof m.uid === 'string' ? { uid: m.uid } : {}),
            ...(typeof m.resourceVersion === 'string' ? { resourceVersion: m.resourceVersion } : {}),
          };
    return { apiVersion, kind, metadata };
  }
  const { managedFields: _managed, ...metadata } = m;
  if (typeof metadata.namespace === 'string') metadata.namespace = namespaceNames.get(metadata.namespace);
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _lastApplied, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...(obj as KubeObject), apiVersion, kind, metadata: metadata as KubeObject['metadata'] };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Every object parsed from JSON carries its own copy of its namespace's name; tens of thousands of objects share a few
// hundred namespaces.
const namespaceNames = new Interner((ns) => ns);

/**
 * Indexes one kind's objects by role: sources (with their parsed spec), pushed and pull mirrors by source, and objects by
 * name (a deleted foreign object may free a source's target). Updates are incremental; queries are cheap.
 */
export class KindIndex {
  /** Every cached object by key: the informer's own key strings, so cache and index share one per object. */
  private readonly objects = new Map<string, KubeObject>();
  /** Objects with a key of ours, parsed; plain objects (no key of ours) only matter as possible blockers, by name. */
  private readonly parsedByKey = new Map<string, ParsedObject>();
  private readonly sources = new Set<string>();
  /** Namespaces by object name (interned strings, so the index keeps no second key per object). */
  private readonly byName: MultiMap = new Map();
  private readonly bySource: MultiMap = new Map();
  /** Sources by the name of their mirrors (every push variant's), so a name's writers are found without a scan. */
  private readonly byMirrorName: MultiMap = new Map();
  private readonly byNamespace: MultiMap = new Map();
  /** Keys our own writes recorded before the watch delivered them (what was written), until the watch catches up. */
  private readonly writtenAhead = new Map<string, Ahead>();
  /** Keys our writes are in flight to (how many), and the sources their watch events concerned meanwhile. */
  private readonly writing = new Map<string, number>();
  private readonly parked = new Map<string, { sources: Set<string>; last: KubeObject | undefined }>();

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    /** The controller's parse options (--allow-all, --ignore-unknown, transform limits), so the index reads as the planner. */
    private readonly options: ParseOptions = {},
  ) {}

  /**
   * Records an object's latest cached form from the watch (or its deletion, with `undefined` and the deleted object;
   * `listedAt` when a relist found the key gone as of that resourceVersion); returns the source keys it concerns.
   */
  update(key: string, object: KubeObject | undefined, deleted?: KubeObject, listedAt?: string): string[] {
    const ahead = this.writtenAhead.get(key);
    if (ahead !== undefined) {
      // The watch is still behind our own write: an older version of the object must not replace the newer one, nor
      // the deletion of an earlier object under this name remove the one we created since. A list taken at or after
      // our write that lacks the key is not behind: what we wrote is gone too (deleted while the watch was down, so
      // the cache never saw it), and keeping it would leave a mirror deleted by hand unrecreated until the resync.
      const listedGone =
        object === undefined && listedAt !== undefined && 'resourceVersion' in ahead
          ? !olderVersion(listedAt, ahead.resourceVersion) && DECIMAL.test(listedAt)
          : false;
      if (!listedGone && staleEvent(ahead, object, deleted, this.objects.get(key)?.metadata.uid)) return [];
      this.writtenAhead.delete(key);
      // The echo of our own write: the very version the cache already holds (one resourceVersion, one content), so
      // nothing any source's plan reads has changed. The reconcile that wrote it planned it; another would plan nothing.
      // The watch's copy replaces ours (the informer's store shares it), the index needs no change.
      const cached = this.objects.get(key);
      if (object !== undefined && 'resourceVersion' in ahead && sameVersion(cached, object, ahead.resourceVersion)) {
        this.objects.set(key, object);
        return [];
      }
    }
    if (this.writing.has(key)) {
      // Our write to it is in flight and its echo may beat the answer: cached as usual, but whom it concerns is only
      // known once the answer says whether this is what we wrote (settleWrites).
      const sources = this.replace(key, object);
      const parked = this.parked.get(key) ?? { sources: new Set<string>(), last: undefined };
      for (const k of sources) parked.sources.add(k);
      parked.last = object;
      this.parked.set(key, parked);
      return [];
    }
    return this.replace(key, object);
  }

  /** Marks writes to these keys as in flight, until settleWrites (watch events of them are held until then). */
  expectWrites(keys: readonly string[]): void {
    for (const key of keys) this.writing.set(key, (this.writing.get(key) ?? 0) + 1);
  }

  /**
   * Ends writes begun with expectWrites, each with what the server answered (undefined: failed or no answer), and
   * returns the source keys the watch events held meanwhile concern. When the last of them was the echo of our own
   * write (the very version answered, same uid), the writer planned it and is left out; every other source it concerns
   * is not (a pull mirror we wrote may itself be the source of another pull mirror, whose plan read the old content).
   */
  settleWrites(
    results: ReadonlyArray<readonly [key: string, written: KubeObject | undefined]>,
    writer: string,
  ): string[] {
    const out = new Set<string>();
    for (const [key, written] of results) {
      const n = (this.writing.get(key) ?? 1) - 1;
      if (n > 0) this.writing.set(key, n);
      else this.writing.delete(key);
      const parked = this.parked.get(key);
      if (parked === undefined) continue;
      // Another write to the key still in flight: what was held goes out now, so nothing waits on a second answer.
      const echo =
        n <= 0 &&
        written !== undefined &&
        parked.last !== undefined &&
        written.metadata.resourceVersion !== undefined &&
        sameVersion(written, parked.last, written.metadata.resourceVersion);
      this.parked.delete(key);
      for (const k of parked.sources) if (!echo || k !== writer) out.add(k);
    }
    return [...out].sort();
  }

  /**
   * Records an object as the server answered our write of it (its cached form), before the watch delivers it, so a
   * reconcile right after a write does not plan it again. Only when nothing is cached under the key or an older
   * resourceVersion (both decimal integers; otherwise the watch decides): a newer watch event always wins. Returns
   * the source keys the write concerns, as a watch event would (its echo will queue none).
   */
  recordWritten(key: string, object: KubeObject): string[] {
    const rv = object.metadata.resourceVersion;
    if (rv === undefined || !DECIMAL.test(rv)) return [];
    const cached = this.objects.get(key);
    if (cached !== undefined && !olderVersion(cached.metadata.resourceVersion, rv)) return [];
    this.writtenAhead.set(key, { resourceVersion: rv });
    return this.replace(key, object);
  }

  /**
   * Forgets an object our own delete removed (or found gone), unless the cache holds another one by then (another
   * uid); until the watch delivers the deletion, events still carrying that uid are older and ignored. Returns the
   * source keys the deletion concerns.
   */
  recordDeleted(key: string, uid: string | undefined): string[] {
    const cached = this.objects.get(key);
    if (cached === undefined) return [];
    const gone = uid ?? cached.metadata.uid;
    if (gone === undefined || cached.metadata.uid !== gone) return [];
    this.writtenAhead.set(key, { deletedUid: gone });
    return this.replace(key, undefined);
  }

  private replace(key: string, object: KubeObject | undefined): string[] {
    const keys = new Set<string>();
    const old = this.objects.get(key);
    // An object pull mirrors name is their source, annotated or not (a source under --allow-all needs no annotation).
    if (this.bySource.has(key)) keys.add(key);
    if (old !== undefined) {
      const oldParsed = this.parsedByKey.get(key);
      this.unindex(key, old, oldParsed);
      if (oldParsed !== undefined) for (const k of relatedSources(key, oldParsed)) keys.add(k);
      // A deleted object may have blocked the target of every source whose mirrors carry its name.
      if (object === undefined) for (const s of this.sourcesNaming(old.metadata.name)) keys.add(s);
    }
    if (object !== undefined) {
      const plain = object.metadata.labels === undefined && object.metadata.annotations === undefined;
      const parsed = plain ? undefined : parseObject(object, this.options);
      this.objects.set(key, object);
      if (parsed === undefined) this.parsedByKey.delete(key);
      else this.parsedByKey.set(key, parsed);
      this.index(key, object, parsed);
      if (parsed !== undefined) for (const k of relatedSources(key, parsed)) keys.add(k);
    } else {
      this.objects.delete(key);
      this.parsedByKey.delete(key);
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
      const spec = this.parsedByKey.get(key)?.spec;
      if (spec !== undefined && decidePushTarget(spec, ns).target) keys.add(key);
    }
    for (const objKey of values(this.byNamespace, ns.name)) {
      const parsed = this.parsedByKey.get(objKey);
      if (parsed !== undefined) for (const k of relatedSources(objKey, parsed)) keys.add(k);
    }
    return [...keys].sort();
  }

  /**
   * Returns cached objects with a given name, in any namespace (possible blockers or mirrors), or only in `namespace`:
   * a reconcile focused on one namespace then costs the same however many namespaces hold the name.
   */
  objectsNamed(name: string, namespace?: string): KubeObject[] {
    if (namespace !== undefined) {
      const object = this.objects.get(namespace === '' ? name : `${namespace}/${name}`);
      return object === undefined ? [] : [object];
    }
    return values(this.byName, name).map((ns) => this.objects.get(ns === '' ? name : `${ns}/${name}`)!);
  }

  /**
   * Returns cached mirrors (pushed or pull) that name a source: the source-hash index, so no LIST is needed. With
   * `namespace`, only those in it, read from that namespace's objects rather than from every mirror of the source.
   */
  mirrorsOf(sourceKey: string, namespace?: string): { object: KubeObject; pull: boolean }[] {
    const keys =
      namespace === undefined
        ? values(this.bySource, sourceKey)
        : values(this.byNamespace, namespace).filter((k) => {
            const parsed = this.parsedByKey.get(k);
            return parsed !== undefined && mirrorSource(parsed) === sourceKey;
          });
    return keys.map((k) => ({ object: this.objects.get(k)!, pull: this.parsedByKey.get(k)?.pull !== undefined }));
  }

  /** Returns the source key an object mirrors (pushed by or pulled from), if it is a mirror. */
  upstreamOf(key: string): string | undefined {
    const parsed = this.parsedByKey.get(key);
    return parsed === undefined ? undefined : mirrorSource(parsed);
  }

  /** Returns a cached object by key ("namespace/name"). */
  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /** Returns the parsed spec of a cached source, if valid. */
  parsed(key: string): ParsedObject | undefined {
    return this.parsedByKey.get(key);
  }

  /** Returns whether a pull mirror in a namespace may copy a cached source (for namespace label changes). */
  pullAllowed(sourceKey: string, ns: NamespaceInfo): boolean {
    const spec = this.parsedByKey.get(sourceKey)?.spec;
    return spec !== undefined && decidePull(spec, ns).allowed;
  }

  /** The number of cached objects. */
  get size(): number {
    return this.objects.size;
  }

  /** Returns the keys of cached sources that push mirrors under this name (any push variant). */
  sourcesNaming(name: string): string[] {
    return values(this.byMirrorName, name);
  }

  private index(key: string, object: KubeObject, parsed: ParsedObject | undefined): void {
    add(this.byName, object.metadata.name, object.metadata.namespace ?? '');
    if (parsed === undefined) return;
    if (reconciledItself(parsed)) {
      this.sources.add(key);
      if (parsed.spec !== undefined)
        for (const v of pushVariants(parsed.spec)) add(this.byMirrorName, v.mirrorName, key);
    }
    add(this.byNamespace, object.metadata.namespace ?? '', key);
    const src = mirrorSource(parsed);
    if (src !== undefined) add(this.bySource, src, key);
  }

  private unindex(key: string, object: KubeObject, parsed: ParsedObject | undefined): void {
    remove(this.byName, object.metadata.name, object.metadata.namespace ?? '');
    if (parsed === undefined) return;
    if (this.sources.delete(key) && parsed.spec !== undefined) {
      for (const v of pushVariants(parsed.spec)) remove(this.byMirrorName, v.mirrorName, key);
    }
    remove(this.byNamespace, object.metadata.namespace ?? '', key);
    const src = mirrorSource(parsed);
    if (src !== undefined) remove(this.bySource, src, key);
  }
}

const DECIMAL = /^[0-9]+$/;

/** What our own last write of a key left: the resourceVersion written, or the uid deleted. */
type Ahead = { resourceVersion: string } | { deletedUid: string };

/**
 * True for a watch event older than our own write: an update of the object we already deleted, an older version of
 * the object we wrote, or the deletion of an earlier object under its name (another uid).
 */
function staleEvent(ahead: Ahead, object: KubeObject | undefined, deleted: KubeObject | undefined, cachedUid?: string) {
  if ('deletedUid' in ahead) return object !== undefined && object.metadata.uid === ahead.deletedUid;
  if (object !== undefined) return olderVersion(object.metadata.resourceVersion, ahead.resourceVersion);
  return deleted?.metadata.uid !== undefined && deleted.metadata.uid !== cachedUid;
}

/** True when the cached object and the event are the one version `rv` of one object (same uid). */
function sameVersion(cached: KubeObject | undefined, object: KubeObject, rv: string): boolean {
  return (
    cached !== undefined &&
    cached.metadata.resourceVersion === rv &&
    object.metadata.resourceVersion === rv &&
    cached.metadata.uid === object.metadata.uid
  );
}

/** True when resourceVersion `a` is older than `b`, both decimal integers (etcd revisions); false when unknown. */
function olderVersion(a: string | undefined, b: string): boolean {
  if (a === undefined || !DECIMAL.test(a) || !DECIMAL.test(b)) return false;
  return BigInt(a) < BigInt(b);
}

function mirrorSource(p: ParsedObject): string | undefined {
  if (p.pushedBy !== undefined) return p.pushedBy.sourceKey;
  if (p.pull !== undefined) return `${p.pull.from.namespace}/${p.pull.from.name}`;
  return undefined;
}

/**
 * True for objects reconciled under their own key: sources, and objects whose annotations are at fault (an ill-formed
 * pull names no source to be reconciled under, yet its finding must be reported).
 */
function reconciledItself(p: ParsedObject): boolean {
  return p.isSource || p.findings.length > 0;
}

function relatedSources(key: string, p: ParsedObject): string[] {
  const out: string[] = [];
  if (reconciledItself(p)) out.push(key);
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
