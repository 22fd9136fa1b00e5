// kube/ on the real control plane: list/watch, metadata-only, apiserver restart, 410 relist, watchdog, SSA, preconditions.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { testNamespace, useTestControlPlane, type ControlPlane } from '../cluster/harness.ts';
import { KubeClient, type RequestEvent } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { isConflict, isNotFound, KubeApiError } from '../../kube/errors.ts';
import { Informer } from '../../kube/informer.ts';
import { CONFIGMAPS, SECRETS, type ResourceType } from '../../kube/resource-type.ts';
import { resolveResourceTypes } from '../../kube/resources.ts';
import { eventually } from './support/eventually.ts';

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  data?: Record<string, string>;
}

function cm(namespace: string, name: string, data: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { e2e: 'kube' } }, data };
}

/** A TCP proxy in front of the apiserver that can freeze (stop forwarding) or drop every open connection. */
async function startProxy(
  target: URL,
): Promise<{ url: string; freeze(): void; drop(): void; block(): void; unblock(): void; close(): void }> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let blocked = false;
  const server = net.createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    freeze: () => {
      // Data from the apiserver stays in kernel buffers: the client sees a silent, still-open connection.
      for (const p of pairs) {
        p.upstream.unpipe(p.client);
        p.upstream.pause();
      }
    },
    drop: () => {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
    },
    // Blocked: every connection is cut and new ones are refused, like an apiserver that is down.
    block: () => {
      blocked = true;
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
    },
    unblock: () => {
      blocked = false;
    },
    close: () => {
      for (const p of pairs) p.client.destroy();
      server.close();
    },
  };
}

