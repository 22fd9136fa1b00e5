// Administrator policies that narrow what may be mirrored: kinds that grant access, and who may push.
import { DENIED_KINDS, DENIED_SECRET_TYPES } from './kinds.ts';
import type { KubeObject } from './kube-object.ts';
import { groupKindOf } from './kube-object.ts';
import type { PlanOptions } from './plan-types.ts';

/** A kind and its API group ("" for the core group), as discovery and SourceRef name it. */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * Kinds ("Kind" or "Kind.group") that grant access: a copy made by the controller would bypass the API server's
 * escalation checks (a tenant may not bind a role it does not hold, but the controller may). They are mirrored only
 * from the namespaces an administrator names (accessKindSourceNamespaces). Why NetworkPolicy is not here:
 * docs/security.md.
 */
export const ACCESS_KINDS: ReadonlySet<string> = new Set([
  'Role.rbac.authorization.k8s.io',
  'RoleBinding.rbac.authorization.k8s.io',
  'ServiceAccount',
]);

/**
 * Workload kinds that are not denied outright: a copy runs pods in the target namespace, as that namespace's
 * ServiceAccounts and with its Secrets mountable, which the API server would never let the source's author do there.
 * Like access kinds, they are mirrored only from the namespaces an administrator names; unlike them, watching the
 * kind is no error at start-up (KubeMirror users mirror Deployments), each source outside those namespaces is refused.
 */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment.apps', 'StatefulSet.apps', 'DaemonSet.apps']);

/** Returns "Kind" for the core group, "Kind.group" otherwise. */
export function groupKindString(gk: GroupKind): string {
  return gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`;
}

/** Why a kind is never mirrored under the given options: a denied kind, or an access kind nobody may mirror. */
export interface KindDenial {
  reason: 'DeniedKind' | 'AccessKindNotAllowed' | 'DeniedSecretType';
  message: string;
}

/** Returns why a whole kind is never mirrored under the options, or undefined when some source of it may be. */
export function kindDenialOf(
  gk: GroupKind | string,
  options: Pick<PlanOptions, 'accessKindSourceNamespaces'> = {},
): KindDenial | undefined {
  const name = typeof gk === 'string' ? gk : groupKindString(gk);
  if (DENIED_KINDS.has(name)) return { reason: 'DeniedKind', message: `kind ${name} is never mirrored` };
  if (ACCESS_KINDS.has(name) && (options.accessKindSourceNamespaces ?? []).length === 0) {
    return {
      reason: 'AccessKindNotAllowed',
      message: `kind ${name} grants access and is mirrored only from namespaces named by --access-kind-source-namespaces (none are)`,
    };
  }
  return undefined;
}

/**
 * Returns true when no source of the kind may ever be mirrored under the options, so the controller can refuse
 * `--kinds rolebindings` at start-up unless --access-kind-source-namespaces is given.
 */
export function isDeniedGroupKind(
  gk: GroupKind | string,
  options: Pick<PlanOptions, 'accessKindSourceNamespaces'> = {},
): boolean {
  return kindDenialOf(gk, options) !== undefined;
}

/** Returns why a source of an access kind in this namespace may not be mirrored, or undefined when it may. */
export function accessDenialOf(
  groupKind: string,
  namespace: string,
  options: Pick<PlanOptions, 'accessKindSourceNamespaces'>,
): KindDenial | undefined {
  const workload = WORKLOAD_KINDS.has(groupKind);
  if (!ACCESS_KINDS.has(groupKind) && !workload) return undefined;
  const allowed = options.accessKindSourceNamespaces ?? [];
  if (allowed.includes(namespace)) return undefined;
  const what = workload ? 'runs pods as its target namespace' : 'grants access';
  return {
    reason: 'AccessKindNotAllowed',
    message:
      allowed.length === 0
        ? `kind ${groupKind} ${what} and is mirrored only from namespaces named by --access-kind-source-namespaces (none are)`
        : `kind ${groupKind} ${what} and is mirrored only from namespaces ${allowed.join(', ')}`,
  };
}

/** Returns true when a source in this namespace may push under the options (no list: every namespace may). */
export function mayPushFrom(namespace: string, options: Pick<PlanOptions, 'pushSourceNamespaces'>): boolean {
  return options.pushSourceNamespaces === undefined || options.pushSourceNamespaces.includes(namespace);
}

/** Returns true when the namespace is never written under the options. */
export function isExcludedNamespace(namespace: string, options: Pick<PlanOptions, 'excludeNamespaces'>): boolean {
  return options.excludeNamespaces !== undefined && options.excludeNamespaces.includes(namespace);
}

/**
 * Returns why a source may never be mirrored under the options (its kind, its Secret type, or an access kind outside
 * the allowed namespaces), or undefined when it may be.
 */
export function denialOf(
  obj: KubeObject,
  options: Pick<PlanOptions, 'accessKindSourceNamespaces'> = {},
): KindDenial | undefined {
  const gk = groupKindOf(obj);
  if (DENIED_KINDS.has(gk)) return kindDenialOf(gk);
  if (gk === 'Secret') {
    const type = typeof obj.type === 'string' ? obj.type : 'Opaque';
    if (DENIED_SECRET_TYPES.has(type)) {
      return { reason: 'DeniedSecretType', message: `Secrets of type ${type} are never mirrored` };
    }
  }
  return accessDenialOf(gk, obj.metadata.namespace ?? '', options);
}
