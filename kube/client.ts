// A small typed HTTP client for the Kubernetes API; client-node supplies only TLS material and credentials.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { LoadedKubeConfig } from './config.ts';
import { errorFromResponse, KubeApiError } from './errors.ts';
import type { RequestTarget } from './errors.ts';
import { ACCEPT_METADATA, ACCEPT_METADATA_LIST } from './media-types.ts';
import { Semaphore } from './semaphore.ts';
import { watchOnce } from './watch.ts';
import type { WatchEvent, WatchOptions } from './watch.ts';
import { apiVersionOf, resourceLabel, resourcePath } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';

/** One finished request, reported to the observer (for metrics such as rest_client_requests_total). */
export interface RequestEvent {
  verb: string;
  /** "resource.group", or the path for discovery. */
  resource: string;
  /** HTTP status, or 0 when no response arrived. */
  code: number;
  durationMs: number;
}

/** Options for KubeClient. */
export interface KubeClientOptions {
  /** Called after every request, including failed ones and watch openings. */
  observer?: (event: RequestEvent) => void;
  /** Most non-watch requests in flight at once (default 16); watches are long-lived and not counted. */
  maxConcurrency?: number;
  userAgent?: string;
  /** How long resolved credentials are reused before client-node is asked again (default 10 s). */
  authCacheMs?: number;
  /** Retries of a 429 / Retry-After response before giving up (default 3). */
  maxRetries?: number;
}

/** Common per-request options. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options for list. */
export interface ListOptions extends RequestOptions {
  /** Namespace to list in; omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (default 500, like client-go). */
  limit?: number;
  /** Ask for PartialObjectMetadata only, so Secret payloads never reach us. */
  metadataOnly?: boolean;
  /** Maps each item as its page arrives, so a large list never holds every full item at once. */
  transform?: (item: never) => unknown;
}

/** The items of a full (all pages) list and the resourceVersion to watch from. */
export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

/** Options for server-side apply. */
export interface ApplyOptions extends RequestOptions {
  fieldManager: string;
  /** Take ownership of fields other managers own, instead of failing with 409. */
  force?: boolean;
  dryRun?: boolean;
}

/** Options for create, update and patch. */
export interface CreateOptions extends RequestOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** Update or patch a subresource ("status") instead of the object; RBAC grants it as "resource/status". */
  subresource?: string;
}

/** Options for delete. */
export interface DeleteOptions extends RequestOptions {
  /** Delete only if the object still has this uid and/or resourceVersion; otherwise 409 Conflict. */
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  dryRun?: boolean;
}

/** Options for a raw streaming request (watch). */
export interface StreamRequest extends RequestOptions {
  target: RequestTarget;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: OutgoingHttpHeaders;
}

export { ACCEPT_METADATA, ACCEPT_METADATA_LIST } from './media-types.ts';

interface RawRequest extends RequestOptions {
  target: RequestTarget;
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  headers?: OutgoingHttpHeaders;
  body?: unknown;
}

interface Credentials {
  headers: OutgoingHttpHeaders;
  expiresAt: number;
}

type KubeObjectLike = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };

/** The typed client: get, list (paginated), create, apply (SSA), delete (with preconditions) and raw streams. */
export class KubeClient {
  /** The configuration this client talks through. */
  readonly config: LoadedKubeConfig;
  private readonly options: KubeClientOptions;
  private readonly url: URL;
  private readonly semaphore: Semaphore;
  private agent: http.Agent | undefined;
  private credentials: Credentials | undefined;
  private credentialsPending: Promise<Credentials> | undefined;

  /** Creates a client; no request is made until the first call. */
  constructor(config: LoadedKubeConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.options = options;
    this.url = new URL(config.server);
    this.semaphore = new Semaphore(options.maxConcurrency ?? 16);
  }

