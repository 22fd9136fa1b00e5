// The verbs of the Kubernetes API over kube/transport.ts: typed get, paginated list, create, server-side apply,
// update, patches, conditional delete and watch, each mapped to its path, query and media type.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { LoadedKubeConfig } from './config.ts';
import type { RequestTarget } from './errors.ts';
import { ACCEPT_METADATA, ACCEPT_METADATA_LIST } from './media-types.ts';
import { apiVersionOf, resourceLabel, resourcePath } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';
import { Transport } from './transport.ts';
import type { RequestOptions, StreamRequest, TransportOptions } from './transport.ts';
import { watchOnce } from './watch.ts';
import type { WatchEvent, WatchOptions } from './watch.ts';

export type { RequestEvent, RequestOptions, StreamRequest } from './transport.ts';

/** Options for KubeClient: those of its transport. */
export type KubeClientOptions = TransportOptions;

/** Options for list; T is the type of the items as they arrive and as they are kept. */
export interface ListOptions<T = unknown> extends RequestOptions {
  /** Namespace to list in; omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (default 500, like client-go). */
  limit?: number;
  /** Ask for PartialObjectMetadata only, so Secret payloads never reach us. */
  metadataOnly?: boolean;
  /** Maps each item as its page arrives, so a large list never holds every full item at once. */
  transform?: (item: T) => T;
  /** Called after each page: the items read so far, and how many the server says remain (when it says). */
  onPage?: (progress: ListProgress) => void;
}

/** How far a paginated list has got. */
export interface ListProgress {
  read: number;
  /** The server's remainingItemCount: undefined when it does not know (a selector, or the last page). */
  remaining?: number;
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

export { ACCEPT_METADATA, ACCEPT_METADATA_LIST } from './media-types.ts';

type KubeObjectLike = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };

/** The typed client: get, list (paginated), create, apply (SSA), delete (with preconditions) and watch. */
export class KubeClient {
  /** The configuration this client talks through. */
  readonly config: LoadedKubeConfig;
  private readonly transport: Transport;

  /** Creates a client; no request is made until the first call. */
  constructor(config: LoadedKubeConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.transport = new Transport(config, options);
  }

  /** Reads one object. */
  async get<T = unknown>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: RequestOptions & { metadataOnly?: boolean } = {},
  ): Promise<T> {
    return (await this.transport.request({
      target: { verb: 'get', resource: resourceLabel(type), ...(namespace ? { namespace } : {}), name },
      method: 'GET',
      path: resourcePath(type, namespace, name),
      headers: { accept: options.metadataOnly ? ACCEPT_METADATA : 'application/json' },
      ...signalOf(options),
    })) as T;
  }

  /** Lists every page of a collection and returns all items with the list's resourceVersion. */
  async list<T = unknown>(type: ResourceType, options: ListOptions<T> = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    const target: RequestTarget = {
      verb: 'list',
      resource: resourceLabel(type),
      ...(options.namespace ? { namespace: options.namespace } : {}),
    };
    do {
      const page = (await this.transport.request({
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
      })) as {
        items?: T[] | null;
        metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
      };
      // Items of a list carry no apiVersion/kind on the wire; fill them in so every object is self-describing.
      const apiVersion = options.metadataOnly ? 'meta.k8s.io/v1' : apiVersionOf(type);
      const kind = options.metadataOnly ? 'PartialObjectMetadata' : type.kind;
      for (const item of page.items ?? []) {
        const o = item as KubeObjectLike;
        o.apiVersion ??= apiVersion;
        o.kind ??= kind;
        items.push(options.transform ? options.transform(item) : item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
      const remaining = cont === undefined ? 0 : page.metadata?.remainingItemCount;
      options.onPage?.({ read: items.length, ...(remaining === undefined ? {} : { remaining }) });
    } while (cont);
    return { items, resourceVersion };
  }

  /** Creates an object (POST); fails with 409 AlreadyExists if it exists. */
  async create<T = unknown>(type: ResourceType, obj: object, options: CreateOptions = {}): Promise<T> {
    const meta = (obj as KubeObjectLike).metadata ?? {};
    const namespace = meta.namespace;
    return (await this.transport.request({
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
    return (await this.transport.request({
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
    return (await this.transport.request({
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
    return (await this.transport.request({
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
    return (await this.transport.request({
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
    return (await this.transport.request({
      target: { verb: 'get', resource: path },
      method: 'GET',
      path,
      headers: { accept: 'application/json', ...options.headers },
      ...signalOf(options),
    })) as T;
  }

  /** Watches until the server ends the stream normally (resolves with the event count) or it fails. */
  watch<T>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<number> {
    return watchOnce(this, type, options, onEvent);
  }

  /** Opens a streaming GET (a watch) and resolves with the response once a 2xx status arrives; the caller reads and destroys it. */
  stream(req: StreamRequest): Promise<IncomingMessage> {
    return this.transport.stream(req);
  }

  /** Closes idle keep-alive sockets; in-flight requests are not affected. */
  close(): void {
    this.transport.close();
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
