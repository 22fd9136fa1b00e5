import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, NamespaceInfo } from '../core/index.ts';
import { CONFIGMAPS } from '../kube/resource-type.ts';
import type { ApplyOptions, CreateOptions } from '../kube/client.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { MemoryCluster } from '../kube/test-support/memory-cluster.ts';
import { cacheForm, KindIndex } from './kind-index.ts';
import { reconcileSource } from './reconcile.ts';
import type { ReconcileDeps } from './reconcile.ts';

const NAMESPACES: NamespaceInfo[] = ['platform', 'team-a', 'team-b', 'team-c'].map((name) => ({ name, labels: {} }));

const source = (to: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'platform', annotations: { 'kube-reflect.io/to': to } },
  data,
});

/**
 * A memory cluster and an index filled once from it, with no watch: the index sees only what the reconciles write
 * through, as a controller whose watch has not delivered its own writes yet.
 */
async function setup<C extends MemoryCluster>(objects: KubeObject[], cluster: C = new MemoryCluster() as C) {
  for (const o of objects) await cluster.create(CONFIGMAPS, o, { fieldManager: 'user' });
  const index = new KindIndex('v1', 'ConfigMap');
  const requeued: string[] = [];
  for (const o of cluster.all(CONFIGMAPS))
    index.update(`${o.metadata.namespace}/${o.metadata.name}`, cacheForm(o, 'v1', 'ConfigMap'));
  const deps: ReconcileDeps = {
    client: cluster,
    type: CONFIGMAPS,
    index,
    namespaces: () => NAMESPACES,
    excluded: new Set(),
    requeue: (keys) => requeued.push(...keys),
    limit: (fn) => fn(),
  };
  return { cluster, index, deps, requeued };
}

/** Sends one watch event to the index as the informer would (the object in its cache form). */
function deliver(index: KindIndex, o: KubeObject): void {
  index.update(`${o.metadata.namespace}/${o.metadata.name}`, cacheForm(structuredClone(o), 'v1', 'ConfigMap'));
}

describe('reconcile writes through to the cache what the server answered', () => {
  it('a reconcile right after creating mirrors, before any watch event, plans nothing and writes nothing', async () => {
    const { cluster, index, deps } = await setup([source('team-*')]);
    const first = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(
      first.writes.map((w) => [w.action, w.outcome]),
      [
        ['apply', 'done'],
        ['apply', 'done'],
        ['apply', 'done'],
      ],
    );
    const before = cluster.requests.length;
    const again = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(again.plan.apply, []);
    assert.deepEqual(again.writes, []);
    assert.equal(cluster.requests.length, before, 'no request at all');
    // The watch echoes of those creates then change nothing.
    for (const o of cluster.all(CONFIGMAPS)) deliver(index, o);
    assert.deepEqual((await reconcileSource(deps, 'platform/cfg')).writes, []);
  });

  it('records the answer of the patch that removes keys someone else added, not the apply before it', async () => {
    const { cluster, index, deps } = await setup([source('team-a')]);
    await reconcileSource(deps, 'platform/cfg');
    // Someone owns a key in the mirror, and the source changes: the update keeps that key, the patch removes it.
    const extra = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'team-a' },
      data: { extra: 'x' },
    };
    await cluster.apply(CONFIGMAPS, extra, { fieldManager: 'someone' });
    await cluster.apply(CONFIGMAPS, source('team-a', { k: 'w' }), { fieldManager: 'user' });
    for (const o of cluster.all(CONFIGMAPS)) deliver(index, o);
    const update = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(
      update.writes.map((w) => [w.action, w.outcome]),
      [['apply', 'done']],
    );
    assert.equal(cluster.requests.at(-1)?.verb, 'patch');
    const live = cluster.all(CONFIGMAPS).find((o) => o.metadata.namespace === 'team-a')!;
    assert.deepEqual(live.data, { k: 'w' });
    assert.equal(index.get('team-a/cfg')?.metadata.resourceVersion, live.metadata.resourceVersion);
    const before = cluster.requests.length;
    assert.deepEqual((await reconcileSource(deps, 'platform/cfg')).writes, []);
    assert.equal(cluster.requests.length, before);
  });

  it('forgets a mirror it deleted, so the next reconcile does not delete it again', async () => {
    const { cluster, index, deps } = await setup([source('team-*')]);
    await reconcileSource(deps, 'platform/cfg');
    for (const o of cluster.all(CONFIGMAPS)) deliver(index, o);
    await cluster.apply(CONFIGMAPS, source('team-a'), { fieldManager: 'user' });
    deliver(
      index,
      cluster.all(CONFIGMAPS).find((o) => o.metadata.namespace === 'platform')!,
    );
    const shrink = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(
      shrink.writes.map((w) => [w.action, w.outcome]),
      [
        ['delete', 'done'],
        ['delete', 'done'],
      ],
    );
    assert.equal(index.get('team-b/cfg'), undefined);
    const before = cluster.requests.length;
    assert.deepEqual((await reconcileSource(deps, 'platform/cfg')).writes, []);
    assert.equal(cluster.requests.length, before);
  });
});