  /** Reads one object. */
  async get<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: RequestOptions & { metadataOnly?: boolean } = {},
  ): Promise<T> {
    return (await this.request({
      target: { verb: 'get', resource: resourceLabel(type), ...(namespace ? { namespace } : {}), name },
      method: 'GET',
      path: resourcePath(type, namespace, name),
      headers: { accept: options.metadataOnly ? ACCEPT_METADATA : 'application/json' },
      ...signalOf(options),
    })) as T;
  }

  /** Lists every page of a collection and returns all items with the list's resourceVersion. */
  async list<T = unknown>(type: ResourceType, options: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    const target: RequestTarget = {
      verb: 'list',
      resource: resourceLabel(type),
      ...(options.namespace ? { namespace: options.namespace } : {}),
    };
    do {
      const page = (await this.request({
        target,
        method: 'GET',
        path: resourcePath(type, options.namespace),
        query: {
          limit: options.limit ?? 500,
          continue: cont,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        },
        headers: { accept: options.metadataOnly ? ACCEPT_METADATA_LIST : 'application/json' },
        ...signalOf(options),
      })) as { items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } };
      // Items of a list carry no apiVersion/kind on the wire; fill them in so every object is self-describing.
      const apiVersion = options.metadataOnly ? 'meta.k8s.io/v1' : apiVersionOf(type);
      const kind = options.metadataOnly ? 'PartialObjectMetadata' : type.kind;
      for (const item of page.items ?? []) {
        const o = item as KubeObjectLike;
        o.apiVersion ??= apiVersion;
        o.kind ??= kind;
        items.push(options.transform ? (options.transform(item as never) as T) : item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  /** Creates an object (POST); fails with 409 AlreadyExists if it exists. */
  async create<T = unknown>(type: ResourceType, obj: object, options: CreateOptions = {}): Promise<T> {
    const meta = (obj as KubeObjectLike).metadata ?? {};
    const namespace = meta.namespace;
    return (await this.request({
      target: {
        verb: 'create',
        resource: resourceLabel(type),
        ...(namespace ? { namespace } : {}),
        ...(meta.name ? { name: meta.name } : {}),
      },
      method: 'POST',
      path: resourcePath(type, namespace),
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: withTypeMeta(type, obj),
      ...signalOf(options),
    })) as T;
  }

  /** Server-side applies an object (PATCH application/apply-patch+yaml with a JSON body) as fieldManager. */
  async apply<T = unknown>(type: ResourceType, obj: object, options: ApplyOptions): Promise<T> {
    const meta = (obj as KubeObjectLike).metadata ?? {};
    if (!meta.name) throw new Error(`apply ${resourceLabel(type)}: metadata.name is required`);
    const namespace = type.namespaced ? meta.namespace : undefined;
    if (type.namespaced && !namespace) {
      throw new Error(`apply ${resourceLabel(type)} ${meta.name}: metadata.namespace is required`);
    }
    return (await this.request({
      target: { verb: 'apply', resource: resourceLabel(type), ...(namespace ? { namespace } : {}), name: meta.name },
      method: 'PATCH',
      path: resourcePath(type, namespace, meta.name),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? true : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      // JSON is valid YAML, so the apply content type takes our JSON body unchanged.
      headers: { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' },
      body: withTypeMeta(type, obj),
      ...signalOf(options),
    })) as T;
  }

  /** Sends a JSON patch (RFC 6902); a `test` operation on /metadata/resourceVersion makes it conditional. */
  jsonPatch<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    operations: readonly object[],
    options: CreateOptions = {},
  ): Promise<T> {
    return this.patch<T>('application/json-patch+json', type, namespace, name, operations, options);
  }

  /** Replaces an object (PUT); with metadata.resourceVersion set it fails with 409 Conflict if the object changed. */
  async update<T = unknown>(type: ResourceType, obj: object, options: CreateOptions = {}): Promise<T> {
    const meta = (obj as KubeObjectLike).metadata ?? {};
    if (!meta.name) throw new Error(`update ${resourceLabel(type)}: metadata.name is required`);
    const namespace = type.namespaced ? meta.namespace : undefined;
    return (await this.request({
      target: {
        verb: 'update',
        resource: resourceLabel(type) + subresourceSuffix(options),
        ...(namespace ? { namespace } : {}),
        name: meta.name,
      },
      method: 'PUT',
      path: resourcePath(type, namespace, meta.name) + subresourceSuffix(options),
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: withTypeMeta(type, obj),
      ...signalOf(options),
    })) as T;
  }

  /** Applies a JSON merge patch (RFC 7386) to one object. */
  mergePatch<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: object,
    options: CreateOptions = {},
  ): Promise<T> {
    return this.patch<T>('application/merge-patch+json', type, namespace, name, patch, options);
  }

  private async patch<T>(
    contentType: string,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: CreateOptions,
  ): Promise<T> {
    return (await this.request({
      target: {
        verb: 'patch',
        resource: resourceLabel(type) + subresourceSuffix(options),
        ...(namespace ? { namespace } : {}),
        name,
      },
      method: 'PATCH',
      path: resourcePath(type, namespace, name) + subresourceSuffix(options),
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      headers: { 'content-type': contentType, accept: 'application/json' },
      body,
      ...signalOf(options),
    })) as T;
  }

  /** Deletes an object, optionally only if its uid/resourceVersion still match (409 Conflict otherwise). */
  async delete<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.dryRun) body.dryRun = ['All'];
    return (await this.request({
      target: { verb: 'delete', resource: resourceLabel(type), ...(namespace ? { namespace } : {}), name },
      method: 'DELETE',
      path: resourcePath(type, namespace, name),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      ...signalOf(options),
    })) as T;
  }

  /** GETs a raw API path (discovery, /version) and returns the parsed JSON. */
  async getPath<T = unknown>(
    path: string,
    options: RequestOptions & { headers?: OutgoingHttpHeaders } = {},
  ): Promise<T> {
    return (await this.request({
      target: { verb: 'get', resource: path },
      method: 'GET',
      path,
      headers: { accept: 'application/json', ...options.headers },
      ...signalOf(options),
    })) as T;
  }

  /** Opens a streaming GET (a watch) and resolves with the response once a 2xx status arrives; the caller reads and destroys it. */
  /** Watches until the server ends the stream normally (resolves with the event count) or it fails. */
  watch<T>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<number> {
    return watchOnce(this, type, options, onEvent);
  }

  async stream(req: StreamRequest): Promise<IncomingMessage> {
    const started = performance.now();
    let code = 0;
    try {
      const res = await this.send({ ...req, method: 'GET' }, true);
      code = res.statusCode ?? 0;
      if (code >= 200 && code < 300) return res;
      const body = await readBody(res, req.target);
      // A rotated token fails the watch once; the next attempt must not reuse the cached one.
      if (code === 401) this.credentials = undefined;
      throw errorFromResponse(req.target, code, body.toString('utf8'), retryAfter(res));
    } finally {
      this.observe(req.target, code, started);
    }
  }

  /** Closes idle keep-alive sockets; in-flight requests are not affected. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async request(req: RawRequest): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 3;
    let refreshedAuth = false;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let code = 0;
      let res: IncomingMessage;
      let body: Buffer;
      const release = await this.semaphore.acquire(req.signal);
      try {
        res = await this.send(req, false);
        code = res.statusCode ?? 0;
        body = await readBody(res, req.target);
      } finally {
        release();
        this.observe(req.target, code, started);
      }
      if (code >= 200 && code < 300) return parseJson(body, req.target);
      const wait = retryAfter(res);
      // Rotated tokens (exec plugins, projected service account tokens) show up as one 401; fetch fresh credentials once.
      if (code === 401 && !refreshedAuth) {
        refreshedAuth = true;
        this.credentials = undefined;
        continue;
      }
      // 429 (APF) and Retry-After responses were not executed, so retrying is safe for every verb, as in client-go.
      if ((code === 429 || (code >= 500 && wait !== undefined)) && attempt < maxRetries) {
        await sleep(Math.min(wait ?? 1, 10) * 1000, req.signal);
        continue;
      }
      throw errorFromResponse(req.target, code, body.toString('utf8'), wait);
    }
  }

  private observe(target: RequestTarget, code: number, started: number): void {
    if (!this.options.observer) return;
    try {
      this.options.observer({
        verb: target.verb,
        resource: target.resource,
        code,
        durationMs: performance.now() - started,
      });
    } catch {
      // A broken metrics hook must never fail an API call.
    }
  }

  private async send(req: RawRequest, streaming: boolean): Promise<IncomingMessage> {
    const creds = await this.getCredentials(req.target);
    const url = new URL(this.url.pathname.replace(/\/+$/, '') + req.path, this.url);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: OutgoingHttpHeaders = {
      ...creds.headers,
      'user-agent': this.options.userAgent ?? 'kube-reflect',
      ...req.headers,
    };
    if (payload) headers['content-length'] = payload.length;
    const timeoutMs = this.config.requestTimeoutMs;
    const mod = url.protocol === 'https:' ? https : http;
    return await new Promise<IncomingMessage>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(abortError(req.target, req.signal));
        return;
      }
      const r = mod.request(url, { method: req.method, headers, agent: this.agent }, (res) => {
        // A watch has no overall deadline (the informer's watchdog guards it); ordinary requests do.
        if (streaming) clearTimeout(timer);
        else res.once('end', () => clearTimeout(timer));
        res.once('close', () => {
          clearTimeout(timer);
          req.signal?.removeEventListener('abort', onAbort);
        });
        resolve(res);
      });
      const fail = (err: KubeApiError): void => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        r.destroy(err);
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new KubeApiError(req.target, 0, 'Timeout', `no response within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onAbort = (): void => fail(abortError(req.target, req.signal));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.once('error', (err) => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        reject(
          err instanceof KubeApiError
            ? err
            : new KubeApiError(req.target, 0, 'NetworkError', err.message, { cause: err }),
        );
      });
      if (streaming) {
        // Half-open connections are common behind load balancers; TCP keepalive lets the kernel notice them.
        r.once('socket', (s) => s.setKeepAlive(true, 30_000));
      }
      r.end(payload);
    });
  }

  private async getCredentials(target: RequestTarget): Promise<Credentials> {
    const now = Date.now();
    if (this.credentials && this.credentials.expiresAt > now) return this.credentials;
    // One refresh at a time: many concurrent requests must not each run an exec plugin.
    this.credentialsPending ??= this.resolveCredentials(target).finally(() => {
      this.credentialsPending = undefined;
    });
    return await this.credentialsPending;
  }

  private async resolveCredentials(target: RequestTarget): Promise<Credentials> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.config.kubeConfig.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeApiError(
        target,
        0,
        'AuthError',
        `credentials for context "${this.config.contextName}": ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const headers: OutgoingHttpHeaders = { ...(opts.headers as OutgoingHttpHeaders) };
    if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    // client-node builds a fresh agent per call; we build ours once from the same TLS material to keep connections alive.
    this.agent ??= this.makeAgent(opts);
    const creds = { headers, expiresAt: Date.now() + (this.options.authCacheMs ?? 10_000) };
    this.credentials = creds;
    return creds;
  }

  private makeAgent(opts: https.RequestOptions): http.Agent {
    const common = { keepAlive: true, keepAliveMsecs: 30_000, maxFreeSockets: 16 };
    if (this.url.protocol !== 'https:') return new http.Agent(common);
    return new https.Agent({
      ...common,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert ? { cert: opts.cert } : {}),
      ...(opts.key ? { key: opts.key } : {}),
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
  }
}

function withTypeMeta(type: ResourceType, obj: object): object {
  return { apiVersion: apiVersionOf(type), kind: type.kind, ...obj };
}

function subresourceSuffix(options: CreateOptions): string {
  return options.subresource ? `/${encodeURIComponent(options.subresource)}` : '';
}

function signalOf(options: RequestOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function abortError(target: RequestTarget, signal: AbortSignal | undefined): KubeApiError {
  const reason: unknown = signal?.reason;
  const message = reason instanceof Error ? reason.message : 'request aborted';
  return new KubeApiError(target, 0, 'Aborted', message, { cause: reason });
}

function retryAfter(res: IncomingMessage): number | undefined {
  const h = res.headers['retry-after'];
  if (h === undefined) return undefined;
  const n = Number(h);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

async function readBody(res: IncomingMessage, target: RequestTarget): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof KubeApiError) throw err;
    throw new KubeApiError(target, 0, 'NetworkError', (err as Error).message, { cause: err });
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer, target: RequestTarget): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (err) {
    throw new KubeApiError(target, 0, 'BadResponse', `response is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Resolves after ms, or rejects early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
