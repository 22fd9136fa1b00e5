// Which of the kinds asked for with --kinds the controller may run with at all.
import { DENIED_KINDS } from '../core/index.ts';
import type { ResourceType } from '../kube/resource-type.ts';

/**
 * Kinds whose objects grant access: a tenant's RoleBinding mirrored into every namespace hands the tenant every
 * namespace (issue: Trust, break 2). Until the core exports its own list, every kind of the RBAC group counts.
 */
function grantsAccess(type: ResourceType): boolean {
  return type.group === 'rbac.authorization.k8s.io';
}

/** The group-kind spelling the core's lists use ("Kind" or "Kind.group"). */
function groupKind(type: ResourceType): string {
  return type.group === '' ? type.kind : `${type.kind}.${type.group}`;
}

/**
 * Returns why the controller must not start with these kinds, or undefined. Denied kinds are never mirrored;
 * access-granting kinds are refused unless an administrator names the namespaces they may be mirrored from.
 */
export function kindsProblem(
  types: readonly ResourceType[],
  accessKindSourceNamespaces: readonly string[] | undefined,
): string | undefined {
  for (const t of types) {
    const gk = groupKind(t);
    if (DENIED_KINDS.has(gk)) return `--kinds: ${gk} is never mirrored (see docs/annotations.md)`;
    if (!grantsAccess(t)) continue;
    if (accessKindSourceNamespaces === undefined)
      return `--kinds: ${gk} grants access; mirroring it needs --access-kind-source-namespaces (see docs/security.md)`;
    // The core cannot yet limit these kinds to the named namespaces; refusing is the only safe answer until it can.
    return `--kinds: ${gk} grants access and this version cannot yet limit it to --access-kind-source-namespaces`;
  }
  return undefined;
}
