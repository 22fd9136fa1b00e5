// Seeding the in-memory cluster with a scenario's world, as a user would create it: the unit-tier runners of every
// surface that talks to a cluster (the controller, kubectl reflect) start from this.
import { MemoryCluster } from '../../kube/test-support/memory-cluster.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import type { Scenario } from './catalogue.ts';

/** Returns a memory cluster holding the scenario's namespaces and objects (server fields stripped), made by "user". */
export async function seedCluster(scenario: Scenario, types: readonly ResourceType[]): Promise<MemoryCluster> {
  const cluster = new MemoryCluster();
  for (const ns of scenario.namespaces)
    await cluster.create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name, labels: ns.labels },
    });
  for (const obj of scenario.objects) {
    const body = structuredClone(obj);
    delete body.metadata.uid;
    delete body.metadata.resourceVersion;
    const type = types.find((t) => t.kind === obj.kind);
    if (type === undefined) throw new Error(`${scenario.file}: no resource type for ${obj.kind}`);
    await cluster.create(type, body, { fieldManager: 'user' });
  }
  return cluster;
}
