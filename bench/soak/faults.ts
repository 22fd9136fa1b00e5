// The faults the soak injects, each with a way to heal it: restarts of the apiserver and etcd, a half-open network, added
// latency, a 429 storm through API Priority and Fairness, and a SIGKILLed leader.
import type { KubeClient } from '../../kube/client.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import type { ControlPlane } from '../../test/cluster/harness.ts';
import type { FaultProxy } from '../../test/e2e/support/fault-proxy.ts';

/** The names of the faults, in the order a soak cycles through them. */
export const FAULTS = ['apiserver-restart', 'etcd-restart', 'half-open', 'latency', 'apf-429', 'leader-kill'] as const;
/** One fault's name. */
export type FaultName = (typeof FAULTS)[number];

/** What the faults act on. */
export interface FaultTargets {
  cp: ControlPlane;
  admin: KubeClient;
  proxy: FaultProxy;
  /** The user the controllers authenticate as (APF classifies by it). */
  controllerUser: string;
  /** SIGKILLs the current leader and starts a replacement replica; resolves when the replacement runs. */
  killLeader(): Promise<void>;
}

const FLOW_SCHEMAS: ResourceType = {
  group: 'flowcontrol.apiserver.k8s.io',
  version: 'v1',
  resource: 'flowschemas',
  kind: 'FlowSchema',
  namespaced: false,
};
const PRIORITY_LEVELS: ResourceType = {
  group: 'flowcontrol.apiserver.k8s.io',
  version: 'v1',
  resource: 'prioritylevelconfigurations',
  kind: 'PriorityLevelConfiguration',
  namespaced: false,
};

/** Injects a fault; resolves with a function that heals it (a no-op for faults that heal themselves). */
export async function inject(fault: FaultName, t: FaultTargets): Promise<() => Promise<void>> {
  const nothing = async () => {};
  switch (fault) {
    case 'apiserver-restart':
      await t.cp.restartApiserver();
      return nothing;
    case 'etcd-restart':
      await t.cp.restartEtcd();
      return nothing;
    case 'half-open':
      t.proxy.set({ kind: 'half-open' });
      return async () => t.proxy.set({ kind: 'pass' });
    case 'latency':
      t.proxy.set({ kind: 'latency', ms: 500 });
      return async () => t.proxy.set({ kind: 'pass' });
    case 'apf-429': {
      // One seat, no queue, reject: the controller's parallel requests meet 429s with Retry-After.
      await t.admin.create(PRIORITY_LEVELS, {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'PriorityLevelConfiguration',
        metadata: { name: 'soak-starved' },
        spec: {
          type: 'Limited',
          limited: { nominalConcurrencyShares: 1, lendablePercent: 0, limitResponse: { type: 'Reject' } },
        },
      });
      await t.admin.create(FLOW_SCHEMAS, {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: 'soak-starved' },
        spec: {
          priorityLevelConfiguration: { name: 'soak-starved' },
          matchingPrecedence: 100,
          distinguisherMethod: { type: 'ByUser' },
          rules: [
            {
              subjects: [{ kind: 'User', user: { name: t.controllerUser } }],
              resourceRules: [
                { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true },
              ],
              nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            },
          ],
        },
      });
      return async () => {
        await t.admin.delete(FLOW_SCHEMAS, undefined, 'soak-starved');
        await t.admin.delete(PRIORITY_LEVELS, undefined, 'soak-starved');
      };
    }
    case 'leader-kill':
      await t.killLeader();
      return nothing;
  }
}
