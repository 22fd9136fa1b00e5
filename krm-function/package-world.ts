/**
 * The world a package describes: its objects (namespaced ones without a namespace are in the config's default
 * namespace) and its target namespaces (the package's Namespace objects plus those the function config names).
 */
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import {
  DIALECT_PREFIXES,
  groupKindOf,
  groupOf,
  identityOf,
  Interner,
  isDnsLabel,
  isDnsSubdomain,
} from '../core/index.ts';
import type { FunctionConfig } from './function-config.ts';
import { CONFIG_GROUP } from './function-config.ts';
import { itemMetaOf } from './item-meta.ts';
import { LOCAL_CONFIG } from './kpt-annotations.ts';
import type { Item } from './krm-types.ts';

/** Kinds ("Kind" or "Kind.group") known to be cluster-scoped; so are kinds whose name starts with "Cluster". */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'CustomResourceDefinition.apiextensions.k8s.io',
  'APIService.apiregistration.k8s.io',
  'StorageClass.storage.k8s.io',
  'CSIDriver.storage.k8s.io',
  'CSINode.storage.k8s.io',
  'VolumeAttachment.storage.k8s.io',
  'PriorityClass.scheduling.k8s.io',
  'RuntimeClass.node.k8s.io',
  'IngressClass.networking.k8s.io',
  'MutatingWebhookConfiguration.admissionregistration.k8s.io',
  'ValidatingWebhookConfiguration.admissionregistration.k8s.io',
  'ValidatingAdmissionPolicy.admissionregistration.k8s.io',
  'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io',
  'CertificateSigningRequest.certificates.k8s.io',
  'FlowSchema.flowcontrol.apiserver.k8s.io',
  'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io',
  'Kptfile.kpt.dev',
]);

/** The world of a package, and what each item stands for in it. */
export interface PackageWorld {
  world: World;
  /** The identity ("Kind.group/namespace/name") of each item's object, or undefined when it takes no part. */
  ids: (string | undefined)[];
  /** Items that cannot take part, and why: each becomes an error result naming the item. */
  problems: ItemProblem[];
}

/** An item reflect-fn cannot read as an object, and what is wrong with it. */
export interface ItemProblem {
  index: number;
  message: string;
  /** The annotation at fault, when there is one. */
  annotation?: string;
}

/** Builds the world the planner sees from a package's items and the function config. */
export function packageWorld(items: readonly Item[], config: FunctionConfig): PackageWorld {
  const namespaces = new Map<string, NamespaceInfo>();
  const ids: (string | undefined)[] = [];
  const planned: KubeObject[] = [];
  const bystanders = new Map<string, KubeObject>();
  const others = new Set<string>(); // identities of the objects planned as objects
  let firstOf: Map<string, number> | undefined; // identity -> the item the planner sees for it, once needed
  const problems: ItemProblem[] = [];
  const checks = new NameChecks();
  const strings = new Interner<string>((s) => s);
  // Under allowAll a k8s-replicator or mittwald pull may copy any object, so no item is only a bystander.
  const readBystanders = config.allowAll !== true;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const bystander = readBystanders ? bystanderValue(item, strings) : undefined;
    const value = bystander ?? item.value;
    const problem = problemOf(value, checks);
    if (problem !== undefined) problems.push({ index: i, ...problem });
    let obj =
      problem !== undefined
        ? undefined
        : bystander !== undefined
          ? bystanderObject(bystander, config.defaultNamespace)
          : objectOf(value, config.defaultNamespace);
    let id = obj === undefined ? undefined : identityOf(obj);
    if (id !== undefined && (bystanders.has(id) || others.has(id))) {
      // The planner must see one object per identity; the first is the one it sees, every other is an error.
      // Duplicates are rare: the index of first items is made at the first one, not kept for every item.
      firstOf ??= firstItems(ids);
      const first = items[firstOf.get(id)!]!;
      problems.push({ index: i, message: `it has the same kind, namespace and name as ${whereOf(first)}` });
      obj = undefined;
      id = undefined;
    }
    ids.push(id);
    if (obj === undefined || id === undefined) continue;
    firstOf?.set(id, i);
    // A bystander is only looked up by identity: the planner reads nothing else of it.
    if (bystander !== undefined) bystanders.set(id, obj);
    else {
      others.add(id);
      planned.push(obj);
    }
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      namespaces.set(obj.metadata.name, { name: obj.metadata.name, labels: obj.metadata.labels ?? {} });
    }
  }
  for (const entry of config.namespaces) {
    const labels = { ...namespaces.get(entry.name)?.labels, ...entry.labels };
    namespaces.set(entry.name, { name: entry.name, labels });
  }
  const sorted = [...namespaces.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { world: { namespaces: sorted, objects: planned, bystanders }, ids, problems };
}

