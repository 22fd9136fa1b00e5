// Waits for a condition over a live view of objects kept by one WATCH, so measuring convergence adds no polling load.
import type { KubeClient } from '../../kube/client.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { watchOnce } from '../../kube/watch.ts';

/** The metadata the benchmarks look at. */
export interface WatchedMeta {
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

/** Scope of a watched view. */
export interface WatchScope {
  namespace?: string;
  labelSelector?: string;
}

type Meta = {
  metadata: {
    namespace?: string;
    name: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    resourceVersion?: string;
  };
};

/**
 * A live, metadata-only view of the objects in scope: `untilCount(match, n)` resolves with the milliseconds from the
 * call until exactly n objects in it match (counted as events arrive), or rejects after timeoutMs.
 */
export async function watchView(
  client: KubeClient,
  type: ResourceType,
  scope: WatchScope,
): Promise<{
  untilCount(match: (m: WatchedMeta) => boolean, n: number, timeoutMs: number): Promise<number>;
  current(): ReadonlyMap<string, WatchedMeta>;
  close(): void;
}> {
  const objects = new Map<string, WatchedMeta>();
  const list = await client.list<Meta>(type, { ...scope, metadataOnly: true });
  const put = (o: Meta) =>
    objects.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      annotations: o.metadata.annotations ?? {},
      labels: o.metadata.labels ?? {},
    });
  for (const o of list.items) put(o);
  let rv = list.resourceVersion;
  const abort = new AbortController();
  // Each waiter hears which key changed and what it holds now (undefined: deleted).
  const waiters = new Set<(key: string, now: WatchedMeta | undefined) => void>();
  const notify = (key: string) => {
    const now = objects.get(key);
    for (const w of [...waiters]) w(key, now);
  };
  void (async () => {
    while (!abort.signal.aborted) {
      try {
        await watchOnce<Meta>(
          client,
          type,
          { ...scope, metadataOnly: true, resourceVersion: rv, timeoutSeconds: 300, signal: abort.signal },
          (ev) => {
            if (ev.object.metadata.resourceVersion) rv = ev.object.metadata.resourceVersion;
            if (ev.type === 'BOOKMARK') return;
            const key = `${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`;
            if (ev.type === 'DELETED') objects.delete(key);
            else put(ev.object);
            notify(key);
          },
        );
      } catch {
        if (abort.signal.aborted) return;
        // A broken watch in a benchmark is re-opened from the last resourceVersion; a 410 would need a relist, which
        // a minutes-long benchmark on a local apiserver never sees.
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  return {
    // A count kept per event, not recounted over the whole view: a recount per event made the bench process's CPU grow
    // with the square of the fan-out, and the floor's writes, made from this process, waited for it.
    untilCount(match, n, timeoutMs) {
      const t0 = performance.now();
      const matching = new Set<string>();
      for (const [key, m] of objects) if (match(m)) matching.add(key);
      return new Promise<number>((resolve, reject) => {
        const finish = () => {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        const check = (key: string, now: WatchedMeta | undefined) => {
          if (now !== undefined && match(now)) matching.add(key);
          else matching.delete(key);
          if (matching.size === n) finish();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${matching.size} of ${n} objects matched within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        if (matching.size === n) finish();
      });
    },
    current() {
      return objects;
    },
    close() {
      abort.abort();
    },
  };
}
