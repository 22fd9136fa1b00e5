// A hostile tenant against the real controller process with exactly the chart's RBAC: every attack of issue 10 that
// concerns the controller, each assertion of "nothing happened" made only after a positive marker (a finding in the
// controller's log or an Event), and the audit log showing no write by the controller the tenant could not make itself.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { renderObjects } from '../../charts/kube-reflect/render.ts';
import type { RenderedObject } from '../../charts/kube-reflect/render.ts';
import type { KubeObject } from '../../core/index.ts';
import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import type { KubeApiError } from '../../kube/errors.ts';
import { isNotFound } from '../../kube/errors.ts';
import { EVENTS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient, ensureNamespaces } from './support/controller-harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';
import type { ControllerProcess } from './support/controller-process.ts';
import { eventually } from './support/eventually.ts';

const rbac = (resource: string, kind: string, namespaced: boolean): ResourceType => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
  kind,
  namespaced,
});
const ROLES = rbac('roles', 'Role', true);
const ROLEBINDINGS = rbac('rolebindings', 'RoleBinding', true);
const CLUSTERROLES = rbac('clusterroles', 'ClusterRole', false);
const TYPES: Record<string, ResourceType> = {
  ServiceAccount: { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  ClusterRole: CLUSTERROLES,
  ClusterRoleBinding: rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  Role: ROLES,
  RoleBinding: ROLEBINDINGS,
};
const R = 'reflector.v1.k8s.emberstack.com';

interface AuditEntry {
  auditID: string;
  user?: { username?: string };
  verb: string;
  requestURI: string;
  objectRef?: { namespace?: string; resource?: string; name?: string };
  requestReceivedTimestamp: string;
}

// Control characters and bidi overrides: what a message that reaches a terminal must not carry raw.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('a hostile tenant against the controller with the chart RBAC', { timeout: 240_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const ns = (s: string) => `ht-${id}-${s}`;
  // The tenant's namespace sorts before the platform's: under the old rule its identity would have won a contest.
  const [system, platform, tenant, outsider, teamA, teamB, sys] = [
    'system',
    'platform',
    'aaa-tenant',
    'outsider',
    'team-a',
    'team-b',
    'sys',
  ].map(ns) as [string, string, string, string, string, string, string];
  const release = `ht-${id}`;
  const tenantUser = `tenant-${id}`;
  const outsiderUser = `outsider-${id}`;
  let cp: ControlPlane;
  let admin: KubeClient;
  let tenantClient: KubeClient;
  let outsiderClient: KubeClient;
  let controllerKubeconfig: string;
  let controllerUser: string;
  let proc: ControllerProcess;
  let attacksFrom: Date;
  const rbacObjects: RenderedObject[] = [];

  /** The controller's log entry for a finding of `reason` about `namespace/name`. */
  const logged = (reason: string, namespace: string, name: string) =>
    proc.logs.some((l) => l.reason === reason && l.object === `${namespace}/${name}`);
  const secret = (namespace: string, name: string, annotations: Record<string, string>, data: object = {}) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations },
    stringData: data,
  });
  const dataOf = async (client: KubeClient, namespace: string, name: string, key: string) => {
    const s = await client.get<KubeObject>(SECRETS, namespace, name).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    const v = (s?.data as Record<string, string> | undefined)?.[key];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
  };

  before(async () => {
    buildController();
    cp = await useTestControlPlane();
    admin = await adminClient();
    await ensureNamespaces(
      admin,
      [system, platform, tenant, outsider, teamA, teamB, sys].map((name) => ({ name, labels: {} })),
    );
    // The controller: the chart's ServiceAccount and RBAC for Secrets and RoleBindings, nothing more.
    const values = {
      kinds: ['secrets', { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }],
      pushSourceNamespaces: [platform, tenant],
      accessKindSourceNamespaces: [platform],
    };
    const objs = renderObjects(values, { release, namespace: system }).filter((o) => TYPES[o.kind] !== undefined);
    for (const o of objs) await admin.apply(TYPES[o.kind]!, o, { fieldManager: 'e2e-rbac', force: true });
    rbacObjects.push(...objs);
    const sa = objs.find((o) => o.kind === 'ServiceAccount')!.metadata.name;
    controllerKubeconfig = await cp.serviceAccountKubeconfig(system, sa);
    controllerUser = `system:serviceaccount:${system}:${sa}`;
    // Each tenant may manage Secrets and RoleBindings in its own namespace only.
    for (const [user, where] of [
      [tenantUser, tenant],
      [outsiderUser, outsider],
    ] as const) {
      await admin.create(ROLES, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'tenant', namespace: where },
        rules: [
          {
            apiGroups: ['', 'rbac.authorization.k8s.io'],
            resources: ['secrets', 'rolebindings'],
            verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
          },
        ],
      });
      await admin.create(ROLEBINDINGS, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'tenant', namespace: where },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      });
    }
    await admin.apply(
      CLUSTERROLES,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `ht-${id}-secret-reader` },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
      },
      { fieldManager: 'e2e', force: true },
    );
    tenantClient = new KubeClient(loadKubeConfig({ kubeconfig: cp.userKubeconfig(tenantUser) }), {
      userAgent: 'tenant',
    });
    outsiderClient = new KubeClient(loadKubeConfig({ kubeconfig: cp.userKubeconfig(outsiderUser) }), {
      userAgent: 'outsider',
    });
    // What the platform team and the cluster already hold.
    await admin.create(SECRETS, secret(platform, 'registry', { 'kube-reflect.io/to': ns('team-*') }, { token: 'P' }));
    await admin.create(
      SECRETS,
      secret(
        platform,
        'legacy-db',
        { [`${R}/reflection-allowed`]: 'true', [`${R}/reflection-allowed-namespaces`]: ',' },
        {
          password: 'S3CRET',
        },
      ),
    );
    await admin.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'db-token', namespace: sys },
      stringData: { 'tls.crt': 'c', 'tls.key': 'k' },
    });
    proc = await startControllerProcess(controllerKubeconfig, [
      '--kinds',
      'secrets,rolebindings.rbac.authorization.k8s.io',
      '--push-source-namespaces',
      `${platform},${tenant}`,
      '--access-kind-source-namespaces',
      platform,
    ]);
    await proc.ready();
    await eventually('the platform mirrors', async () => (await dataOf(admin, teamB, 'registry', 'token')) === 'P');
    attacksFrom = new Date();
  });

  after(async () => {
    await proc?.kill('SIGTERM');
    tenantClient?.close();
    outsiderClient?.close();
    for (const name of [platform, tenant, outsider, teamA, teamB, sys, system])
      await admin.delete(NAMESPACES, undefined, name).catch(() => undefined);
    for (const o of rbacObjects.filter((x) => x.metadata.namespace === undefined))
      await admin.delete(TYPES[o.kind]!, undefined, o.metadata.name).catch(() => undefined);
    await admin.delete(CLUSTERROLES, undefined, `ht-${id}-secret-reader`).catch(() => undefined);
    admin?.close();
  });

  it('refuses to start with an access-granting kind and no source namespaces for it', async () => {
    const bare = await startControllerProcess(controllerKubeconfig, [
      '--kinds',
      'secrets,rolebindings.rbac.authorization.k8s.io',
    ]);
    await eventually('the controller exits', () => bare.child.exitCode !== null);
    assert.notEqual(bare.child.exitCode, 0);
    await eventually('its last log line read', () => bare.logs.length > 0);
    assert.ok(
      bare.logs.some((l) => l.level === 'error' && /access-kind-source-namespaces/.test(String(l.msg))),
      JSON.stringify(bare.logs),
    );
  });

  it('mirror takeover: a tenant source naming the platform mirror gets a finding, the mirrors keep their data', async () => {
    await tenantClient.create(
      SECRETS,
      secret(
        tenant,
        'evil',
        { 'kube-reflect.io/to': ns('team-*'), 'kube-reflect.io/mirror-name': 'registry' },
        {
          token: 'ATTACKER',
        },
      ),
    );
    // The finding sits on the challenger's own object and names the mirror it may not take.
    await eventually('the challenger reported on its own object', () =>
      proc.logs.some(
        (l) =>
          l.reason === 'TargetBlocked' && l.object === `${tenant}/evil` && String(l.msg).includes(`${teamA}/registry`),
      ),
    );
    for (const team of [teamA, teamB]) assert.equal(await dataOf(admin, team, 'registry', 'token'), 'P');
  });

  it('RBAC kind: a tenant RoleBinding with to: all is refused and grants nothing elsewhere', async () => {
    await tenantClient.create(ROLEBINDINGS, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-secrets', namespace: tenant, annotations: { 'kube-reflect.io/to': 'all' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `ht-${id}-secret-reader` },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: tenantUser }],
    });
    await eventually('the RoleBinding refused', () => logged('AccessKindNotAllowed', tenant, 'read-secrets'));
    for (const where of [teamA, sys, platform]) {
      await assert.rejects(admin.get(ROLEBINDINGS, where, 'read-secrets'), isNotFound);
      await assert.rejects(tenantClient.get(SECRETS, where, 'registry'), (e) => (e as KubeApiError).code === 403);
    }
  });

  it('Reflector "," list: the tenant cannot pull a source that allows no namespace', async () => {
    await tenantClient.create(SECRETS, secret(tenant, 'stolen', { [`${R}/reflects`]: `${platform}/legacy-db` }));
    await eventually('the pull denied', () => logged('PullDenied', tenant, 'stolen'));
    assert.equal(await dataOf(tenantClient, tenant, 'stolen', 'password'), undefined);
  });

  it('pull cycle: two pulls of each other are reported and nothing is written for them', async () => {
    const allowed = { [`${R}/reflection-allowed`]: 'true' };
    await tenantClient.create(
      SECRETS,
      secret(tenant, 'cycle-a', { ...allowed, [`${R}/reflects`]: `${tenant}/cycle-b` }, { k: 'a' }),
    );
    await tenantClient.create(
      SECRETS,
      secret(tenant, 'cycle-b', { ...allowed, [`${R}/reflects`]: `${tenant}/cycle-a` }, { k: 'b' }),
    );
    await eventually(
      'the cycle reported',
      () => logged('PullCycle', tenant, 'cycle-a') && logged('PullCycle', tenant, 'cycle-b'),
    );
    assert.equal(await dataOf(tenantClient, tenant, 'cycle-a', 'k'), 'a');
    assert.equal(await dataOf(tenantClient, tenant, 'cycle-b', 'k'), 'b');
  });

  it('Events oracle: probing a foreign Secret elsewhere yields an Event that names nothing, in the tenant namespace only', async () => {
    await tenantClient.create(
      SECRETS,
      secret(tenant, 'probe', { 'kube-reflect.io/to': sys, 'kube-reflect.io/mirror-name': 'db-token' }, { k: 'v' }),
    );
    type Ev = { reason?: string; note?: string; regarding?: { name?: string; namespace?: string } };
    let notes: string[] = [];
    await eventually('an Event on the probe', async () => {
      const { items } = await admin.list<Ev>(EVENTS, { namespace: tenant });
      notes = items.filter((e) => e.regarding?.name === 'probe').map((e) => `${e.reason}: ${e.note}`);
      return notes.length > 0;
    });
    for (const n of notes) assert.doesNotMatch(n, new RegExp(`${sys}|tls|db-token`), n);
    const { items } = await admin.list<Ev>(EVENTS, { namespace: sys });
    assert.deepEqual(items, [], 'no Event written where the tenant may not look');
    assert.equal(await dataOf(admin, sys, 'db-token', 'tls.key'), 'k');
  });

  it("terminal escapes: a tenant's annotation value reaches the Event and the log escaped, never raw", async () => {
    const escapes = '\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e';
    await tenantClient.create(
      SECRETS,
      secret(
        tenant,
        'escapes',
        { 'kube-reflect.io/to': teamA, 'kube-reflect.io/mirror-name': `x${escapes}` },
        { k: 'v' },
      ),
    );
    type Ev = { reason?: string; note?: string; regarding?: { name?: string } };
    let notes: string[] = [];
    await eventually('an Event on the source', async () => {
      const { items } = await admin.list<Ev>(EVENTS, { namespace: tenant });
      notes = items.filter((e) => e.regarding?.name === 'escapes').map((e) => `${e.reason}: ${e.note}`);
      return notes.length > 0;
    });
    for (const n of notes) {
      assert.match(n, /InvalidAnnotation: .*x\\x1b\]52;c;ZXZpbA==\\x07\\x1b\[2J\\u202e/, n);
      assert.doesNotMatch(n, UNPRINTABLE, n);
    }
    await eventually('the finding logged', () => logged('InvalidAnnotation', tenant, 'escapes'));
    for (const line of proc.logs.filter((l) => l.object === `${tenant}/escapes`))
      for (const value of Object.values(line))
        if (typeof value === 'string') assert.doesNotMatch(value, UNPRINTABLE, value);
  });

  it('push-source policy: a source outside the push-source namespaces pushes nowhere', async () => {
    await outsiderClient.create(SECRETS, secret(outsider, 'spread', { 'kube-reflect.io/to': 'all' }, { k: 'v' }));
    await eventually('the push refused', () => logged('PushSourceNotAllowed', outsider, 'spread'));
    for (const where of [teamA, teamB, tenant, platform, sys])
      await assert.rejects(admin.get(SECRETS, where, 'spread'), isNotFound);
  });

  it('the audit log shows no write by the controller since the attacks began but Events in the attackers’ namespaces', async () => {
    const log = cp.state().auditLog;
    assert.ok(log, 'the test plane runs with an audit log');
    // The audit log is written asynchronously: a marker request of ours, once logged, means earlier ones are too.
    const marker = `ht-${id}-marker`;
    await admin.get(NAMESPACES, undefined, marker).catch(() => undefined);
    const entries = () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as AuditEntry];
          } catch {
            return [];
          }
        });
    await eventually('the marker in the audit log', () => entries().some((e) => e.requestURI.includes(marker)));
    const writes = new Map<string, AuditEntry>();
    const events = new Map<string, AuditEntry>();
    for (const e of entries()) {
      if (e.user?.username !== controllerUser) continue;
      if (Date.parse(e.requestReceivedTimestamp) < attacksFrom.getTime()) continue;
      if (!['create', 'update', 'patch', 'delete'].includes(e.verb)) continue;
      if (e.objectRef?.resource === 'leases') continue;
      (e.objectRef?.resource === 'events' ? events : writes).set(e.auditID, e);
    }
    assert.deepEqual(
      [...writes.values()].map((e) => `${e.verb} ${e.requestURI}`),
      [],
    );
    // Events tell a source's owner about its own object, so they land only where the attackers' objects live.
    assert.ok(events.size > 0, 'the attacks were told as Events');
    assert.deepEqual(
      [...events.values()].filter((e) => ![tenant, outsider].includes(e.objectRef?.namespace ?? '')),
      [],
    );
  });
});
