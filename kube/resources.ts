// Turning user-given kind names (--kinds) into ResourceTypes through API discovery, as kubectl does.
import { isNotFound } from './errors.ts';
import { BUILTIN_RESOURCE_TYPES, resourceLabel } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';

/** What resolveResourceTypes needs from a client: raw GETs of discovery paths (KubeClient satisfies it). */
export interface DiscoveryClient {
  getPath<T = unknown>(path: string): Promise<T>;
}

/** Raised for a kind name that does not resolve to exactly one namespaced resource. */
export class ResourceResolutionError extends Error {
  override name = 'ResourceResolutionError';
}

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  verbs?: string[];
}

interface ApiGroup {
  name: string;
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion?: { groupVersion: string; version: string };
}

/** One way to read a name: "secrets", "ingresses.networking.k8s.io", "widgets.v1.example.com", "Secret.v1". */
export interface ParsedResourceName {
  name: string;
  /** undefined: any group (kubectl's search order, core first). */
  group: string | undefined;
  /** undefined: the group's preferred version. */
  version: string | undefined;
}

const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;

/** Returns the readings of a name, most specific first (a group, or a version then a group). */
export function parseResourceName(input: string): ParsedResourceName[] {
  const dot = input.indexOf('.');
  if (dot < 0) return [{ name: input, group: undefined, version: undefined }];
  const name = input.slice(0, dot);
  const rest = input.slice(dot + 1);
  const out: ParsedResourceName[] = [];
  const seg = rest.split('.')[0] ?? '';
  if (VERSION.test(seg)) out.push({ name, version: seg, group: rest.slice(seg.length + 1) });
  out.push({ name, group: rest, version: undefined });
  return out;
}

/** Resolves kind names to namespaced ResourceTypes via discovery; rejecting unknown and cluster-scoped kinds. */
export async function resolveResourceTypes(client: DiscoveryClient, names: readonly string[]): Promise<ResourceType[]> {
  const discovery = new DiscoveryCache(client);
  const out: ResourceType[] = [];
  for (const raw of names) {
    const input = raw.trim();
    if (input === '') continue;
    if (input.includes('/')) throw new ResourceResolutionError(`kind "${input}": subresources cannot be mirrored`);
    const type = builtin(input) ?? (await resolveOne(discovery, input));
    if (!type.namespaced) {
      throw new ResourceResolutionError(
        `kind "${input}" (${resourceLabel(type)}, ${type.kind}) is cluster-scoped; only namespaced kinds can be mirrored`,
      );
    }
    if (!out.some((t) => t.group === type.group && t.resource === type.resource)) out.push(type);
  }
  return out;
}

/** The verbs a kind needs to be mirrored: read and watch sources, write and delete mirrors. */
const MIRROR_VERBS = ['get', 'list', 'watch', 'create', 'patch', 'delete'];

/** What discovery found: the types, and the groups whose resource list could not be read (an aggregated API down). */
export interface DiscoveredTypes {
  types: ResourceType[];
  unavailableGroups: string[];
}

/**
 * Lists every namespaced resource the cluster serves with the verbs mirroring needs, in each group's preferred version
 * (no subresources), for `--kinds auto`. Which of them may be mirrored is the core's decision (kindDenialOf). A group
 * whose list fails is reported, not fatal: one broken aggregated API must not stop the others being mirrored.
 */
export async function discoverNamespacedTypes(client: DiscoveryClient): Promise<DiscoveredTypes> {
  const discovery = new DiscoveryCache(client);
  const out: ResourceType[] = [];
  const unavailableGroups: string[] = [];
  for (const group of await discovery.allGroupNames()) {
    const version = await discovery.preferredVersion(group);
    if (!version) continue;
    let resources: ApiResource[];
    try {
      resources = await discovery.resources(group, version);
    } catch {
      unavailableGroups.push(group);
      continue;
    }
    for (const r of resources) {
      if (r.name.includes('/') || !r.namespaced) continue;
      if (!MIRROR_VERBS.every((v) => (r.verbs ?? []).includes(v))) continue;
      if (out.some((t) => t.group === group && t.resource === r.name)) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: true });
    }
  }
  return { types: out, unavailableGroups };
}

function builtin(input: string): ResourceType | undefined {
  const lower = input.toLowerCase();
  return BUILTIN_RESOURCE_TYPES.find((t) => {
    if (lower === resourceLabel(t) || lower === `${t.resource}.${t.version}.${t.group}`.replace(/\.$/, '')) return true;
    // The core group's short forms ("secret", "Secret", "Secret.v1"); other groups go through discovery.
    return t.group === '' && (lower === t.kind.toLowerCase() || lower === `${t.kind.toLowerCase()}.${t.version}`);
  });
}

async function resolveOne(discovery: DiscoveryCache, input: string): Promise<ResourceType> {
  for (const parsed of parseResourceName(input)) {
    const groups = parsed.group === undefined ? await discovery.allGroupNames() : [parsed.group];
    for (const group of groups) {
      const version = parsed.version ?? (await discovery.preferredVersion(group));
      if (!version) continue;
      const resources = await discovery.resources(group, version);
      const lower = parsed.name.toLowerCase();
      const hit = resources.find(
        (r) =>
          !r.name.includes('/') &&
          (r.name === lower ||
            r.singularName === lower ||
            r.kind.toLowerCase() === lower ||
            (r.shortNames ?? []).includes(lower)),
      );
      if (hit) return { group, version, resource: hit.name, kind: hit.kind, namespaced: hit.namespaced };
    }
  }
  throw new ResourceResolutionError(
    `kind "${input}" is not served by this cluster (use resource.group, resource.version.group or Kind.version.group)`,
  );
}

// Memoises discovery documents for one resolution, so N kinds cost at most one fetch per group version.
class DiscoveryCache {
  private groups: Promise<ApiGroup[]> | undefined;
  private readonly lists = new Map<string, Promise<ApiResource[]>>();

  constructor(private readonly client: DiscoveryClient) {}

  async allGroupNames(): Promise<string[]> {
    // Core first, then groups in server order: the same priority kubectl gives "events" or "ingresses".
    return ['', ...(await this.apiGroups()).map((g) => g.name)];
  }

  async preferredVersion(group: string): Promise<string | undefined> {
    if (group === '') return 'v1';
    const g = (await this.apiGroups()).find((x) => x.name === group);
    return g?.preferredVersion?.version ?? g?.versions[0]?.version;
  }

  resources(group: string, version: string): Promise<ApiResource[]> {
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    let p = this.lists.get(path);
    if (!p) {
      p = this.client.getPath<{ resources?: ApiResource[] }>(path).then(
        (l) => l.resources ?? [],
        (err: unknown) => {
          if (isNotFound(err)) return [];
          throw err;
        },
      );
      this.lists.set(path, p);
    }
    return p;
  }

  private apiGroups(): Promise<ApiGroup[]> {
    this.groups ??= this.client.getPath<{ groups?: ApiGroup[] }>('/apis').then((l) => l.groups ?? []);
    return this.groups;
  }
}
