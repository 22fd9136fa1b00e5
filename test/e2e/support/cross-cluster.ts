/** Shared set-up of cross-cluster tests and the bench: a CRD with a status subresource, the remote RBAC the docs list. */
import type { KubeObject } from '../../../core/index.ts';
import { KubeClient } from '../../../kube/client.ts';
import { loadKubeConfig } from '../../../kube/config.ts';
import { isNotFound } from '../../../kube/errors.ts';
import type { ResourceType } from '../../../kube/resource-type.ts';
import type { ControlPlane } from '../../cluster/harness.ts';
import { CRDS } from './crd.ts';
import { eventually } from './eventually.ts';

/** The synced test type: a namespaced CRD with spec, status and a status subresource. */
export const DATABASES: ResourceType = {
  group: 'xc.example.com',
  version: 'v1',
  resource: 'databases',
  kind: 'Database',
  namespaced: true,
};

const CLUSTER_ROLES: ResourceType = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
};

const CLUSTER_ROLE_BINDINGS: ResourceType = {
  ...CLUSTER_ROLES,
  resource: 'clusterrolebindings',
  kind: 'ClusterRoleBinding',
};

/** An admin client of a control plane, with a user agent of its own so audit counts can leave it out. */
export function adminOf(cp: ControlPlane): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), { userAgent: 'e2e-test' });
}

/** Installs the Database CRD and waits until it is served. */
export async function installDatabaseCrd(client: KubeClient): Promise<void> {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  await client.apply(
    CRDS,
    {
      metadata: { name: 'databases.xc.example.com' },
      spec: {
        group: 'xc.example.com',
        scope: 'Namespaced',
        names: { plural: 'databases', singular: 'database', kind: 'Database' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
          },
        ],
      },
    },
    { fieldManager: 'e2e-test', force: true },
  );
  await eventually('the Database CRD to be served', async () => {
    try {
      await client.list(DATABASES, { limit: 1 });
      return true;
    } catch {
      return false;
    }
  });
}

/** The rules docs/cross-cluster.md lists for the remote ServiceAccount, and nothing more. */
export const REMOTE_RULES = [
  { apiGroups: ['xc.example.com'], resources: ['databases'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['xc.example.com'], resources: ['databases/status'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['update'] },
];

/** Creates a remote ServiceAccount bound to exactly REMOTE_RULES and returns its token kubeconfig. */
export async function remoteServiceAccount(cp: ControlPlane, client: KubeClient, name: string): Promise<string> {
  await client.apply(
    CLUSTER_ROLES,
    { metadata: { name }, rules: REMOTE_RULES },
    { fieldManager: 'e2e-test', force: true },
  );
  await client.apply(
    CLUSTER_ROLE_BINDINGS,
    {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
    },
    { fieldManager: 'e2e-test', force: true },
  );
  return cp.serviceAccountKubeconfig('default', name);
}

/** A Database object. */
export function database(
  namespace: string,
  name: string,
  spec: unknown,
  annotations: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'xc.example.com/v1', kind: 'Database', metadata: { name, namespace, annotations }, spec };
}

/** Reads one object, or undefined when it does not exist. */
export async function getOrUndefined(
  client: KubeClient,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(type, namespace, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
