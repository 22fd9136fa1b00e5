// Cross-cluster sync as a fleet on real control planes: one remote plane and three local planes, each claiming its own
// objects by suffix; leader election on one of them; a remote ServiceAccount bound only in the listed namespaces; what
// a tenant on either side can and cannot make the controller write; kubectl reflect status --sync-resource.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../core/index.ts';
import { CrossCluster } from '../../core/names.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { startControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';
import type { ControllerProcess } from './support/controller-process.ts';
import {
  adminOf,
  database,
  DATABASES,
  getOrUndefined,
  installDatabaseCrd,
  REMOTE_RULES,
  remoteServiceAccount,
} from './support/cross-cluster.ts';
import { eventually } from './support/eventually.ts';

const root = join(import.meta.dirname, '..', '..');
const ROLES: ResourceType = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
};
const ROLE_BINDINGS: ResourceType = { ...ROLES, resource: 'rolebindings', kind: 'RoleBinding', namespaced: true };
const FLEET_SA = 'system:serviceaccount:default:fleet';

/** One audit record per request of a user: verb, URI and the object it named. */
function auditRequests(
  path: string,
  user: string,
): Array<{ verb: string; requestURI: string; objectRef?: { resource?: string; namespace?: string } }> {
  const seen = new Set<string>();
  const out = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    let e: {
      auditID?: string;
      verb?: string;
      requestURI?: string;
      user?: { username?: string };
      objectRef?: { resource?: string; namespace?: string };
    };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue;
    }
    if (e.user?.username !== user || !e.auditID || seen.has(e.auditID)) continue;
    seen.add(e.auditID);
    out.push({
      verb: e.verb ?? '',
      requestURI: e.requestURI ?? '',
      ...(e.objectRef ? { objectRef: { resource: e.objectRef.resource, namespace: e.objectRef.namespace } } : {}),
    });
  }
  return out;
}

/** A remote ServiceAccount with REMOTE_RULES bound by a RoleBinding in each namespace only (no cluster-wide right). */
async function namespacedServiceAccount(cp: ControlPlane, client: KubeClient, namespaces: string[]): Promise<string> {
  await client.apply(
    ROLES,
    { metadata: { name: 'fleet' }, rules: REMOTE_RULES },
    { fieldManager: 'e2e-test', force: true },
  );
  for (const namespace of namespaces)
    await client.apply(
      ROLE_BINDINGS,
      {
        metadata: { name: 'fleet', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'fleet' },
        subjects: [{ kind: 'ServiceAccount', name: 'fleet', namespace: 'default' }],
      },
      { fieldManager: 'e2e-test', force: true },
    );
  return cp.serviceAccountKubeconfig('default', 'fleet');
}

