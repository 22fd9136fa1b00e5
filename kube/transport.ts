// The HTTP half of the API client: TLS and credentials from the kubeconfig, keep-alive, the request timeout,
// concurrency, 401 refresh and 429 / Retry-After retries, and the observer hook. It knows paths, not resources;
// kube/client.ts builds the verbs on it.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { IncomingMessage, OutgoingHttpHeaders, RequestOptions as HttpRequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import type { LoadedKubeConfig } from './config.ts';
import { errorFromResponse, KubeApiError } from './errors.ts';
import type { RequestTarget } from './errors.ts';
import { Semaphore } from './semaphore.ts';

/** One finished request, reported to the observer (for metrics such as rest_client_requests_total). */
export interface RequestEvent {
  verb: string;
  /** "resource.group", or the path for discovery. */
  resource: string;
  /** HTTP status, or 0 when no response arrived. */
  code: number;
  durationMs: number;
}

/** Options of the transport (and so of KubeClient). */
export interface TransportOptions {
  /** Called after every request, including failed ones and watch openings. */
  observer?: (event: RequestEvent) => void;
  /** Most non-watch requests in flight at once (default 16); watches are long-lived and not counted. */
  maxConcurrency?: number;
  userAgent?: string;
  /** How long resolved credentials are reused before the kubeconfig is asked again: token files re-read, exec plugins re-run (default 10 s). */
  authCacheMs?: number;
  /** Retries of a 429 / Retry-After response before giving up (default 3). */
  maxRetries?: number;
}

/** Common per-request options. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options for a raw streaming request (watch). */
export interface StreamRequest extends RequestOptions {
  target: RequestTarget;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: OutgoingHttpHeaders;
}

/** One request: what it is for (errors and metrics name it), method, path, query, headers and a JSON body. */
export interface RawRequest extends RequestOptions {
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

/** Sends requests to one API server with the kubeconfig's credentials; one instance per cluster. */
export class Transport {
  /** The configuration this transport talks through. */
  readonly config: LoadedKubeConfig;
  private readonly options: TransportOptions;
  private readonly url: URL;
  /** The server's protocol, host, port and credentials as request options, and its path without a trailing slash. */
  private readonly endpoint: HttpRequestOptions;
  private readonly basePath: string;
  private readonly semaphore: Semaphore;
  private agent: http.Agent | undefined;
  private credentials: Credentials | undefined;
  private credentialsPending: Promise<Credentials> | undefined;

  /** Creates a transport; no connection is made until the first request. */
  constructor(config: LoadedKubeConfig, options: TransportOptions = {}) {
    this.config = config;
    this.options = options;
    this.url = new URL(config.server);
    const { protocol, hostname, port, auth } = urlToHttpOptions(this.url);
    this.endpoint = {
      protocol,
      hostname,
      ...(port !== undefined && port !== '' ? { port } : {}),
      ...(auth ? { auth } : {}),
    };
    this.basePath = this.url.pathname.replace(/\/+$/, '');
    this.semaphore = new Semaphore(options.maxConcurrency ?? 16);
  }

  /** Opens a streaming GET (a watch) and resolves with the response once a 2xx status arrives; the caller reads and destroys it. */
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

