// One WATCH request: opens the stream, parses JSON lines, and turns ERROR events into KubeApiErrors.
import { KubeApiError } from './errors.ts';
import type { RequestTarget } from './errors.ts';
import { JsonLinesParser } from './json-lines.ts';
import { ACCEPT_METADATA } from './media-types.ts';
import { resourceLabel, resourcePath } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';
import type { Transport } from './transport.ts';

/** The event types a watch delivers to its caller (ERROR is raised as a KubeApiError instead). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One watch event. */
export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/** Options for one watch request. */
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  metadataOnly?: boolean;
  /** Where to start; the list's resourceVersion or the last one seen. */
  resourceVersion: string;
  /** The server closes the watch after this many seconds (a normal end). */
  timeoutSeconds?: number;
  /** Default true: bookmarks keep resourceVersion fresh on quiet, selector-filtered watches. */
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
  /** Called when the stream is open (2xx received). */
  onOpen?: () => void;
  /** Called for every chunk of bytes, so a watchdog can tell a slow big object from a dead stream. */
  onActivity?: () => void;
}

/** Watches until the server ends the stream normally (resolves with the event count) or it fails (rejects with KubeApiError). */
export async function watchOnce<T>(
  client: Pick<Transport, 'stream'>,
  type: ResourceType,
  options: WatchOptions,
  onEvent: (event: WatchEvent<T>) => void,
): Promise<number> {
  const target: RequestTarget = {
    verb: 'watch',
    resource: resourceLabel(type),
    ...(options.namespace ? { namespace: options.namespace } : {}),
  };
  const res = await client.stream({
    target,
    path: resourcePath(type, options.namespace),
    query: {
      watch: true,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      timeoutSeconds: options.timeoutSeconds,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    },
    headers: { accept: options.metadataOnly ? ACCEPT_METADATA : 'application/json' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.onOpen?.();
  const parser = new JsonLinesParser();
  let count = 0;
  const deliver = (values: unknown[]): void => {
    for (const value of values) {
      const ev = value as { type?: string; object?: unknown };
      if (ev.type === 'ERROR') throw errorFromWatchStatus(target, ev.object);
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED' && ev.type !== 'BOOKMARK') {
        throw new KubeApiError(target, 0, 'BadEvent', `unexpected watch event type ${JSON.stringify(ev.type)}`);
      }
      count++;
      onEvent({ type: ev.type, object: ev.object as T });
    }
  };
  try {
    for await (const chunk of res) {
      options.onActivity?.();
      deliver(parser.push(chunk as Buffer));
    }
    deliver(parser.end());
  } catch (err) {
    if (err instanceof KubeApiError) throw err;
    if (options.signal?.aborted) {
      const reason: unknown = options.signal.reason;
      const message = reason instanceof Error ? reason.message : 'watch aborted';
      throw new KubeApiError(target, 0, 'Aborted', message, { cause: reason });
    }
    // A socket reset or "aborted" mid-stream: the caller reconnects from its last resourceVersion.
    throw new KubeApiError(target, 0, 'NetworkError', (err as Error).message, { cause: err });
  } finally {
    res.destroy();
  }
  return count;
}

function errorFromWatchStatus(target: RequestTarget, object: unknown): KubeApiError {
  const s = (object ?? {}) as { code?: number; reason?: string; message?: string };
  // A 410 arrives here as {code: 410, reason: "Expired"} ("too old resource version").
  return new KubeApiError(target, s.code ?? 500, s.reason ?? 'InternalError', s.message ?? 'watch ERROR event');
}
