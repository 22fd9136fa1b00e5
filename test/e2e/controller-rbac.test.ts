// The controller with exactly the chart's RBAC on a real API server: the scenario catalogue in cluster mode, and
// namespaced mode never touching a namespace outside its list (proved from the audit log).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderObjects } from '../../charts/kube-reflect/render.ts';
import type { RenderedObject } from '../../charts/kube-reflect/render.ts';
import type { KubeObject } from '../../core/index.ts';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { isNotFound } from '../../kube/errors.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { loadScenarios } from '../scenarios/catalogue.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import {
  adminClient,
  ensureNamespaces,
  runScenarioThroughController,
  SCENARIO_TYPES,
  startController,
} from './support/controller-harness.ts';

const rbac = (resource: string, namespaced: boolean): ResourceType => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
  kind: '',
  namespaced,
});
const TYPES: Record<string, ResourceType> = {
  ServiceAccount: { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  ClusterRole: rbac('clusterroles', false),
  ClusterRoleBinding: rbac('clusterrolebindings', false),
  Role: rbac('roles', true),
  RoleBinding: rbac('rolebindings', true),
};

/** Applies the chart's ServiceAccount and RBAC objects (nothing else) as admin; returns what it applied. */
async function applyRbac(admin: KubeClient, objs: RenderedObject[]): Promise<RenderedObject[]> {
  const applied = objs.filter((o) => TYPES[o.kind] !== undefined);
  for (const o of applied) {
    const type = { ...(TYPES[o.kind] as ResourceType), kind: o.kind };
    await admin.apply(type, o, { fieldManager: 'e2e-rbac', force: true });
  }
  return applied;
}

async function deleteRbac(admin: KubeClient, objs: RenderedObject[]): Promise<void> {
  for (const o of objs) {
    const type = { ...(TYPES[o.kind] as ResourceType), kind: o.kind };
    await admin.delete(type, o.metadata.namespace, o.metadata.name).catch(() => undefined);
  }
}

/**
 * The kinds the harness's controller watches (SCENARIO_TYPES), as a user enables them in the chart's values: core kinds
 * by name (`secrets`), any other as `{group, resource}` (the Deployments of the transform scenarios as
 * `{group: apps, resource: deployments}`), so the default RBAC stays Secrets and ConfigMaps.
 */
const KINDS = SCENARIO_TYPES.map((t) => (t.group === '' ? t.resource : { group: t.group, resource: t.resource }));

describe('reflect-controller with exactly the chart RBAC', () => {
  let cp: ControlPlane;
  let admin: KubeClient;
  const id = randomBytes(3).toString('hex');
  const releaseNs = `rbac-${id}-system`;
  const cleanup: RenderedObject[] = [];
  const namespaces: string[] = [releaseNs];

  before(async () => {
    cp = await useTestControlPlane();
    admin = await adminClient();
    await ensureNamespaces(admin, [{ name: releaseNs, labels: {} }]);
  });
  after(async () => {
    await deleteRbac(admin, cleanup);
    for (const ns of namespaces) await admin.delete(NAMESPACES, undefined, ns).catch(() => undefined);
    admin.close();
  });

  async function serviceAccountClient(values: object, release: string): Promise<KubeClient> {
    const objs = renderObjects(values, { release, namespace: releaseNs });
    cleanup.push(...(await applyRbac(admin, objs)));
    const sa = objs.find((o) => o.kind === 'ServiceAccount')?.metadata.name;
    assert.ok(sa);
    const kubeconfig = await cp.serviceAccountKubeconfig(releaseNs, sa);
    return new KubeClient(loadKubeConfig({ kubeconfig }), { userAgent: 'e2e-rbac' });
  }

  it('cluster mode: the scenario catalogue passes with the rendered ClusterRole', async (t) => {
    const client = await serviceAccountClient({ kinds: KINDS }, `rc-${id}`);
    try {
      for (const scenario of loadScenarios('controller')) {
        await t.test(`${scenario.file}: ${scenario.name}`, async () => {
          assert.deepEqual(await runScenarioThroughController(admin, client, scenario), []);
        });
      }
    } finally {
      client.close();
    }
  });

  it('namespaced mode: mirrors within its namespaces and never reads or writes outside them', async (t) => {
    const [a, b, outside] = ['a', 'b', 'outside'].map((s) => `rbac-${id}-${s}`) as [string, string, string];
    namespaces.push(a, b, outside);
    await ensureNamespaces(
      admin,
      [a, b, outside].map((name) => ({ name, labels: {} })),
    );
    const release = `rn-${id}`;
    const client = await serviceAccountClient(
      { kinds: KINDS, namespaced: { enabled: true, namespaces: [a, b] } },
      release,
    );
    const secret = (ns: string, name: string, to: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: ns, annotations: { 'kube-reflect.io/to': to } },
      stringData: { k: 'v' },
    });
    // A source in a that also names the outside namespace, and a source outside that names a and b.
    await admin.create(SECRETS, secret(a, 'inside', `${b},${outside}`));
    await admin.create(SECRETS, secret(outside, 'secret-outside', `${a},${b}`));
    const started = new Date();
    const running = await startController(client, [a, b]);
    try {
      await running.settle();
      const get = (ns: string, name: string) =>
        admin.get<KubeObject>(SECRETS, ns, name).then(
          () => true,
          (err: unknown) => (isNotFound(err) ? false : Promise.reject(err)),
        );
      assert.equal(await get(b, 'inside'), true, 'mirrored within the list');
      assert.equal(await get(outside, 'inside'), false, 'never written outside');
      assert.equal(await get(a, 'secret-outside'), false, 'a source outside is unknown');
    } finally {
      await running.stop();
      client.close();
    }
    await sleep(1500); // the audit log is written asynchronously
    const user = `system:serviceaccount:${releaseNs}:${release}-kube-reflect`;
    const log = cp.state().auditLog;
    assert.ok(log, 'the test plane runs with an audit log');
    type Entry = {
      auditID: string;
      user?: { username?: string };
      verb: string;
      requestURI: string;
      objectRef?: { namespace?: string; resource?: string; name?: string };
      requestReceivedTimestamp: string;
      responseStatus?: { code?: number };
    };
    const mine = new Map<string, Entry>();
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as Entry;
      if (e.user?.username !== user || Date.parse(e.requestReceivedTimestamp) < started.getTime()) continue;
      mine.set(e.auditID, e);
    }
    const requests = [...mine.values()];
    t.diagnostic(`${requests.length} requests by ${user}`);
    assert.ok(requests.length > 0);
    const touchingOutside = requests.filter(
      (e) => e.objectRef?.namespace === outside || e.objectRef?.name === outside || e.requestURI.includes(outside),
    );
    assert.deepEqual(touchingOutside, [], 'no request touched the outside namespace');
    const clusterWide = requests.filter(
      (e) => e.objectRef?.resource !== 'namespaces' && e.objectRef?.namespace === undefined,
    );
    assert.deepEqual(
      clusterWide.map((e) => `${e.verb} ${e.requestURI}`),
      [],
      'no cluster-wide request for objects',
    );
    const denied = requests.filter((e) => e.responseStatus?.code === 403);
    assert.deepEqual(
      denied.map((e) => `${e.verb} ${e.requestURI}`),
      [],
      'nothing was denied: the Roles are enough',
    );
  });
});
