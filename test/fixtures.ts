/** Builders for test fixtures, so tests read like the scenario they describe. */
import type { KubeObject, NamespaceInfo, World } from '../core/index.ts';

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string>; uid?: string };

/** Builds a Secret; `data` values are plain strings, encoded to base64 here. */
export function secret(
  ns: string,
  name: string,
  data: Record<string, string> = {},
  meta: Meta = {},
  type?: string,
): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns, ...meta },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
  if (type !== undefined) obj.type = type;
  return obj;
}

/** Builds a ConfigMap. */
export function configMap(ns: string, name: string, data: Record<string, string> = {}, meta: Meta = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...meta }, data };
}

/** Builds a namespace with labels. */
export function namespace(name: string, labels: Record<string, string> = {}): NamespaceInfo {
  return { name, labels };
}

/** Builds a world from namespace names (or infos) and objects. */
export function world(namespaces: (string | NamespaceInfo)[], objects: KubeObject[]): World {
  return { namespaces: namespaces.map((n) => (typeof n === 'string' ? namespace(n) : n)), objects };
}

/** Annotations of a native source pushing to the given targets. */
export function pushTo(to: string, extra: Record<string, string> = {}): Meta {
  return { annotations: { 'kube-reflect.io/to': to, ...extra } };
}
