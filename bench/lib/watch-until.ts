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
 * A live, metadata-only view of the objects in scope: `until(pred)` resolves with the milliseconds from the call until
 * pred holds for the view (checked on every event), or rejects after timeoutMs.
 */
export async function watchView(
  client: KubeClient,
  type: ResourceType,
  scope: WatchScope,
): Promise<{
  until(pred: (objects: ReadonlyMap<string, WatchedMeta>) => boolean, timeoutMs: number): Promise<number>;
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
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
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
            if (ev.type === 'DELETED')
              objects.delete(`${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`);
            else put(ev.object);
            notify();
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
    until(pred, timeoutMs) {
      const t0 = performance.now();
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          if (!pred(objects)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`condition not met within ${timeoutMs} ms (${objects.size} objects in view)`));
        }, timeoutMs);
        waiters.add(check);
        check();
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