// Kinds are CamelCase identifiers (a CRD's kind must be a DNS-1035 label once lower-cased); API groups are DNS
// subdomains and versions DNS-1035 labels. Nothing else can reach a file path or the planner.
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const VERSION = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Returns what keeps an item from being an object reflect-fn can plan for, or undefined when nothing does: its
 * apiVersion, kind, name and namespace must be valid Kubernetes names (so no file path built from them can leave
 * the package), and its labels and annotations maps of strings.
 */
function problemOf(value: unknown, checks: NameChecks): { message: string; annotation?: string } | undefined {
  if (!isRecord(value)) return { message: 'it is not an object' };
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { message: 'it has no apiVersion or kind' };
  const kindProblem = checks.kindProblem(apiVersion, kind);
  if (kindProblem !== undefined) return kindProblem;
  if (!isRecord(metadata)) return { message: 'it has no metadata' };
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name !== 'string' || name === '') return { message: 'it has no metadata.name' };
  if (!isPathSegmentName(name) || (kind === 'Namespace' && !isDnsLabel(name))) {
    return { message: `metadata.name ${JSON.stringify(name)} is not a valid name` };
  }
  if (namespace !== undefined && namespace !== null && namespace !== '') {
    if (typeof namespace !== 'string' || !checks.isNamespaceName(namespace)) {
      return { message: `metadata.namespace ${JSON.stringify(namespace)} is not a valid namespace name` };
    }
  }
  return mapProblem('labels', labels) ?? mapProblem('annotations', annotations);
}

/** The index of the first item of each identity, from the identities read so far (one pass, then kept up to date). */
function firstItems(ids: readonly (string | undefined)[]): Map<string, number> {
  const firstOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id !== undefined && !firstOf.has(id)) firstOf.set(id, i);
  });
  return firstOf;
}

/**
 * The checks of an item's kind and namespace, remembered for one package: its thousands of items have few kinds and
 * namespaces.
 */
class NameChecks {
  private readonly kinds = new Map<string, Map<string, { message: string } | null>>();
  private readonly namespaces = new Map<string, boolean>();

  /** What is wrong with an apiVersion and kind, if anything. */
  kindProblem(apiVersion: string, kind: string): { message: string } | undefined {
    let byKind = this.kinds.get(apiVersion);
    if (byKind === undefined) this.kinds.set(apiVersion, (byKind = new Map()));
    let problem = byKind.get(kind);
    if (problem === undefined) byKind.set(kind, (problem = kindProblemOf(apiVersion, kind) ?? null));
    return problem ?? undefined;
  }

  /** True for a valid namespace name. */
  isNamespaceName(name: string): boolean {
    let valid = this.namespaces.get(name);
    if (valid === undefined) this.namespaces.set(name, (valid = isDnsLabel(name)));
    return valid;
  }
}

function kindProblemOf(apiVersion: string, kind: string): { message: string } | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if ((group !== '' && !isDnsSubdomain(group)) || !VERSION.test(version)) {
    return { message: `apiVersion ${JSON.stringify(apiVersion)} is not a valid API group and version` };
  }
  if (!KIND.test(kind)) return { message: `kind ${JSON.stringify(kind)} is not a valid kind` };
  return undefined;
}

/** What keeps metadata.labels or metadata.annotations from being a map of strings, if anything. */
function mapProblem(
  field: 'labels' | 'annotations',
  map: unknown,
): { message: string; annotation?: string } | undefined {
  if (map === undefined || map === null) return undefined;
  if (!isRecord(map)) return { message: `metadata.${field} is not a map` };
  for (const [k, v] of Object.entries(map)) {
    if (v !== null && typeof v === 'object') {
      const message = `metadata.${field}[${k}] is a ${Array.isArray(v) ? 'list' : 'map'}, not a string`;
      return field === 'annotations' ? { message, annotation: k } : { message };
    }
  }
  return undefined;
}

