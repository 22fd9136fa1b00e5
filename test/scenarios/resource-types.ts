// The kinds the scenario catalogue uses, for every runner that talks to a cluster (in memory or real).
import { CONFIGMAPS, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';

/** NetworkPolicies, the generic kind the scenarios use. */
export const NETWORK_POLICIES: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
};

/** Deployments, the generic kind the transform scenarios rewrite with array indexes (and the server defaults). */
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
};

/** The kinds scenarios use. */
export const SCENARIO_TYPES: readonly ResourceType[] = [SECRETS, CONFIGMAPS, NETWORK_POLICIES, DEPLOYMENTS];
