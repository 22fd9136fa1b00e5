/**
 * The world a package describes: its objects (namespaced ones without a namespace are in the config's default
 * namespace) and its target namespaces (the package's Namespace objects plus those the function config names).
 */
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';
import { DIALECT_PREFIXES, groupKindOf, groupOf, identityOf } from '../core/index.ts';
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

/** The world of a package, and where each planned identity sits among the items. */
export interface PackageWorld {
  world: World;
  /** The object each item stands for in the world (namespace defaulted), or undefined when it takes no part. */
  objects: (KubeObject | undefined)[];
  /** Item indexes by identity ("Kind.group/namespace/name"). */
  byIdentity: Map<string, number[]>;
}

/** Builds the world the planner sees from a package's items and the function config. */
export function packageWorld(items: readonly Item[], config: FunctionConfig): PackageWorld {
  const namespaces = new Map<string, NamespaceInfo>();
  const objects: (KubeObject | undefined)[] = [];
  const byIdentity = new Map<string, number[]>();
  for (const [i, item] of items.entries()) {
    const obj = objectOf(bystanderValue(item) ?? item.value, config.defaultNamespace);
    objects.push(obj);
    if (obj === undefined) continue;
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      namespaces.set(obj.metadata.name, { name: obj.metadata.name, labels: obj.metadata.labels ?? {} });
    }
    const id = identityOf(obj);
    const list = byIdentity.get(id);
    if (list === undefined) byIdentity.set(id, [i]);
    else list.push(i);
  }
  for (const entry of config.namespaces) {
    const labels = { ...namespaces.get(entry.name)?.labels, ...entry.labels };
    namespaces.set(entry.name, { name: entry.name, labels });
  }
  const sorted = [...namespaces.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    world: { namespaces: sorted, objects: objects.filter((o): o is KubeObject => o !== undefined) },
    objects,
    byIdentity,
  };
}

/**
 * Returns the identity-only value of an item that can only be a bystander to the planner (no annotation or label of
 * any dialect, not a Namespace, not config), read from its text without parsing it; undefined otherwise.
 */
function bystanderValue(item: Item): unknown {
  if (item.kind !== 'text') return undefined;
  const text = item.text;
  if (DIALECT_PREFIXES.some((p) => text.includes(p))) return undefined;
  const meta = itemMetaOf(item);
  if (meta === undefined || meta.kind === 'Namespace' || meta.annotations[LOCAL_CONFIG] !== undefined) return undefined;
  const metadata = { name: meta.name, ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }) };
  return { apiVersion: meta.apiVersion, kind: meta.kind, metadata };
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
