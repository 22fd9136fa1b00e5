import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube-object.ts';
import { CrossCluster, TeleportCrossCluster } from '../names.ts';
import { pairOfLocal, pairOfLocalNamespace, pairOfRemote } from './mapping.ts';
import { planPair } from './plan.ts';
import { secretUploadHash } from './secret-hash.ts';
import { applyAction, testSettings as settings } from './test-support.ts';
import type { PairState } from './types.ts';

const key = { namespace: 'tenant-a', name: 'db' };
const remote = (extra: Partial<KubeObject['metadata']> = {}, spec: unknown = { size: 3 }): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Database',
  metadata: {
    name: 'db-east',
    namespace: 'tenant-a',
    uid: 'remote-uid',
    resourceVersion: '10',
    generation: 2,
    finalizers: [CrossCluster.finalizer],
    labels: { team: 'a' },
    annotations: { note: 'x' },
    ...extra,
  },
  spec,
});
const empty: PairState = { key, remote: undefined, local: undefined, localNamespace: undefined, localSecrets: [] };

function converge(state: PairState): { state: PairState; kinds: string[] } {
  const kinds: string[] = [];
  for (let round = 0; round < 10; round++) {
    const plan = planPair(settings, state);
    if (plan.actions.length === 0) return { state, kinds };
    for (const a of plan.actions) {
      kinds.push(a.kind);
      state = applyAction(state, a);
    }
  }
  throw new Error('did not converge');
}

describe('cross-cluster naming', () => {
  it('maps remote names by prefix and suffix, and ignores objects without them', () => {
    assert.deepEqual(pairOfRemote(settings, 'tenant-a', 'db-east'), key);
    assert.equal(pairOfRemote(settings, 'tenant-a', 'db'), undefined);
    assert.equal(pairOfRemote(settings, 'other', 'db-east'), undefined);
    assert.equal(pairOfRemote(settings, 'tenant-a', '-east'), undefined);
    assert.deepEqual(pairOfLocal(settings, 'tenant-a-local', 'db'), key);
    assert.equal(pairOfLocal(settings, 'tenant-a', 'db'), undefined);
    assert.equal(pairOfLocal(settings, 'other-local', 'db'), undefined);
    assert.deepEqual(
      pairOfLocalNamespace(
        settings,
        'tenant-a-local',
        { [CrossCluster.namespaceOwner]: 'db' },
        CrossCluster.namespaceOwner,
      ),
      key,
    );
    assert.equal(pairOfLocalNamespace(settings, 'tenant-a-local', {}, CrossCluster.namespaceOwner), undefined);
  });

  it('uses the seed names exactly under the Teleport dialect', () => {
    assert.deepEqual(TeleportCrossCluster, {
      paused: 'cloud.teleport.dev/paused',
      namespaceOwner: 'cloud.teleport.dev/sync-owner',
      lastUploadedHash: 'cloud.teleport.dev/last-uploaded-hash',
      remoteGeneration: 'cloud.teleport.dev/sync-remote-generation',
      localGeneration: 'cloud.teleport.dev/sync-local-generation',
      finalizer: 'cloud.teleport.dev/sync-local',
    });
  });
});

