// Switching from each peer: copies shaped exactly as each peer writes them are adopted by the controller (data
// unchanged, no delete, at most one write request per copy in the audit log, and one patch releasing the finalizer a
// stopped KubeMirror left on its source); then `kubectl reflect migrate` and a restart write nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import type { KubeObject } from '../../core/index.ts';
import { Labels, Provenance } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { CONFIGMAPS, NAMESPACES } from '../../kube/resource-type.ts';
import { runCli } from '../../plugin/cli.ts';
import { openSession } from '../../plugin/session.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient, createObjects } from './support/controller-harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';
import { eventually } from './support/eventually.ts';

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

describe('migrating from each peer to kube-reflect', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const prefix = `mig-${randomBytes(3).toString('hex')}`;
  const src = `${prefix}-src`;
  const a = `${prefix}-a`;
  const b = `${prefix}-b`;
  const data = { v: 'same' };
  const cm = (ns: string, name: string, labels: Record<string, string>, annotations: Record<string, string>) =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, labels, annotations },
      data,
    }) as KubeObject;
  // Sources, one per dialect, and the copies each peer made of them, as its code writes them.
  // KubeMirror puts its finalizer on every source it mirrors; a stopped KubeMirror leaves it there.
  const kmSource = cm(
    src,
    'km',
    { 'kubemirror.raczylo.com/enabled': 'true' },
    {
      'kubemirror.raczylo.com/sync': 'true',
      'kubemirror.raczylo.com/target-namespaces': a,
    },
  );
  kmSource.metadata.finalizers = ['kubemirror.raczylo.com/finalizer'];
  const objects: KubeObject[] = [
    kmSource,
    cm(
      a,
      'km',
      { 'kubemirror.raczylo.com/mirror': 'true', 'kubemirror.raczylo.com/managed-by': 'kubemirror' },
      {
        'kubemirror.raczylo.com/source-namespace': src,
        'kubemirror.raczylo.com/source-name': 'km',
        'kubemirror.raczylo.com/source-uid': 'old-uid',
        'kubemirror.raczylo.com/source-generation': '1',
        'kubemirror.raczylo.com/source-content-hash': 'abc',
        'kubemirror.raczylo.com/last-sync-time': '2026-01-01T00:00:00Z',
      },
    ),
    cm(src, 'kr', {}, { 'k8s-replicator/replicate-to-namespaces': a, 'k8s-replicator/replication-allowed': 'true' }),
    cm(
      a,
      'kr',
      { 'app.kubernetes.io/managed-by': 'k8s-replicator' },
      {
        'k8s-replicator/replicated-by': `${src}/kr`,
        'k8s-replicator/replicated-at': '2021-10-01T00:00:00Z',
        'k8s-replicator/replicated-from-version': '11',
        'k8s-replicator/replication-allowed': 'true',
      },
    ),
    cm(
      b,
      'kr-pull',
      {},
      {
        'k8s-replicator/replicate-from': `${src}/kr`,
        'k8s-replicator/replicated-at': '2021-10-01T00:00:00Z',
        'k8s-replicator/replicated-from-version': '11',
      },
    ),
    cm(
      src,
      'mw',
      { team: 'x' },
      {
        'replicator.v1.mittwald.de/replicate-to': a,
        'replicator.v1.mittwald.de/replication-allowed': 'true',
        'replicator.v1.mittwald.de/replication-allowed-namespaces': '.*',
      },
    ),
    cm(
      a,
      'mw',
      { team: 'x' },
      {
        'replicator.v1.mittwald.de/replicated-at': '2024-01-01T00:00:00Z',
        'replicator.v1.mittwald.de/replicated-from-version': '12',
        'replicator.v1.mittwald.de/replicated-keys': 'v',
      },
    ),
    cm(
      b,
      'mw-pull',
      {},
      {
        'replicator.v1.mittwald.de/replicate-from': `${src}/mw`,
        'replicator.v1.mittwald.de/replicated-at': '2024-01-01T00:00:00Z',
        'replicator.v1.mittwald.de/replicated-from-version': '12',
        'replicator.v1.mittwald.de/replicated-keys': 'v',
      },
    ),
    cm(src, 'kd', { tier: 'shared' }, { 'kubed.appscode.com/sync': `e2e-kubed=${prefix}`, note: 'hello' }),
    cm(
      a,
      'kd',
      {
        tier: 'shared',
        'kubed.appscode.com/origin.name': 'kd',
        'kubed.appscode.com/origin.namespace': src,
        'kubed.appscode.com/origin.cluster': '',
      },
      {
        note: 'hello',
        'kubed.appscode.com/origin': JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'kd',
          namespace: src,
          uid: 'u',
          resourceVersion: '3',
        }),
      },
    ),
    cm(
      src,
      'rf',
      {},
      {
        'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
        'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': a,
        'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
        'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': a,
      },
    ),
    cm(
      a,
      'rf',
      {},
      {
        'reflector.v1.k8s.emberstack.com/reflects': `${src}/rf`,
        'reflector.v1.k8s.emberstack.com/auto-reflects': 'True',
        'reflector.v1.k8s.emberstack.com/reflected-version': '13',
      },
    ),
  ];
  const copies = objects.filter((o) => o.metadata.namespace !== src);

  const controllerWrites = (since?: Date) =>
    cp
      .auditCounts({ namespacePrefix: prefix, ...(since ? { since } : {}) })
      .filter((c) => c.userAgent.startsWith('reflect-controller') && WRITE_VERBS.has(c.verb));

  before(async () => {
    buildController();
    cp = await useTestControlPlane();
    client = await adminClient();
    for (const name of [src, a, b]) {
      const labels = name === a ? { 'e2e-kubed': prefix } : {};
      await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    }
    await createObjects(client, objects);
  });
  after(async () => {
    for (const name of [src, a, b]) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
    client.close();
  });

  it('adopts every copy each peer made: data unchanged, nothing deleted, at most one write request per copy', async (t) => {
    const since = new Date();
    const proc = await startControllerProcess(cp.kubeconfigPath, ['--log-level', 'debug']);
    try {
      await proc.ready();
      const adopted = async () => {
        const live = await Promise.all(
          copies.map((c) => client.get<KubeObject>(CONFIGMAPS, c.metadata.namespace, c.metadata.name)),
        );
        return live.every((o) =>
          o.metadata.namespace === b
            ? o.metadata.annotations?.[Provenance.contentHash] !== undefined
            : o.metadata.labels?.[Labels.mirror] === 'true',
        );
      };
      await eventually('every copy adopted', adopted);
      await eventually("KubeMirror's finalizer released from its source", async () => {
        const live = await client.get<KubeObject>(CONFIGMAPS, src, 'km');
        return ((live.metadata.finalizers as string[] | undefined) ?? []).length === 0;
      });
      await sleep(2000);
      for (const c of copies) {
        const live = await client.get<KubeObject>(CONFIGMAPS, c.metadata.namespace, c.metadata.name);
        assert.deepEqual(live.data, data, `${c.metadata.namespace}/${c.metadata.name} data`);
      }
      // Every write request the controller sent, accepted or refused, from the API server's own audit log.
      const requests = cp
        .auditRequests({ namespacePrefix: prefix, since })
        .filter((r) => r.userAgent.startsWith('reflect-controller') && WRITE_VERBS.has(r.verb));
      const perObject = new Map<string, string[]>();
      for (const r of requests) {
        const key = `${r.namespace}/${r.name}`;
        perObject.set(key, [...(perObject.get(key) ?? []), `${r.verb}:${r.code}`]);
      }
      t.diagnostic(
        `controller write requests: ${requests.length} for ${copies.length} copies and 1 source: ${[...perObject]
          .map(([k, v]) => `${k.slice(prefix.length + 1)}=${v.join('+')}`)
          .join(' ')}`,
      );
      assert.ok(!requests.some((r) => r.verb.startsWith('delete')), 'nothing deleted');
      for (const c of copies) {
        const key = `${c.metadata.namespace}/${c.metadata.name}`;
        assert.deepEqual(perObject.get(key), ['patch:200'], `one accepted write request for ${key}`);
      }
      assert.deepEqual(perObject.get(`${src}/km`), ['patch:200'], 'one patch releasing the finalizer');
      assert.equal(requests.length, copies.length + 1, 'no other write requests');
      // The write path's log agrees: one successful write per copy and no refused one.
      const written = proc.logs.filter((l) => l.msg === 'mirror written' && l.outcome === 'done');
      assert.equal(written.length, copies.length);
      assert.equal(proc.logs.filter((l) => l.outcome === 'conflict').length, 0);
    } finally {
      await proc.kill('SIGTERM');
    }
  });

  it('kubectl reflect migrate moves every object to the native dialect, and a restarted controller writes nothing', async (t) => {
    let stdout = '';
    let stderr = '';
    for (const ns of [src, b]) {
      const code = await runCli(['migrate', '--kubeconfig', cp.kubeconfigPath, '-n', ns], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        stdin: Readable.from(['']) as never,
        env: {},
        openSession,
      });
      assert.equal(code, 0, stderr);
    }
    t.diagnostic(
      stdout
        .split('\n')
        .filter((l) => /migrated/.test(l))
        .join('; '),
    );
    for (const o of objects.filter((x) => x.metadata.namespace === src || x.metadata.namespace === b)) {
      const live = await client.get<KubeObject>(CONFIGMAPS, o.metadata.namespace, o.metadata.name);
      const keys = Object.keys(live.metadata.annotations ?? {});
      assert.ok(
        keys.some((k) => k.startsWith('kube-reflect.io/')),
        `${o.metadata.name} has native annotations`,
      );
      assert.ok(
        !keys.some((k) => /\/(replicate-to|replicate-from|sync|target-namespaces|reflection-allowed)$/.test(k)),
        `${o.metadata.name}: ${keys.join(',')}`,
      );
    }
    const since = new Date();
    const proc = await startControllerProcess(cp.kubeconfigPath);
    try {
      await proc.ready();
      // The positive marker: every source has been reconciled since the restart (writes would have happened by then).
      await eventually('the first reconcile of every source', () =>
        proc.logs.some((l) => l.msg === 'first reconcile of every source done'),
      );
    } finally {
      await proc.kill('SIGTERM');
    }
    const writes = controllerWrites(since);
    t.diagnostic(
      `controller writes after migrate and restart: ${writes.map((w) => `${w.verb}=${w.count}`).join(' ') || 'none'}`,
    );
    assert.equal(
      writes.reduce((n, w) => n + w.count, 0),
      0,
    );
  });
});
