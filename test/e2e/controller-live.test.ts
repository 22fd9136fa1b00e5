// The controller keeping mirrors live on a real API server: lifecycle, healing, permission changes and faults.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import { CONFIGMAPS, NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient, startController } from './support/controller-harness.ts';
import type { RunningController } from './support/controller-harness.ts';
import { eventually } from './support/eventually.ts';

describe('reflect-controller keeps mirrors live', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  let running: RunningController;
  const created: string[] = [];

  /** A namespace with a prefix unique to this run, so glob targets never reach other tests' namespaces. */
  const prefix = `live-${randomBytes(3).toString('hex')}`;
  async function namespace(suffix: string, labels: Record<string, string> = {}): Promise<string> {
    const name = `${prefix}-${suffix}`;
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    created.push(name);
    return name;
  }
  const get = (type = CONFIGMAPS, ns: string, name: string) =>
    client.get<KubeObject>(type, ns, name).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
  /** A TargetBlocked finding about `ns/cfg` in the controller's last reconciles. */
  const blocked = (ns: string) =>
    running
      .findings()
      // A blocked target is reported on the source, with the mirror it could not write in its detail.
      .some(
        (f) => f.reason === 'TargetBlocked' && f.detail?.mirror?.namespace === ns && f.detail.mirror.name === 'cfg',
      );
  const cm = (ns: string, name: string, data: Record<string, string>, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, annotations },
    data,
  });

  before(async () => {
    cp = await useTestControlPlane();
    client = await adminClient();
    running = await startController(client);
  });
  after(async () => {
    await running.stop();
    for (const ns of created) await client.delete(NAMESPACES, undefined, ns).catch(() => undefined);
    client.close();
  });

  it('mirrors into a namespace created after the source, in well under a second', async (t) => {
    const src = await namespace('src1');
    await client.create(CONFIGMAPS, cm(src, 'settings', { a: '1' }, { 'kube-reflect.io/to': `${prefix}-new*` }));
    const t0 = performance.now();
    const target = await namespace('new1');
    await eventually(
      'the mirror in the new namespace',
      async () => (await get(CONFIGMAPS, target, 'settings')) !== undefined,
    );
    t.diagnostic(`new namespace → mirror: ${Math.round(performance.now() - t0)} ms`);
  });

  it('updates every mirror when the source changes, recreates a deleted mirror and reverts an edited one', async () => {
    const src = await namespace('src2');
    const a = await namespace('t2a');
    const b = await namespace('t2b');
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: '1' }, { 'kube-reflect.io/to': `${a},${b}` }));
    await eventually(
      'both mirrors',
      async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined && (await get(CONFIGMAPS, b, 'cfg')) !== undefined,
    );
    await client.apply(CONFIGMAPS, cm(src, 'cfg', { v: '2' }, { 'kube-reflect.io/to': `${a},${b}` }), {
      fieldManager: 'e2e-user',
      force: true,
    });
    await eventually(
      'both mirrors updated',
      async () =>
        (await get(CONFIGMAPS, a, 'cfg'))?.data?.toString() !== undefined &&
        ((await get(CONFIGMAPS, a, 'cfg'))?.data as Record<string, string>)?.v === '2' &&
        ((await get(CONFIGMAPS, b, 'cfg'))?.data as Record<string, string>)?.v === '2',
    );
    await client.delete(CONFIGMAPS, a, 'cfg');
    await eventually('the deleted mirror recreated', async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined);
    await client.apply(
      CONFIGMAPS,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cfg', namespace: b },
        data: { v: 'hacked', extra: 'x' },
      },
      { fieldManager: 'intruder', force: true },
    );
    await eventually('the edit reverted, extra key included', async () => {
      const data = (await get(CONFIGMAPS, b, 'cfg'))?.data as Record<string, string> | undefined;
      return data?.v === '2' && data.extra === undefined;
    });
  });

  it('deletes mirrors when the source goes and leaves a same-named foreign object alone', async () => {
    const src = await namespace('src3');
    const a = await namespace('t3a');
    const b = await namespace('t3b');
    await client.create(CONFIGMAPS, { ...cm(b, 'cfg', { theirs: 'yes' }) });
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: '1' }, { 'kube-reflect.io/to': `${a},${b}` }));
    await eventually('the mirror in a', async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined);
    await eventually('the foreign object reported', () => blocked(b));
    await client.delete(CONFIGMAPS, src, 'cfg');
    await eventually('the mirror gone', async () => (await get(CONFIGMAPS, a, 'cfg')) === undefined);
    // The positive marker for "left alone": the controller has nothing left to do.
    await running.settle();
    assert.deepEqual((await get(CONFIGMAPS, b, 'cfg'))?.data, { theirs: 'yes' });
  });

  it('creates the mirror once a blocking foreign object is deleted', async () => {
    const src = await namespace('src4');
    const a = await namespace('t4a');
    await client.create(CONFIGMAPS, cm(a, 'cfg', { theirs: 'yes' }));
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: '1' }, { 'kube-reflect.io/to': a }));
    await eventually('the foreign object reported', () => blocked(a));
    assert.deepEqual((await get(CONFIGMAPS, a, 'cfg'))?.data, { theirs: 'yes' });
    await client.delete(CONFIGMAPS, a, 'cfg');
    await eventually(
      'our mirror in its place',
      async () => ((await get(CONFIGMAPS, a, 'cfg'))?.data as Record<string, string> | undefined)?.v === '1',
    );
  });

  it('creates a Secret mirror with a POST, and drops the labels and annotations its source drops, never those of others', async () => {
    const src = await namespace('src9');
    const a = await namespace('t9a');
    const source = (labels: Record<string, string>, annotations: Record<string, string>, v: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: src,
        labels,
        annotations: {
          'kube-reflect.io/to': a,
          'kube-reflect.io/copy-labels': 'all',
          'kube-reflect.io/copy-annotations': 'note, ticket',
          ...annotations,
        },
      },
      stringData: { v },
    });
    const opts = { fieldManager: 'e2e-user', force: true };
    await client.apply(SECRETS, source({ app: 'web', tier: 'gold' }, { note: 'hello', ticket: 'T-1' }, '1'), opts);
    await eventually('the mirror', async () => (await get(SECRETS, a, 'db'))?.metadata.labels?.tier === 'gold');
    const created = (await get(SECRETS, a, 'db'))!;
    // Made by a POST: our only managedFields entry is an Update one, and it owns the copied label.
    const entries = created.metadata.managedFields as { manager: string; operation: string; fieldsV1: unknown }[];
    assert.deepEqual(
      entries.filter((e) => e.manager === 'kube-reflect').map((e) => e.operation),
      ['Update'],
    );
    assert.match(JSON.stringify(entries[0]?.fieldsV1), /"f:tier"/);
    // kubectl label: a merge patch under a manager of its own.
    await client.mergePatch(
      SECRETS,
      a,
      'db',
      { metadata: { labels: { team: 'a' } } },
      { fieldManager: 'kubectl-label' },
    );
    // The source drops the label tier and the annotation note, and changes its data.
    await client.apply(SECRETS, source({ app: 'web' }, { ticket: 'T-1' }, '2'), opts);
    await eventually('the mirror updated', async () => {
      const m = await get(SECRETS, a, 'db');
      return (m?.data as Record<string, string> | undefined)?.v === Buffer.from('2').toString('base64');
    });
    await running.settle();
    const mirror = (await get(SECRETS, a, 'db'))!;
    assert.equal(mirror.metadata.labels?.tier, undefined, 'the label the source dropped');
    assert.equal(mirror.metadata.annotations?.note, undefined, 'the annotation the source dropped');
    assert.equal(mirror.metadata.labels?.app, 'web');
    assert.equal(mirror.metadata.annotations?.ticket, 'T-1');
    assert.equal(mirror.metadata.labels?.team, 'a', "kubectl's label stays");
  });

  it('removes auto mirrors when permission is withdrawn, clears pull mirrors that ask for it and keeps the others', async () => {
    const src = await namespace('src5');
    const a = await namespace('t5a');
    const b = await namespace('t5b');
    const allowBoth = {
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': `${a},${b}`,
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': a,
    };
    const secret = (annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: src, annotations },
      stringData: { password: 's3cr3t' },
    });
    await client.create(SECRETS, secret(allowBoth));
    await client.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'keep',
        namespace: b,
        annotations: { 'reflector.v1.k8s.emberstack.com/reflects': `${src}/db` },
      },
    });
    await client.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'clear',
        namespace: b,
        annotations: { 'kube-reflect.io/from': `${src}/db`, 'kube-reflect.io/on-source-loss': 'clear' },
      },
    });
    await eventually('auto mirror and both pull mirrors filled', async () => {
      const auto = await get(SECRETS, a, 'db');
      const keep = await get(SECRETS, b, 'keep');
      const clear = await get(SECRETS, b, 'clear');
      return auto !== undefined && keep?.data !== undefined && clear?.data !== undefined;
    });
    await client.apply(
      SECRETS,
      secret({ ...allowBoth, 'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': 'nowhere' }),
      { fieldManager: 'e2e-user', force: true },
    );
    await eventually('auto mirror removed and the clear-on-loss mirror emptied', async () => {
      const auto = await get(SECRETS, a, 'db');
      const clear = await get(SECRETS, b, 'clear');
      return auto === undefined && (clear?.data === undefined || Object.keys(clear.data as object).length === 0);
    });
    assert.ok(
      ((await get(SECRETS, b, 'keep'))?.data as Record<string, string>).password,
      'the keep mirror keeps its data, as Reflector does',
    );
  });

  it('converges after kube-apiserver restarts mid-watch, losing nothing', async () => {
    const src = await namespace('src6');
    const a = await namespace('t6a');
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: '1' }, { 'kube-reflect.io/to': a }));
    await eventually('the mirror', async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined);
    await client.apply(CONFIGMAPS, cm(src, 'cfg', { v: '2' }, { 'kube-reflect.io/to': a }), {
      fieldManager: 'e2e-user',
      force: true,
    });
    await cp.restartApiserver();
    const b = await namespace('t6b');
    await client.apply(CONFIGMAPS, cm(src, 'cfg', { v: '3' }, { 'kube-reflect.io/to': `${a},${b}` }), {
      fieldManager: 'e2e-user',
      force: true,
    });
    await eventually(
      'both mirrors at v3 after the restart',
      async () => {
        const x = (await get(CONFIGMAPS, a, 'cfg'))?.data as Record<string, string> | undefined;
        const y = (await get(CONFIGMAPS, b, 'cfg'))?.data as Record<string, string> | undefined;
        return x?.v === '3' && y?.v === '3';
      },
      40_000,
    );
    assert.ok(Object.values(running.controller.health()).every((h) => !h.stale));
  });

  it('relists exactly once when its watch expires (410 Gone) and keeps converging', async () => {
    const before = running.controller.health().configmaps!.relists;
    running.controller.forceRelist('configmaps');
    await eventually('one relist', () => running.controller.health().configmaps!.relists === before + 1);
    const src = await namespace('src7');
    const a = await namespace('t7a');
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: '1' }, { 'kube-reflect.io/to': a }));
    await eventually('the mirror after the relist', async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined);
    await running.settle();
    assert.equal(running.controller.health().configmaps!.relists, before + 1);
  });

  it('does not hot-loop against a competing writer: at most one correction per foreign write', async (t) => {
    const src = await namespace('src8');
    const a = await namespace('t8a');
    await client.create(CONFIGMAPS, cm(src, 'cfg', { v: 'ours' }, { 'kube-reflect.io/to': a }));
    await eventually('the mirror', async () => (await get(CONFIGMAPS, a, 'cfg')) !== undefined);
    const writesBefore = running.writes(`ConfigMap/${a}/cfg`);
    let fights = 0;
    for (const end = Date.now() + 3000; Date.now() < end; fights++) {
      await client.apply(
        CONFIGMAPS,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cfg', namespace: a },
          data: { v: `theirs-${fights}` },
        },
        { fieldManager: 'competitor', force: true },
      );
      await sleep(100);
    }
    await eventually(
      'ours again',
      async () => ((await get(CONFIGMAPS, a, 'cfg'))?.data as Record<string, string>).v === 'ours',
    );
    await running.settle();
    const corrections = running.writes(`ConfigMap/${a}/cfg`) - writesBefore;
    t.diagnostic(`competitor wrote ${fights} times; the controller corrected ${corrections} times`);
    assert.ok(corrections <= fights + 2, `${corrections} corrections for ${fights} foreign writes`);
  });
});
