import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListOptions, ListResult } from '../../kube/client.ts';
import { MemoryCluster } from '../../kube/test-support/memory-cluster.ts';
import { SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { clusterSession } from '../testdata/harness.ts';
import { LiveWorld } from './live-world.ts';

const settle = () => new Promise((r) => setTimeout(r, 20));

/** The in-memory cluster, with the namespaced lists held until released and every list's scope recorded. */
async function heldCluster() {
  const cluster = new MemoryCluster();
  await cluster.apply(
    SECRETS,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
      data: { v: 'eA==' },
    },
    { fieldManager: 'test' },
  );
  const lists: string[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const client = Object.create(cluster) as MemoryCluster;
  client.list = async <T>(type: ResourceType, options: ListOptions<T> = {}): Promise<ListResult<T>> => {
    lists.push(`${type.resource}${options.namespace === undefined ? '' : ` -n ${options.namespace}`}`);
    if (options.namespace !== undefined) await held;
    return cluster.list(type, options);
  };
  return { client, lists, release };
}

describe('LiveWorld', () => {
  it("starts the cluster-wide lists only once the namespace's own read has answered", async () => {
    const { client, lists, release } = await heldCluster();
    const session = await clusterSession(client, { namespace: 'platform' });
    const world = new LiveWorld(session);
    try {
      const first = world.readNamespace('platform');
      const synced = world.start();
      await settle();
      assert.deepEqual(lists, ['secrets -n platform', 'configmaps -n platform']);
      release();
      assert.deepEqual(
        (await first).map((o) => o.metadata.name),
        ['db'],
      );
      await synced;
      assert.deepEqual(lists.slice(2).sort(), ['configmaps', 'namespaces', 'secrets']);
      assert.equal(world.synced, true);
    } finally {
      release();
      await world.stop();
    }
  });

  it('starts the cluster-wide lists at once when no namespace is read first (--all-namespaces)', async () => {
    const { client, lists } = await heldCluster();
    const world = new LiveWorld(await clusterSession(client, { namespace: 'platform' }));
    try {
      await world.start();
      assert.deepEqual([...lists].sort(), ['configmaps', 'namespaces', 'secrets']);
    } finally {
      await world.stop();
    }
  });

  it('never starts the cluster-wide lists when stopped while the namespace is still being read', async () => {
    const { client, lists, release } = await heldCluster();
    const world = new LiveWorld(await clusterSession(client, { namespace: 'platform' }));
    const first = world.readNamespace('platform');
    const started = world.start();
    await world.stop();
    release();
    await first;
    await assert.rejects(started);
    await settle();
    assert.deepEqual(lists, ['secrets -n platform', 'configmaps -n platform']);
  });
});
