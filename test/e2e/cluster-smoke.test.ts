// Smoke test of the real test control plane: CRUD, watch, namespace deletion, GC, RBAC, ServiceAccount tokens, audit.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthenticationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  Watch,
  type V1Secret,
} from '@kubernetes/client-node';
import { testNamespace, useTestControlPlane, type ControlPlane } from '../cluster/harness.ts';
import { eventually } from './support/eventually.ts';

function client(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

/** The HTTP status of a failed client-node call (0 if it succeeded). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

describe('test control plane', () => {
  let cp: ControlPlane;
  let core: CoreV1Api;

  before(async () => {
    cp = await useTestControlPlane();
    core = client(cp.kubeconfigPath).makeApiClient(CoreV1Api);
  });

  it('creates a Secret and delivers its change through a real watch', async (t) => {
    const namespace = await testNamespace(t);
    const created = await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 's1' }, stringData: { k: 'v1' } },
    });
    const seen: Array<{ type: string; value: string | undefined }> = [];
    const modified = new Promise<void>((resolve, reject) => {
      void new Watch(client(cp.kubeconfigPath))
        .watch(
          `/api/v1/namespaces/${namespace}/secrets`,
          { fieldSelector: 'metadata.name=s1', resourceVersion: created.metadata?.resourceVersion },
          (type, obj: V1Secret) => {
            const value = obj.data?.k === undefined ? undefined : Buffer.from(obj.data.k, 'base64').toString();
            seen.push({ type, value });
            if (type === 'MODIFIED' && value === 'v2') resolve();
          },
          (err: unknown) => (err ? reject(err as Error) : undefined),
        )
        .then((ctl) => t.after(() => ctl.abort()), reject);
    });
    await sleep(200); // let the watch connect; the resourceVersion makes the change visible either way
    await core.replaceNamespacedSecret({
      namespace,
      name: 's1',
      body: { metadata: { name: 's1', namespace }, stringData: { k: 'v2' } },
    });
    await modified;
    assert.deepEqual(seen.at(-1), { type: 'MODIFIED', value: 'v2' });
  });

  it('really removes a deleted namespace (namespace controller)', async () => {
    const name = `smoke-ns-${process.pid}`;
    await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: 'c' }, data: { a: 'b' } } });
    await core.deleteNamespace({ name });
    await eventually(
      `namespace ${name} to disappear`,
      async () => (await statusOf(core.readNamespace({ name }))) === 404,
    );
  });

  it('garbage-collects an object whose owner is deleted', async (t) => {
    const namespace = await testNamespace(t);
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'owner' } } });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: {
          name: 'dependent',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ namespace, name: 'owner' });
    await eventually('the dependent Secret to be collected', async () => {
      return (await statusOf(core.readNamespacedSecret({ namespace, name: 'dependent' }))) === 404;
    });
  });

  it('denies a restricted user until a Role grants access, and only where it does', async (t) => {
    const namespace = await testNamespace(t);
    const other = await testNamespace(t);
    const alice = client(cp.userKubeconfig('alice', ['smoke-readers'])).makeApiClient(CoreV1Api);
    assert.equal(await statusOf(alice.listNamespacedSecret({ namespace })), 403);

    const rbac = client(cp.kubeconfigPath).makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'secret-reader' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'secret-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'smoke-readers' }],
      },
    });
    await eventually(
      'the RoleBinding to take effect',
      async () => (await statusOf(alice.listNamespacedSecret({ namespace }))) === 0,
    );
    assert.equal(await statusOf(alice.listNamespacedSecret({ namespace: other })), 403);
    assert.equal(
      await statusOf(alice.createNamespacedSecret({ namespace, body: { metadata: { name: 'nope' } } })),
      403,
    );
  });

  it('authenticates a ServiceAccount by a TokenRequest token', async (t) => {
    const namespace = await testNamespace(t);
    const kc = client(await cp.serviceAccountKubeconfig(namespace, 'robot'));
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    assert.equal(review.status?.userInfo?.username, `system:serviceaccount:${namespace}:robot`);
    assert.equal(await statusOf(kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace })), 403);
  });

  it('counts requests per user and verb in the audit log', async (t) => {
    // The e2e tier and a by-hand run both start the control plane with --audit.
    assert.ok(cp.state().auditLog, 'the test control plane runs with --audit');
    const since = new Date(Date.now() - 1000);
    const namespace = await testNamespace(t);
    const bob = client(cp.userKubeconfig('bob')).makeApiClient(CoreV1Api);
    for (let i = 0; i < 3; i++) await statusOf(bob.listNamespacedConfigMap({ namespace }));
    await eventually('audit events for bob', async () => {
      const list = cp.auditCounts({ since, user: 'bob' }).find((c) => c.verb === 'list');
      return list?.count === 3;
    });
  });

  it('keeps its data across an apiserver restart', async (t) => {
    const namespace = await testNamespace(t);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'keep' }, data: { x: '1' } } });
    await cp.restartApiserver();
    const cm = await core.readNamespacedConfigMap({ namespace, name: 'keep' });
    assert.equal(cm.data?.x, '1');
  });
});