describe('planPair', () => {
  it('claims a new remote object with the finalizer first, and nothing else', () => {
    const plan = planPair(settings, { ...empty, remote: remote({ finalizers: [] }) });
    assert.deepEqual(
      plan.actions.map((a) => a.kind),
      ['add-finalizer'],
    );
  });

  it('creates the namespace with the owner annotation, copies spec, labels and annotations, then records generations', () => {
    const { state, kinds } = converge({ ...empty, remote: remote({ finalizers: [] }) });
    assert.deepEqual(kinds, ['add-finalizer', 'create-namespace', 'create-local', 'set-generations']);
    assert.deepEqual(state.localNamespace?.annotations, { [CrossCluster.namespaceOwner]: 'db' });
    assert.equal(state.local?.metadata.namespace, 'tenant-a-local');
    assert.equal(state.local?.metadata.name, 'db');
    assert.deepEqual(state.local?.spec, { size: 3 });
    assert.deepEqual(state.local?.metadata.labels, { team: 'a' });
    assert.equal(state.remote?.metadata.annotations?.[CrossCluster.remoteGeneration], '2');
    assert.equal(state.remote?.metadata.annotations?.[CrossCluster.localGeneration], '1');
    assert.equal(planPair(settings, state).phase, 'InSync');
  });

  it('reverts a local spec edit and uploads local status to the status subresource', () => {
    const { state } = converge({ ...empty, remote: remote() });
    const edited = structuredClone(state);
    edited.local!.spec = { size: 99 };
    edited.local!.status = { ready: true };
    const plan = planPair(settings, edited);
    assert.deepEqual(
      plan.actions.map((a) => a.kind),
      ['upload-status', 'update-local'],
    );
    const update = plan.actions[1];
    assert.ok(update?.kind === 'update-local');
    assert.deepEqual(update.object.spec, { size: 3 });
  });

  it('never copies our own reflection annotations or the generation annotations down', () => {
    const r = remote({
      annotations: {
        keep: '1',
        'kube-reflect.io/to': 'all',
        [CrossCluster.remoteGeneration]: '1',
        'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      },
    });
    const { state } = converge({ ...empty, remote: r });
    assert.deepEqual(state.local?.metadata.annotations, { keep: '1' });
  });

  it('does nothing while either side is paused', () => {
    const { state } = converge({ ...empty, remote: remote() });
    const a = structuredClone(state);
    a.local!.spec = { size: 1 };
    a.local!.metadata.annotations = { [CrossCluster.paused]: 'true' };
    assert.deepEqual(planPair(settings, a).actions, []);
    assert.equal(planPair(settings, a).pausedBy, 'local');
    const b = structuredClone(state);
    b.remote!.metadata.annotations = { ...b.remote!.metadata.annotations, [CrossCluster.paused]: 'true' };
    b.remote!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    assert.deepEqual(planPair(settings, b).actions, []);
    assert.equal(planPair(settings, b).pausedBy, 'remote');
  });

  it('deletes the whole local namespace when the remote goes, only if we created it, then releases the finalizer', () => {
    const { state } = converge({ ...empty, remote: remote() });
    state.remote!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const plan = planPair(settings, state);
    assert.deepEqual(plan.actions, [
      {
        kind: 'delete-namespace',
        side: 'local',
        name: 'tenant-a-local',
        uid: 'ns-uid',
        propagationPolicy: 'Foreground',
      },
    ]);
    const { state: after, kinds } = converge(state);
    assert.deepEqual(kinds, ['delete-namespace', 'remove-finalizer']);
    assert.equal(after.remote, undefined);
  });

  it('deletes nothing local when the namespace was not created by us, and still releases the remote', () => {
    const start: PairState = {
      ...empty,
      remote: remote(),
      localNamespace: { name: 'tenant-a-local', uid: 'u', annotations: {}, terminating: false },
    };
    const { state } = converge(start);
    assert.ok(state.local);
    state.remote!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const { state: after, kinds } = converge(state);
    assert.deepEqual(kinds, ['remove-finalizer']);
    assert.ok(after.local, 'the local object stays');
    assert.ok(after.localNamespace, 'the namespace stays');
  });

  it('does not delete a namespace another object created', () => {
    const ns = {
      name: 'tenant-a-local',
      uid: 'u',
      annotations: { [CrossCluster.namespaceOwner]: 'other' },
      terminating: false,
    };
    const plan = planPair(settings, { ...empty, localNamespace: ns });
    assert.deepEqual(plan.actions, []);
  });

  it('uploads a controlled Secret after status, once, and never one it does not control', () => {
    const { state } = converge({ ...empty, remote: remote() });
    const secret = (uid: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'tenant-a-local', ownerReferences: [{ controller: true, uid }] },
      type: 'Opaque',
      data: { token: 'dG9r' },
    });
    const foreign = planPair(settings, { ...state, localSecrets: [secret('someone-else')] });
    assert.deepEqual(foreign.actions, []);
    const s = { ...state, localSecrets: [secret('local-uid')] };
    s.local = { ...s.local!, status: { ready: true } };
    const plan = planPair(settings, s);
    assert.deepEqual(
      plan.actions.map((a) => a.kind),
      ['upload-status', 'upload-secret', 'record-secret-hash'],
    );
    const upload = plan.actions[1];
    assert.ok(upload?.kind === 'upload-secret');
    assert.equal(upload.secret.metadata.name, 'creds-east');
    assert.equal(upload.secret.metadata.namespace, 'tenant-a');
    assert.deepEqual(upload.secret.metadata.ownerReferences, [
      { apiVersion: 'example.com/v1', kind: 'Database', name: 'db-east', uid: 'remote-uid', controller: true },
    ]);
    const { kinds } = converge(s);
    assert.deepEqual(kinds, ['upload-status', 'upload-secret', 'record-secret-hash']);
  });

  it('hashes a Secret the way the seed (Go encoding/json) does', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { b: '<&>', a: '1', [CrossCluster.lastUploadedHash]: 'old' } },
      type: 'Opaque',
      data: { k: 'dg==' },
    };
    // Go's json.Marshal + sha256 (checked with go run) of [{"k":"dg=="},"Opaque",{"a":"1","b":"\u003c\u0026\u003e"},null]
    assert.equal(
      secretUploadHash(secret, CrossCluster.lastUploadedHash),
      'cee0b0928a76ad3b5ef2ad7442239e23253ac4ce19d6d5fe04fe6f097e9276c0',
    );
  });

  it('waits for a terminating local object instead of copying into it', () => {
    const { state } = converge({ ...empty, remote: remote() });
    state.local!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    state.remote!.spec = { size: 5 };
    const plan = planPair(settings, state);
    assert.equal(plan.phase, 'Waiting');
    assert.deepEqual(plan.actions, []);
  });

  it('reports a local namespace name the suffix makes invalid', () => {
    const long = { namespace: `tenant-${'x'.repeat(55)}`, name: 'db' };
    const plan = planPair(settings, { ...empty, key: long, remote: remote({ namespace: long.namespace }) });
    assert.equal(plan.phase, 'Invalid');
    assert.deepEqual(plan.actions, []);
  });

  it('never copies into an excluded local namespace, and releases a claim made before the exclusion', () => {
    const excluded = { ...settings, excludeNamespaces: ['tenant-a-local'] };
    const plan = planPair(excluded, { ...empty, remote: remote({ finalizers: [] }) });
    assert.equal(plan.phase, 'Invalid');
    assert.match(plan.reason ?? '', /excluded/);
    assert.deepEqual(plan.actions, []);
    const going = planPair(excluded, {
      ...empty,
      remote: remote({ deletionTimestamp: '2026-01-01T00:00:00Z' }),
      localNamespace: {
        name: 'tenant-a-local',
        uid: 'u',
        annotations: { [CrossCluster.namespaceOwner]: 'db' },
        terminating: false,
      },
    });
    assert.deepEqual(
      going.actions.map((a) => a.kind),
      ['remove-finalizer'],
      'not even a namespace we created is deleted once it is excluded',
    );
  });

  it('with an empty prefix and suffix, a remote object in kube-system is not copied into the excluded local kube-system', () => {
    const open = { ...settings, namespacePrefix: '', localNamespaceSuffix: '', excludeNamespaces: ['kube-system'] };
    const k = pairOfRemote(open, 'kube-system', 'evil-east')!;
    const plan = planPair(open, { ...empty, key: k, remote: remote({ namespace: 'kube-system', name: 'evil-east' }) });
    assert.equal(plan.phase, 'Invalid');
    assert.deepEqual(plan.actions, []);
  });

  it('refuses a local name that removing the suffix makes invalid ("db--east" → "db-")', () => {
    const k = pairOfRemote(settings, 'tenant-a', 'db--east')!;
    assert.equal(k.name, 'db-');
    const plan = planPair(settings, { ...empty, key: k, remote: remote({ name: 'db--east', finalizers: [] }) });
    assert.equal(plan.phase, 'Invalid');
    assert.match(plan.reason ?? '', /not a valid object name/);
    assert.deepEqual(plan.actions, []);
  });

  it('ignores a remote namespace not in --remote-namespaces on both sides: a local namespace we created stays', () => {
    const only = { ...settings, remoteNamespaces: ['tenant-b'] };
    assert.equal(pairOfRemote(only, 'tenant-a', 'db-east'), undefined);
    assert.equal(pairOfLocal(only, 'tenant-a-local', 'db'), undefined);
    assert.deepEqual(pairOfLocal(only, 'tenant-b-local', 'db'), { namespace: 'tenant-b', name: 'db' });
    // The remote is unseen (not watched), which must not read as deleted.
    const plan = planPair(only, {
      ...empty,
      localNamespace: {
        name: 'tenant-a-local',
        uid: 'u',
        annotations: { [CrossCluster.namespaceOwner]: 'db' },
        terminating: false,
      },
    });
    assert.equal(plan.phase, 'Invalid');
    assert.deepEqual(plan.actions, []);
  });
});
