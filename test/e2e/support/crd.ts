// CustomResourceDefinitions for e2e tests that mirror or sync custom resources.
import type { KubeClient } from '../../../kube/client.ts';
import type { ResourceType } from '../../../kube/resource-type.ts';
import { eventually } from './eventually.ts';

/** CustomResourceDefinitions (apiextensions.k8s.io/v1). */
export const CRDS: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

/** Installs a namespaced, schemaless v1 CRD and waits until its resource is served; returns its resource type. */
export async function installCrd(
  client: KubeClient,
  crd: { group: string; plural: string; singular: string; kind: string },
): Promise<ResourceType> {
  const { group, plural, singular, kind } = crd;
  await client.apply(
    CRDS,
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural, singular, kind },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    },
    { fieldManager: 'e2e', force: true },
  );
  const type: ResourceType = { group, version: 'v1', resource: plural, kind, namespaced: true };
  await eventually(
    `the CRD ${plural}.${group} served`,
    () =>
      client.list(type, { namespace: 'default' }).then(
        () => true,
        () => false,
      ),
    30_000,
    100,
  );
  return type;
}
