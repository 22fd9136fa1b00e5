// Which of the kinds asked for with --kinds the controller may run with at all.
import { groupKindString, kindDenialOf } from '../core/index.ts';
import type { ResourceType } from '../kube/resource-type.ts';

/**
 * Returns why the controller must not start with these kinds, or undefined. The core decides: denied kinds are never
 * mirrored, and access-granting kinds (RoleBindings, Roles, ServiceAccounts) only with --access-kind-source-namespaces,
 * so `--kinds rolebindings` alone fails at start-up instead of quietly mirroring nothing.
 */
export function kindsProblem(
  types: readonly ResourceType[],
  accessKindSourceNamespaces: readonly string[] | undefined,
): string | undefined {
  for (const t of types) {
    const denial = kindDenialOf(t, accessKindSourceNamespaces ? { accessKindSourceNamespaces } : {});
    if (denial !== undefined) return `--kinds: ${groupKindString(t)}: ${denial.message} (see docs/security.md)`;
  }
  return undefined;
}

/**
 * The kinds `--kinds auto` mirrors out of those discovered: every one the core does not refuse under the options
 * (denied kinds such as Pods, Events, Leases and Jobs; access-granting kinds unless --access-kind-source-namespaces).
 */
export function autoKinds(
  discovered: readonly ResourceType[],
  accessKindSourceNamespaces: readonly string[] | undefined,
): ResourceType[] {
  const options = accessKindSourceNamespaces ? { accessKindSourceNamespaces } : {};
  return discovered.filter((t) => kindDenialOf(t, options) === undefined);
}