describe('cross-cluster fleet: one remote plane, three local planes', () => {
  let remoteCp: ControlPlane;
  let locals: ControlPlane[] = [];
  let remote: KubeClient;
  let l1: KubeClient;
  let l2: KubeClient;
  let l3: KubeClient;
  let fleetKc: string;
  let openKc: string;
  const procs: ControllerProcess[] = [];
  let replicas: ControllerProcess[] = [];
  let p2: ControllerProcess;
  let p3: ControllerProcess;

  const common = (kc: string, suffix: string) => [
    '--kinds',
    'configmaps',
    '--remote-kubeconfig',
    kc,
    '--sync-resource',
    'xc.example.com/v1/databases',
    `--remote-resource-suffix=${suffix}`,
  ];
  const fleetArgs = (suffix: string, namespaces = 'tenant-a,tenant-b') => [
    ...common(fleetKc, suffix),
    '--namespace-prefix=tenant-',
    `--remote-namespaces=${namespaces}`,
    '--local-secret-names=creds',
  ];
  const l1Args = () => [
    ...fleetArgs('-l1'),
    '--leader-elect',
    '--leader-election-namespace=default',
    '--leader-election-id=xc-fleet',
    '--leader-election-lease-duration=6s',
    '--leader-election-renew-deadline=4s',
    '--leader-election-retry-period=1s',
  ];
  const start = async (cp: ControlPlane, args: string[]) => {
    const p = await startControllerProcess(cp.kubeconfigPath, args);
    procs.push(p);
    await p.ready(60_000);
    return p;
  };
  const alive = (p: ControllerProcess) => p.child.exitCode === null && p.child.signalCode === null;
  const leads = (p: ControllerProcess) => p.logs.some((l) => l.msg === 'became leader; starting workers');
  const writes = (p: ControllerProcess) => p.logs.filter((l) => l.msg === 'cross-cluster write').length;
  const copy = (c: KubeClient, ns: string, name = 'db') => getOrUndefined(c, DATABASES, ns, name);

  before(async () => {
    buildController();
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'kubectl-reflect'], {
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    const id = process.pid;
    [remoteCp, ...locals] = await Promise.all([
      startControlPlane({ name: `xcf-remote-${id}`, audit: true }),
      startControlPlane({ name: `xcf-l1-${id}`, audit: true }),
      startControlPlane({ name: `xcf-l2-${id}` }),
      startControlPlane({ name: `xcf-l3-${id}` }),
    ]);
    remote = adminOf(remoteCp);
    [l1, l2, l3] = locals.map(adminOf) as [KubeClient, KubeClient, KubeClient];
    await Promise.all([remote, l1, l2, l3].map(installDatabaseCrd));
    for (const n of ['tenant-a', 'tenant-b', 'tenant-c']) await remote.create(NAMESPACES, { metadata: { name: n } });
    fleetKc = await namespacedServiceAccount(remoteCp, remote, ['tenant-a', 'tenant-b']);
    openKc = await remoteServiceAccount(remoteCp, remote, 'open');
    const [c1, c2] = locals as [ControlPlane, ControlPlane, ControlPlane];
    replicas = await Promise.all([start(c1, l1Args()), start(c1, l1Args())]);
    p2 = await start(c2, fleetArgs('-l2'));
    // No prefix and no namespace suffix: remote namespaces map to local ones of the same name, kube-system excluded.
    p3 = await start(locals[2]!, [...common(openKc, '-l3'), '--exclude-namespaces=kube-system']);
  });

  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    for (const c of [remote, l1, l2, l3]) c?.close();
    await Promise.all([remoteCp, ...locals].map((cp) => cp?.stop()));
  });

  it('copies each remote object only into the plane whose suffix it carries', async () => {
    for (const [i, suffix] of ['-l1', '-l2', '-l3'].entries())
      await remote.create(DATABASES, database('tenant-a', `db${suffix}`, { plane: i + 1 }));
    await eventually('every plane has its copy', async () => {
      const got = await Promise.all([copy(l1, 'tenant-a'), copy(l2, 'tenant-a'), copy(l3, 'tenant-a')]);
      return got.every((c, i) => isDeepStrictEqual(c?.spec, { plane: i + 1 }));
    });
    for (const suffix of ['-l1', '-l2', '-l3'])
      await eventually(`db${suffix} claimed and recorded`, async () => {
        const r = await remote.get<KubeObject>(DATABASES, 'tenant-a', `db${suffix}`);
        return (
          isDeepStrictEqual(r.metadata.finalizers, [CrossCluster.finalizer]) &&
          r.metadata.annotations?.[CrossCluster.remoteGeneration] === '1'
        );
      });
  });

  it('with leader election, only the leader writes; the standby is Ready and writes nothing', async () => {
    await eventually('one leader', () => replicas.filter(leads).length === 1);
    const [leader, standby] = [replicas.find(leads)!, replicas.find((p) => !leads(p))!];
    assert.ok(writes(leader) > 0, 'the leader made the writes');
    assert.equal(writes(standby), 0, 'the standby wrote nothing');
    assert.ok(
      standby.logs.some((l) => l.msg === 'cross-cluster caches synced'),
      'the standby is warm',
    );
  });

  it('under RoleBindings in the listed namespaces only: no cluster-wide request, an unlisted namespace is ignored', async (t) => {
    await remote.create(DATABASES, database('tenant-c', 'db-l1', { size: 1 }));
    // A later object synced in a listed namespace shows the controller went past the unlisted one.
    await remote.create(DATABASES, database('tenant-b', 'marker-l1', { size: 1 }));
    await eventually('the marker copy', async () => (await copy(l1, 'tenant-b', 'marker')) !== undefined);
    assert.equal(await getOrUndefined(l1, NAMESPACES, undefined, 'tenant-c'), undefined);
    const unlisted = await remote.get<KubeObject>(DATABASES, 'tenant-c', 'db-l1');
    assert.equal(unlisted.metadata.finalizers, undefined, 'not claimed');
    // Every request of the ServiceAccount for a resource named a listed namespace (no cluster-wide list or watch).
    const requests = auditRequests(remoteCp.state().auditLog!, FLEET_SA);
    const resources = requests.filter((r) => r.objectRef?.resource !== undefined);
    t.diagnostic(`requests without a namespace: ${JSON.stringify(requests.filter((r) => !r.objectRef?.namespace))}`);
    assert.ok(resources.some((r) => r.verb === 'watch' && r.objectRef?.namespace === 'tenant-a'));
    assert.deepEqual(
      resources.filter((r) => !['tenant-a', 'tenant-b'].includes(r.objectRef?.namespace ?? '')),
      [],
      'every resource request named a listed namespace',
    );
  });

  it('a standby takes over after the leader is SIGKILLed and syncs what arrives meanwhile', async (t) => {
    const leader = replicas.find(leads)!;
    const standby = replicas.find((p) => p !== leader)!;
    await leader.kill('SIGKILL');
    const killed = Date.now();
    await remote.create(DATABASES, database('tenant-b', 'late-l1', { size: 9 }));
    await eventually('the standby to lead', () => leads(standby), 60_000);
    await eventually('the copy made by the new leader', async () => (await copy(l1, 'tenant-b', 'late')) !== undefined);
    t.diagnostic(`copy ${Date.now() - killed} ms after the leader's SIGKILL`);
    assert.ok(alive(standby));
    assert.ok(writes(standby) > 0, 'the new leader wrote it');
  });

  it('a remote object never reaches an excluded local namespace or an invalid local name', async () => {
    await remote.create(DATABASES, database('kube-system', 'evil-l3', { size: 1 }));
    await remote.create(DATABASES, database('tenant-b', 'x--l3', { size: 1 }));
    await remote.create(DATABASES, database('tenant-b', 'marker-l3', { size: 1 }));
    await eventually('the marker copy', async () => (await copy(l3, 'tenant-b', 'marker')) !== undefined);
    assert.equal(await copy(l3, 'kube-system', 'evil'), undefined, 'nothing written into kube-system');
    const evil = await remote.get<KubeObject>(DATABASES, 'kube-system', 'evil-l3');
    assert.equal(evil.metadata.finalizers, undefined, 'an excluded pair is not claimed');
    const x = await remote.get<KubeObject>(DATABASES, 'tenant-b', 'x--l3');
    assert.equal(x.metadata.finalizers, undefined, 'an invalid local name is not claimed');
    assert.equal(p3.logs.filter((l) => l.msg === 'cross-cluster write failed; will retry').length, 0);
  });

  it('uploads no local Secret the local object does not control, and shows status, last upload and errors', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    await remote.create(SECRETS, {
      metadata: { name: 'creds-l2', namespace: 'tenant-a' },
      type: 'Opaque',
      data: { v: b64('remote') },
    });
    // A tenant of the local namespace names the local object as controller with a made-up uid.
    await l2.create(SECRETS, {
      metadata: {
        name: 'creds',
        namespace: 'tenant-a',
        ownerReferences: [
          { apiVersion: 'xc.example.com/v1', kind: 'Database', name: 'db', uid: 'not-the-db', controller: true },
        ],
      },
      type: 'Opaque',
      data: { v: b64('forged') },
    });
    // The status upload that follows shows the pair was reconciled with the Secret in place.
    await l2.mergePatch(DATABASES, 'tenant-a', 'db', { status: { ready: true } }, { subresource: 'status' });
    await eventually('the status upload', async () =>
      isDeepStrictEqual((await remote.get<KubeObject>(DATABASES, 'tenant-a', 'db-l2')).status, { ready: true }),
    );
    const kept = await remote.get<KubeObject>(SECRETS, 'tenant-a', 'creds-l2');
    assert.deepEqual(kept.data, { v: b64('remote') }, 'the forged Secret was not uploaded');

    // A controlled Secret whose remote counterpart does not exist: the update is refused (RBAC has no create).
    await remote.create(DATABASES, database('tenant-b', 'db-l2', { size: 1 }));
    await eventually('the tenant-b copy', async () => (await copy(l2, 'tenant-b')) !== undefined);
    const b = (await copy(l2, 'tenant-b'))!;
    await l2.create(SECRETS, {
      metadata: {
        name: 'creds',
        namespace: 'tenant-b',
        ownerReferences: [
          { apiVersion: 'xc.example.com/v1', kind: 'Database', name: 'db', uid: b.metadata.uid, controller: true },
        ],
      },
      type: 'Opaque',
      data: { v: b64('x') },
    });
    const status = () => {
      const r = spawnSync(
        process.execPath,
        [
          join(root, 'dist', 'bin', 'kubectl-reflect'),
          'status',
          '--kubeconfig',
          locals[1]!.kubeconfigPath,
          '--remote-kubeconfig',
          fleetKc,
          '--sync-resource',
          'xc.example.com/v1/databases',
          '--remote-resource-suffix=-l2',
          '--namespace-prefix=tenant-',
          '--remote-namespaces=tenant-a,tenant-b',
          '--local-secret-names=creds',
          '-o',
          'json',
        ],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { pairs: Array<Record<string, unknown>> }).pairs;
    };
    await eventually('the refused upload shown as the pair error', () => {
      const row = status().find((p) => p.namespace === 'tenant-b' && p.name === 'db');
      const err = row?.lastError as { message?: string } | undefined;
      return /not ?found/i.test(err?.message ?? '');
    });
    const rows = status();
    const a = rows.find((p) => p.namespace === 'tenant-a' && p.name === 'db')!;
    assert.equal(a.phase, 'InSync');
    assert.equal(a.statusUploaded, true);
    assert.equal(a.remoteGeneration, 1);
    assert.equal(a.syncedRemoteGeneration, 1);
    assert.equal(typeof a.lastUploadAt, 'string', 'the status upload time');
    assert.equal(a.lastError, undefined);
    const bRow = rows.find((p) => p.namespace === 'tenant-b' && p.name === 'db')!;
    assert.deepEqual(bRow.pending, ['upload-secret', 'record-secret-hash']);
  });

  it('never deletes what it created for a remote namespace it stops watching', async () => {
    const c2 = locals[1]!;
    await p2.kill('SIGTERM');
    const since = new Date();
    p2 = await start(c2, fleetArgs('-l2', 'tenant-b'));
    await remote.create(DATABASES, database('tenant-b', 'marker-l2', { size: 1 }));
    await eventually('the marker copy', async () => (await copy(l2, 'tenant-b', 'marker')) !== undefined);
    const ns = await l2.get<KubeObject>(NAMESPACES, undefined, 'tenant-a');
    assert.equal(ns.metadata.deletionTimestamp, undefined, 'the namespace it created stays');
    assert.ok(await copy(l2, 'tenant-a'), 'the copy stays');
    assert.equal(
      p2.logs.filter((l) => l.msg === 'cross-cluster write' && String(l.pair).startsWith('tenant-a/')).length,
      0,
      `no write for tenant-a since ${since.toISOString()}`,
    );
  });
});