/** A cluster whose watch is faster than its answers: after each create or apply, `meanwhile` runs before the answer. */
class EchoFirstCluster extends MemoryCluster {
  meanwhile: (written: KubeObject) => Promise<void> = async () => {};
  override async create<T = unknown>(type: ResourceType, body: object, options?: CreateOptions): Promise<T> {
    const written = await super.create<KubeObject>(type, body, options);
    await this.meanwhile(written);
    return written as T;
  }
  override async apply<T = unknown>(type: ResourceType, body: object, options: ApplyOptions): Promise<T> {
    const written = await super.apply<KubeObject>(type, body, options);
    await this.meanwhile(written);
    return written as T;
  }
}

describe('reconcile holds the watch events of a mirror while its write is in flight', () => {
  it('an echo that beats the answer queues nothing; news about the mirror meanwhile queues its source', async () => {
    const { cluster, index, deps, requeued } = await setup([source('team-a')], new EchoFirstCluster());
    const seen: string[][] = [];
    cluster.meanwhile = async (written) => {
      seen.push(index.update(`team-a/cfg`, cacheForm(structuredClone(written), 'v1', 'ConfigMap')));
    };
    const first = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(
      first.writes.map((w) => [w.action, w.outcome]),
      [['apply', 'done']],
    );
    assert.deepEqual(seen, [[]], 'the echo is held, not handed to the queue');
    assert.deepEqual(requeued, [], 'and it was only our own write');
    assert.equal(
      index.get('team-a/cfg')?.metadata.resourceVersion,
      cluster.all(CONFIGMAPS).find((o) => o.metadata.namespace === 'team-a')?.metadata.resourceVersion,
    );

    // The source changes; while our update is in flight someone writes the mirror after us and the watch says so first.
    cluster.meanwhile = async () => {};
    await cluster.apply(CONFIGMAPS, source('team-a', { k: 'w' }), { fieldManager: 'user' });
    deliver(
      index,
      cluster.all(CONFIGMAPS).find((o) => o.metadata.namespace === 'platform')!,
    );
    cluster.meanwhile = async () => {
      cluster.meanwhile = async () => {};
      await cluster.apply(
        CONFIGMAPS,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'team-a' }, data: { k: 'edited' } },
        { fieldManager: 'someone', force: true },
      );
      deliver(
        index,
        cluster.all(CONFIGMAPS).find((o) => o.metadata.namespace === 'team-a')!,
      );
    };
    await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(requeued, ['platform/cfg'], 'the edit is news: the source is reconciled again');
    const again = await reconcileSource(deps, 'platform/cfg');
    assert.deepEqual(
      again.writes.map((w) => [w.action, w.outcome]),
      [['apply', 'done']],
      'and the drift is reverted',
    );
  });
});