/** A kubeconfig identical to `path` but pointing at `server`. */
function kubeconfigVia(path: string, server: string): string {
  const doc = parse(readFileSync(path, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
  for (const c of doc.clusters) c.cluster.server = server;
  const out = join(mkdtempSync(join(tmpdir(), 'kube-reflect-')), 'kubeconfig');
  writeFileSync(out, stringify(doc));
  return out;
}

describe('kube/ on a real apiserver', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const requests: RequestEvent[] = [];
  const informers: Informer<Obj>[] = [];

  before(async () => {
    cp = await useTestControlPlane();
    client = new KubeClient(loadKubeConfig({ kubeconfig: cp.kubeconfigPath }), { observer: (e) => requests.push(e) });
  });
  after(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    client.close();
  });

  function informer(
    type: ResourceType,
    opts: ConstructorParameters<typeof Informer<Obj>>[2],
    c = client,
  ): Informer<Obj> {
    // The selector keeps out kube-root-ca.crt, which kube-controller-manager adds to every namespace at its own pace.
    const inf = new Informer<Obj>(c, type, {
      backoff: { initialMs: 100, maxMs: 1000 },
      ...(type === CONFIGMAPS ? { labelSelector: 'e2e=kube' } : {}),
      ...opts,
    });
    informers.push(inf);
    return inf.start();
  }

  /** A TCP proxy in front of the apiserver and a client that goes through it, both closed after the test. */
  async function behindProxy(t: { after(fn: () => void): void }) {
    const proxy = await startProxy(new URL(cp.server));
    t.after(() => proxy.close());
    const viaProxy = new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigVia(cp.kubeconfigPath, proxy.url) }));
    t.after(() => viaProxy.close());
    return { proxy, viaProxy };
  }

  /** Handlers that record each event as "add|update|delete <name>". */
  function recordInto(events: string[]) {
    return {
      onAdd: (o: Obj) => events.push(`add ${o.metadata.name}`),
      onUpdate: (o: Obj) => events.push(`update ${o.metadata.name}`),
      onDelete: (o: Obj) => events.push(`delete ${o.metadata.name}`),
    };
  }

  it('lists and watches creates, updates and deletes', async (t) => {
    const namespace = await testNamespace(t);
    for (let i = 0; i < 5; i++)
      await client.create(CONFIGMAPS, cm(namespace, `pre-${i}`, { i: String(i) }), { fieldManager: 'e2e' });
    const events: string[] = [];
    const inf = informer(CONFIGMAPS, {
      namespace,
      pageSize: 2, // five objects over three pages
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (o) => events.push(`update ${o.metadata.name} ${o.data?.v ?? ''}`),
      onDelete: (o) => events.push(`delete ${o.metadata.name}`),
    });
    await inf.waitForSync();
    assert.equal(inf.store.size, 5);
    assert.ok(inf.health().synced);
    await client.create(CONFIGMAPS, cm(namespace, 'live', { v: '1' }), { fieldManager: 'e2e' });
    await client.apply(CONFIGMAPS, cm(namespace, 'live', { v: '2' }), { fieldManager: 'e2e', force: true });
    await client.delete(CONFIGMAPS, namespace, 'live');
    await eventually('delete event', () => events.includes('delete live'));
    assert.deepEqual(events.slice(5), ['add live', 'update live 2', 'delete live']);
    assert.equal(inf.store.get(namespace, 'live'), undefined);
    assert.ok(requests.some((r) => r.verb === 'watch' && r.code === 200));
    assert.equal(requests.filter((r) => r.verb === 'list' && r.resource === 'configmaps').length, 3);
  });

  it('watches cluster-wide with a label selector and carries a ~900 KiB object through the stream', async (t) => {
    const ns1 = await testNamespace(t);
    const ns2 = await testNamespace(t);
    const label = `run-${Date.now()}`;
    const labelled = (namespace: string, name: string, data: Record<string, string>): Obj => ({
      ...cm(namespace, name, data),
      metadata: { name, namespace, labels: { 'kube-e2e-run': label } },
    });
    await client.create(CONFIGMAPS, labelled(ns1, 'one', { a: '1' }));
    const inf = informer(CONFIGMAPS, { labelSelector: `kube-e2e-run=${label}` });
    await inf.waitForSync();
    assert.deepEqual(inf.store.keys(), [`${ns1}/one`]);
    const big = 'x'.repeat(900 * 1024);
    await client.create(CONFIGMAPS, labelled(ns2, 'big', { big }));
    await client.create(CONFIGMAPS, cm(ns2, 'unlabelled', { a: '1' }));
    await eventually('the big object', () => inf.store.get(ns2, 'big') !== undefined);
    assert.equal(inf.store.get(ns2, 'big')?.data?.big?.length, big.length);
    assert.equal(inf.store.get(ns2, 'unlabelled'), undefined);
  });

  it('reports RBAC denials as typed 403 errors', async (t) => {
    const namespace = await testNamespace(t);
    const alice = new KubeClient(loadKubeConfig({ kubeconfig: cp.userKubeconfig('kube-e2e-nobody') }));
    t.after(() => alice.close());
    await assert.rejects(alice.list(SECRETS, { namespace }), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.code, 403);
      assert.equal(e.reason, 'Forbidden');
      assert.match(e.message, new RegExp(`^list secrets in namespace ${namespace}: 403 Forbidden: `));
      return true;
    });
    // A bearer token (ServiceAccount TokenRequest) goes through client-node's auth into our requests.
    const robot = new KubeClient(loadKubeConfig({ kubeconfig: await cp.serviceAccountKubeconfig(namespace, 'robot') }));
    t.after(() => robot.close());
    await assert.rejects(robot.get(SECRETS, namespace, 'x'), (e: unknown) => {
      assert.ok(e instanceof KubeApiError && e.code === 403);
      assert.match(e.serverMessage, new RegExp(`system:serviceaccount:${namespace}:robot`));
      return true;
    });
  });

  it('metadata-only mode returns no data', async (t) => {
    const namespace = await testNamespace(t);
    await client.create(SECRETS, {
      metadata: { name: 's1', namespace, labels: { a: 'b' } },
      stringData: { password: 'hunter2' },
    });
    const listed = await client.list<Obj>(SECRETS, { namespace, metadataOnly: true });
    assert.equal(listed.items.length, 1);
    assert.equal(listed.items[0]?.kind, 'PartialObjectMetadata');
    assert.equal(listed.items[0]?.data, undefined);
    const got = await client.get<Obj>(SECRETS, namespace, 's1', { metadataOnly: true });
    assert.equal(got.kind, 'PartialObjectMetadata');
    assert.equal(got.data, undefined);

    const seen: Obj[] = [];
    const inf = informer(SECRETS, { namespace, metadataOnly: true, labelSelector: 'a=b', onAdd: (o) => seen.push(o) });
    await inf.waitForSync();
    await client.create(SECRETS, { metadata: { name: 's2', namespace, labels: { a: 'b' } }, stringData: { x: 'y' } });
    await client.create(SECRETS, { metadata: { name: 'other', namespace }, stringData: { x: 'y' } });
    await eventually('s2 through the watch', () => seen.some((o) => o.metadata.name === 's2'));
    assert.deepEqual(inf.store.keys().sort(), [`${namespace}/s1`, `${namespace}/s2`]);
    for (const o of inf.store.list()) {
      assert.equal(o.data, undefined);
      assert.equal(o.kind, 'PartialObjectMetadata');
    }
  });

  it('reconnects after an apiserver restart and converges with nothing lost', async (t) => {
    const namespace = await testNamespace(t);
    await client.create(CONFIGMAPS, cm(namespace, 'keep', { v: '1' }));
    await client.create(CONFIGMAPS, cm(namespace, 'gone', { v: '1' }));
    const errors: unknown[] = [];
    const inf = informer(CONFIGMAPS, { namespace, onError: (e) => errors.push(e) });
    await inf.waitForSync();
    await cp.restartApiserver();
    // Changes right after the restart land while the informer is still backing off, i.e. in its gap.
    await client.apply(CONFIGMAPS, cm(namespace, 'keep', { v: '2' }), { fieldManager: 'e2e', force: true });
    await client.delete(CONFIGMAPS, namespace, 'gone');
    await client.create(CONFIGMAPS, cm(namespace, 'new', { v: '1' }));
    await eventually('convergence after the restart', () => {
      return (
        inf.store.get(namespace, 'keep')?.data?.v === '2' &&
        inf.store.get(namespace, 'gone') === undefined &&
        inf.store.get(namespace, 'new') !== undefined
      );
    });
    const h = inf.health();
    assert.ok(h.restarts >= 1, `restarts ${h.restarts}`);
    assert.ok(errors.length >= 1);
    t.diagnostic(`after restart: restarts=${h.restarts} relists=${h.relists}`);
    const truth = await client.list<Obj>(CONFIGMAPS, { namespace, labelSelector: 'e2e=kube' });
    assert.deepEqual(
      inf.store
        .list()
        .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
        .sort(),
      truth.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort(),
    );
  });

  it('sees every change made while it was cut off across an apiserver restart', async (t) => {
    const namespace = await testNamespace(t);
    const { proxy, viaProxy } = await behindProxy(t);
    await client.create(CONFIGMAPS, cm(namespace, 'keep', { v: '1' }));
    await client.create(CONFIGMAPS, cm(namespace, 'gone', { v: '1' }));
    const inf = informer(CONFIGMAPS, { namespace }, viaProxy);
    await inf.waitForSync();
    proxy.block();
    await cp.restartApiserver();
    // A witness watching directly (not through the proxy) is the positive marker that the changes were sent.
    const witness = informer(CONFIGMAPS, { namespace });
    await witness.waitForSync();
    await client.apply(CONFIGMAPS, cm(namespace, 'keep', { v: '2' }), { fieldManager: 'e2e', force: true });
    await client.delete(CONFIGMAPS, namespace, 'gone');
    await client.create(CONFIGMAPS, cm(namespace, 'new', { v: '1' }));
    await eventually('the witness sees the changes', () => witness.store.get(namespace, 'new') !== undefined);
    await eventually('a refused reconnect', () => inf.health().restarts >= 1);
    assert.equal(inf.store.get(namespace, 'keep')?.data?.v, '1', 'the informer was really cut off');
    assert.equal(inf.health().watching, false);
    proxy.unblock();
    await eventually('convergence after the outage', () => {
      return (
        inf.store.get(namespace, 'keep')?.data?.v === '2' &&
        inf.store.get(namespace, 'gone') === undefined &&
        inf.store.get(namespace, 'new') !== undefined
      );
    });
    const h = inf.health();
    t.diagnostic(`after the outage: restarts=${h.restarts} relists=${h.relists}`);
    assert.ok(h.restarts >= 1);
    assert.ok(h.relists <= 1);
  });

  it('relists exactly once on 410 Gone and diffs the store (deletes missed during a frozen watch)', async (t) => {
    const namespace = await testNamespace(t);
    const { proxy, viaProxy } = await behindProxy(t);
    for (const name of ['a', 'b', 'c']) await client.create(CONFIGMAPS, cm(namespace, name, { v: '1' }));
    const events: string[] = [];
    const inf = informer(CONFIGMAPS, { namespace, ...recordInto(events) }, viaProxy);
    const witnessed: string[] = [];
    const witness = informer(CONFIGMAPS, { namespace, ...recordInto(witnessed) });
    await inf.waitForSync();
    await witness.waitForSync();
    await eventually('the watch', () => inf.health().watching);
    events.length = 0;
    witnessed.length = 0;
    proxy.freeze();
    await client.delete(CONFIGMAPS, namespace, 'b');
    await client.apply(CONFIGMAPS, cm(namespace, 'c', { v: '2' }), { fieldManager: 'e2e', force: true });
    // The positive marker: a direct watch received both changes, so the apiserver sent them to the frozen one too.
    await eventually('the witness sees both changes', () => witnessed.length === 2);
    assert.deepEqual(events, [], 'the frozen watch delivered nothing');
    // Reconnect from a resourceVersion far older than the watch cache: the apiserver answers 410 Gone.
    inf.reconnect('1');
    await eventually('the relist', () => inf.health().relists === 1 && events.length === 2);
    assert.deepEqual(events.sort(), ['delete b', 'update c']);
    await eventually('the watch after the relist', () => inf.health().watching);
    assert.equal(inf.health().relists, 1);
    assert.deepEqual(inf.store.keys().sort(), [`${namespace}/a`, `${namespace}/c`]);
    // The watch resumed after the relist.
    await client.create(CONFIGMAPS, cm(namespace, 'd', { v: '1' }));
    await eventually('d after the relist', () => inf.store.get(namespace, 'd') !== undefined);
    assert.equal(inf.health().relists, 1);
  });

  it('relists exactly once after an outage with churn, etcd compaction and an apiserver restart', async (t) => {
    const namespace = await testNamespace(t);
    const { proxy, viaProxy } = await behindProxy(t);
    for (const name of ['a', 'b', 'c']) await client.create(CONFIGMAPS, cm(namespace, name, { v: '1' }));
    const events: string[] = [];
    const inf = informer(CONFIGMAPS, { namespace, ...recordInto(events) }, viaProxy);
    await inf.waitForSync();
    events.length = 0;
    proxy.block();
    await client.delete(CONFIGMAPS, namespace, 'b');
    await client.apply(CONFIGMAPS, cm(namespace, 'c', { v: '2' }), { fieldManager: 'e2e', force: true });
    await client.create(CONFIGMAPS, cm(namespace, 'd', { v: '1' }));
    // Compact etcd to its current revision, then restart the apiserver so its watch cache holds no older history:
    // the informer's resourceVersion is now too old to resume from.
    const etcd = `http://127.0.0.1:${cp.state().ports.etcd}`;
    const range = (await (
      await fetch(`${etcd}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify({ key: Buffer.from('/').toString('base64') }),
      })
    ).json()) as { header: { revision: string } };
    const compacted = await fetch(`${etcd}/v3/kv/compaction`, {
      method: 'POST',
      body: JSON.stringify({ revision: range.header.revision, physical: true }),
    });
    assert.equal(compacted.status, 200, await compacted.text());
    await cp.restartApiserver();
    proxy.unblock();
    await eventually('the relist', () => events.length === 3);
    assert.deepEqual(events.sort(), ['add d', 'delete b', 'update c']);
    const h = inf.health();
    assert.equal(h.relists, 1);
    assert.match(h.lastError ?? '', /410|Expired|too old/);
    await eventually('the watch after the relist', () => inf.health().watching);
    assert.equal(inf.health().relists, 1);
    await client.create(CONFIGMAPS, cm(namespace, 'e', { v: '1' }));
    await eventually('e after the relist', () => inf.store.get(namespace, 'e') !== undefined);
    assert.equal(inf.health().relists, 1);
  });

  it('aborts a silent watch with the watchdog and catches up', async (t) => {
    const namespace = await testNamespace(t);
    const { proxy, viaProxy } = await behindProxy(t);
    const inf = informer(CONFIGMAPS, { namespace, watchdogMs: 1500 }, viaProxy);
    await inf.waitForSync();
    await eventually('the watch', () => inf.health().watching);
    proxy.freeze();
    await client.create(CONFIGMAPS, cm(namespace, 'during-freeze', { v: '1' }));
    await eventually(
      'the watchdog to reconnect',
      () => inf.store.get(namespace, 'during-freeze') !== undefined,
      10_000,
    );
    assert.ok(inf.health().watchdogTimeouts >= 1);
    assert.equal(inf.health().relists, 0);
    proxy.drop();
    await client.create(CONFIGMAPS, cm(namespace, 'after-drop', { v: '1' }));
    await eventually(
      'a reconnect after a dropped connection',
      () => inf.store.get(namespace, 'after-drop') !== undefined,
    );
    assert.equal(inf.health().stale, false);
  });

  it('server-side apply creates, updates, and a second identical apply is a no-op', async (t) => {
    const namespace = await testNamespace(t);
    const first = await client.apply<Obj>(CONFIGMAPS, cm(namespace, 'ssa', { a: '1' }), {
      fieldManager: 'kube-reflect',
    });
    const again = await client.apply<Obj>(CONFIGMAPS, cm(namespace, 'ssa', { a: '1' }), {
      fieldManager: 'kube-reflect',
    });
    assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion);
    const changed = await client.apply<Obj>(CONFIGMAPS, cm(namespace, 'ssa', { a: '2' }), {
      fieldManager: 'kube-reflect',
    });
    assert.notEqual(changed.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(changed.data?.a, '2');
    // Another manager changing our field conflicts unless it forces.
    await assert.rejects(
      client.apply(CONFIGMAPS, cm(namespace, 'ssa', { a: '3' }), { fieldManager: 'someone-else' }),
      (e: unknown) => isConflict(e),
    );
    const forced = await client.apply<Obj>(CONFIGMAPS, cm(namespace, 'ssa', { a: '3' }), {
      fieldManager: 'someone-else',
      force: true,
    });
    assert.equal(forced.data?.a, '3');
  });

  it('delete with a stale uid precondition fails with 409; errors are typed and name the object', async (t) => {
    const namespace = await testNamespace(t);
    const created = await client.create<Obj>(CONFIGMAPS, cm(namespace, 'pre', { a: '1' }));
    await assert.rejects(
      client.delete(CONFIGMAPS, namespace, 'pre', { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }),
      (e: unknown) => {
        assert.ok(e instanceof KubeApiError);
        assert.equal(e.code, 409);
        assert.equal(e.reason, 'Conflict');
        assert.match(e.message, new RegExp(`delete configmaps ${namespace}/pre: 409`));
        return true;
      },
    );
    await assert.rejects(
      client.delete(CONFIGMAPS, namespace, 'pre', { preconditions: { resourceVersion: '1' } }),
      (e: unknown) => isConflict(e),
    );
    await client.delete(CONFIGMAPS, namespace, 'pre', {
      preconditions: { uid: created.metadata.uid!, resourceVersion: created.metadata.resourceVersion! },
    });
    await assert.rejects(client.get(CONFIGMAPS, namespace, 'pre'), (e: unknown) => isNotFound(e));
    await assert.rejects(
      client
        .create(CONFIGMAPS, cm(namespace, 'x', {}), {})
        .then(() => client.create(CONFIGMAPS, cm(namespace, 'x', {}))),
      (e: unknown) => e instanceof KubeApiError && e.code === 409 && e.reason === 'AlreadyExists',
    );
  });

  it('resolves kinds through discovery, including a CRD, and refuses cluster-scoped ones', async (t) => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.kube-e2e.example.com' },
      spec: {
        group: 'kube-e2e.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    const crds: ResourceType = {
      group: 'apiextensions.k8s.io',
      version: 'v1',
      resource: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
    };
    await client.apply(crds, crd, { fieldManager: 'e2e', force: true });
    t.after(() => client.delete(crds, undefined, crd.metadata.name));
    let types: ResourceType[] = [];
    await eventually('the CRD to be served', async () => {
      try {
        types = await resolveResourceTypes(client, [
          'secrets',
          'configmaps',
          'ingresses.networking.k8s.io',
          'widgets.v1.kube-e2e.example.com',
          'Secret.v1',
          'Ingress.v1.networking.k8s.io',
          'deployments.apps',
          'wd.kube-e2e.example.com',
        ]);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(
      types.map((t) => `${t.resource}.${t.version}.${t.group}/${t.kind}`),
      [
        'secrets.v1./Secret',
        'configmaps.v1./ConfigMap',
        'ingresses.v1.networking.k8s.io/Ingress',
        'widgets.v1.kube-e2e.example.com/Widget',
        'deployments.v1.apps/Deployment',
      ],
    );
    await assert.rejects(resolveResourceTypes(client, ['namespaces']), /cluster-scoped/);
    await assert.rejects(resolveResourceTypes(client, ['clusterroles.rbac.authorization.k8s.io']), /cluster-scoped/);
    await assert.rejects(resolveResourceTypes(client, ['nosuchthings.example.com']), /not served/);
  });

  it('loads KUBECONFIG lists and names a missing context', () => {
    const loaded = loadKubeConfig({ env: { KUBECONFIG: `/nonexistent:${cp.kubeconfigPath}` } });
    assert.equal(loaded.server, cp.server);
    assert.throws(() => loadKubeConfig({ kubeconfig: cp.kubeconfigPath, context: 'nope' }), /context "nope" not found/);
  });
});