function whereOf(item: Item): string {
  return item.kind === 'new' ? 'a generated item' : item.where;
}

/** Kubernetes' rule for names that appear in a URL path (what every kind's name must at least be). */
function isPathSegmentName(name: string): boolean {
  return name.length <= 253 && name !== '.' && name !== '..' && !/[/%]/.test(name);
}

/** The identity-only value of a bystander (what `itemMeta` read of it). */
interface Bystander extends KubeObject {
  metadata: { name: string; namespace?: string };
}

/**
 * Returns the identity-only value of an item that can only be a bystander to the planner (no annotation or label of
 * any dialect, not a Namespace, not config), read from its text without parsing it; undefined otherwise.
 */
function bystanderValue(item: Item, strings: Interner<string>): Bystander | undefined {
  // An alias can bring another item's annotations in (`<<: *anchor`): such an item is read in full.
  if (item.kind !== 'text' || item.sharesAnchors) return undefined;
  const text = item.text;
  for (const prefix of DIALECT_PREFIXES) if (text.includes(prefix)) return undefined;
  // An escape in a quoted key (`kube\u002Dreflect.io/to`, `kube-reflect.io\/to`) could spell a prefix the test above
  // cannot see; such an item is read in full.
  if (text.includes('\\') && /\\(?:[xuU/]|\r?\n)/.test(text)) return undefined;
  // Not kept on the item: what a big package's every item would keep alive, the collector would copy, twice.
  const meta = itemMetaOf(item, false);
  if (meta === undefined || meta.kind === 'Namespace') return undefined;
  // Its annotations are read only if its text names the key (with no escape in it, nothing else can spell it).
  if (text.includes(LOCAL_CONFIG) && meta.annotations[LOCAL_CONFIG] !== undefined) return undefined;
  // Thousands of items share a few apiVersions, kinds and namespaces: one string each is kept, not one per item.
  const { name, namespace } = meta;
  const metadata = namespace === undefined ? { name } : { name, namespace: strings.get(namespace) };
  return { apiVersion: strings.get(meta.apiVersion), kind: strings.get(meta.kind), metadata };
}

/** objectOf for a bystander's value, which has no labels or annotations and is the item's own to keep. */
function bystanderObject(value: Bystander, defaultNamespace: string): KubeObject | undefined {
  if (groupOf(value.apiVersion) === CONFIG_GROUP) return undefined;
  const { name, namespace } = value.metadata;
  if (isClusterScoped(value)) {
    if (namespace !== undefined) value.metadata = { name };
  } else if (namespace === undefined || namespace === '') value.metadata = { name, namespace: defaultNamespace };
  return value;
}

/** Returns true for objects that are never deployed: kpt's local config, and our own function config. */
function isLocalConfig(obj: Record<string, unknown>, annotations: Record<string, string>): boolean {
  return annotations[LOCAL_CONFIG] === 'true' || groupOf(String(obj.apiVersion)) === CONFIG_GROUP;
}

/** Returns true when objects of a kind have no namespace. */
export function isClusterScoped(obj: { apiVersion: string; kind: string }): boolean {
  return obj.kind.startsWith('Cluster') || CLUSTER_SCOPED_KINDS.has(groupKindOf(obj));
}

function objectOf(value: unknown, defaultNamespace: string): KubeObject | undefined {
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return undefined;
  const meta = value.metadata;
  if (!isRecord(meta) || typeof meta.name !== 'string' || meta.name === '') return undefined;
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  if (isLocalConfig(value, annotations ?? {})) return undefined;
  const metadata: KubeObject['metadata'] = { ...meta, name: meta.name };
  if (labels !== undefined) metadata.labels = labels;
  if (annotations !== undefined) metadata.annotations = annotations;
  const obj: KubeObject = { ...value, apiVersion: value.apiVersion, kind: value.kind, metadata };
  if (isClusterScoped(obj)) delete metadata.namespace;
  else if (typeof meta.namespace !== 'string' || meta.namespace === '') metadata.namespace = defaultNamespace;
  return obj;
}

// kubectl would reject non-string label and annotation values; the planner reads them as the strings they spell.
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v !== 'object') out[k] = String(v);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