  /** Sends one request (retrying 401 once and 429 / Retry-After) and returns its parsed JSON body. */
  async request(req: RawRequest): Promise<unknown> {
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
    // Cached credentials without an await: one microtask less per request.
    const cached = this.credentials;
    const creds = cached && cached.expiresAt > Date.now() ? cached : await this.getCredentials(req.target);
    const path = this.requestPath(req);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: OutgoingHttpHeaders = {
      ...creds.headers,
      'user-agent': this.options.userAgent ?? 'kube-reflect',
      ...req.headers,
    };
    if (payload) headers['content-length'] = payload.length;
    const timeoutMs = this.config.requestTimeoutMs;
    const mod = this.url.protocol === 'https:' ? https : http;
    return await new Promise<IncomingMessage>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(abortError(req.target, req.signal));
        return;
      }
      // Once headers are in, a timeout or abort must reach whoever reads the body, as that error and not the bare
      // "aborted" of a destroyed socket.
      let response: IncomingMessage | undefined;
      const r = mod.request({ ...this.endpoint, path, method: req.method, headers, agent: this.agent }, (res) => {
        response = res;
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
        response?.destroy(err);
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

  /**
   * The request's path and query on this server. Paths are built from encoded names and so are plain printable ASCII;
   * anything else goes through the URL parser, which escapes it as before (a URL built and converted for each request
   * was about 2 % of the controller's CPU in a 1,000-write fan-out's profile).
   */
  private requestPath(req: StreamRequest | RawRequest): string {
    let search = '';
    if (req.query !== undefined) {
      for (const k of Object.keys(req.query)) {
        const v = req.query[k];
        if (v !== undefined && v !== '')
          search += `${search === '' ? '?' : '&'}${formEncode(k)}=${formEncode(String(v))}`;
      }
    }
    const raw = this.basePath + req.path;
    if (PLAIN_PATH.test(raw) && !DOT_SEGMENT.test(raw)) return raw + search;
    const url = new URL(raw, this.url);
    for (const [k, v] of new URLSearchParams(search)) url.searchParams.set(k, v);
    return url.pathname + url.search;
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
      await this.config.applyToHTTPSOptions(opts);
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
    // One agent, built once from the TLS material, keeps connections alive.
    this.agent ??= this.makeAgent(opts);
    const creds = { headers, expiresAt: Date.now() + (this.options.authCacheMs ?? 10_000) };
    this.credentials = creds;
    return creds;
  }

  private makeAgent(opts: https.RequestOptions): http.Agent {
    const common = { keepAlive: true, keepAliveMsecs: 30_000, maxFreeSockets: 16 };
    if (this.url.protocol !== 'https:') return new http.Agent(common);
    // One secure context for every connection: given only the PEMs, each new socket parses them into its own (about
    // 2 ms of CPU each, and a fan-out opens one socket per write in flight).
    const secureContext = tls.createSecureContext({
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert ? { cert: opts.cert } : {}),
      ...(opts.key ? { key: opts.key } : {}),
    });
    return new https.Agent({
      ...common,
      secureContext,
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
  }
}

// Printable ASCII without the characters a URL treats specially in a path (query, fragment) or escapes.
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
// A "." or ".." segment (also spelled %2e), which the URL parser resolves away: such a path takes the parser's way too.
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

// What URLSearchParams leaves as it is (application/x-www-form-urlencoded): most keys and values (limit=500,
// fieldManager=kube-reflect) are only that, and skip building a URLSearchParams per request.
const FORM_PLAIN = /^[A-Za-z0-9*\-._]*$/;

/** Encodes a query key or value exactly as URLSearchParams does. */
function formEncode(s: string): string {
  if (FORM_PLAIN.test(s)) return s;
  const params = new URLSearchParams();
  params.set('', s);
  return params.toString().slice(1);
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

// Listeners rather than an async iterator: a response is one or two chunks, and the iterator's promises and ticks cost
// more than reading them (about 3 % of the controller's CPU in a 1,000-write fan-out's profile).
function readBody(res: IncomingMessage, target: RequestTarget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => {
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    res.once('error', (err) => {
      settled = true;
      reject(
        err instanceof KubeApiError ? err : new KubeApiError(target, 0, 'NetworkError', err.message, { cause: err }),
      );
    });
    // Closed before its end without an error. Every response closes, so the error (and the stack trace it captures,
    // a few microseconds each under --no-opt) is built only when nothing settled the read first.
    res.once('close', () => {
      if (!settled) reject(new KubeApiError(target, 0, 'NetworkError', 'connection closed before the response ended'));
    });
  });
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
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
