import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../kube-object.ts';
import { CrossCluster } from '../names.ts';
import { controllerUid, planPair } from './plan.ts';
import { applyAction, testSettings as settings } from './test-support.ts';
import type { PairAction, PairState } from './types.ts';

const key = { namespace: 'tenant-a', name: 'db' };
const small = fc.constantFrom<unknown>(undefined, {}, { size: 1 }, { size: 2, tier: 'gold' }, { ready: true });
const annotations = fc.dictionary(
  fc.constantFrom(
    CrossCluster.paused,
    CrossCluster.remoteGeneration,
    CrossCluster.localGeneration,
    'note',
    'kube-reflect.io/to',
  ),
  fc.constantFrom('true', 'false', '1', '2', 'all'),
  { maxKeys: 3 },
);
const labels = fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('a', 'b'), { maxKeys: 2 });
const deletion = fc.constantFrom<string | undefined>(undefined, undefined, '2026-01-01T00:00:00Z');

const remoteArb = fc
  .record({
    spec: small,
    status: small,
    annotations,
    labels,
    finalizers: fc.subarray([CrossCluster.finalizer, 'other.example.com/keep']),
    deletionTimestamp: deletion,
    generation: fc.integer({ min: 1, max: 5 }),
  })
  .map((r): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Database',
    metadata: {
      name: 'db-east',
      namespace: 'tenant-a',
      uid: 'remote-uid',
      resourceVersion: '10',
      generation: r.generation,
      labels: r.labels,
      annotations: r.annotations,
      finalizers: r.finalizers,
      ...(r.deletionTimestamp ? { deletionTimestamp: r.deletionTimestamp } : {}),
    },
    ...(r.spec === undefined ? {} : { spec: r.spec }),
    ...(r.status === undefined ? {} : { status: r.status }),
  }));
const localArb = fc
  .record({
    spec: small,
    status: small,
    annotations,
    labels,
    deletionTimestamp: deletion,
    generation: fc.integer({ min: 1, max: 5 }),
  })
  .map((r): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Database',
    metadata: {
      name: 'db',
      namespace: 'tenant-a-local',
      uid: 'local-uid',
      resourceVersion: '3',
      generation: r.generation,
      labels: r.labels,
      annotations: r.annotations,
      ...(r.deletionTimestamp ? { deletionTimestamp: r.deletionTimestamp } : {}),
    },
    ...(r.spec === undefined ? {} : { spec: r.spec }),
    ...(r.status === undefined ? {} : { status: r.status }),
  }));
const nsArb = fc.record({
  owner: fc.constantFrom<string | undefined>(undefined, 'db', 'other'),
  terminating: fc.boolean(),
});
const secretArb = fc.record({
  name: fc.constantFrom('creds', 'unlisted'),
  controller: fc.constantFrom<string | undefined>('local-uid', 'someone-else', undefined),
  data: fc.constantFrom({ t: 'YQ==' }, { t: 'Yg==' }),
  hashed: fc.boolean(),
});
const stateArb: fc.Arbitrary<PairState> = fc
  .record({
    remote: fc.option(remoteArb, { nil: undefined }),
    local: fc.option(localArb, { nil: undefined }),
    ns: fc.option(nsArb, { nil: undefined }),
    secrets: fc.array(secretArb, { maxLength: 2 }),
  })
  .map(({ remote, local, ns, secrets }) => ({
    key,
    remote,
    local: ns === undefined ? undefined : local,
    localNamespace:
      ns === undefined
        ? undefined
        : {
            name: 'tenant-a-local',
            uid: 'ns-uid',
            annotations: ns.owner ? { [CrossCluster.namespaceOwner]: ns.owner } : {},
            terminating: ns.terminating,
          },
    localSecrets:
      ns === undefined
        ? []
        : secrets.map((s, i): KubeObject => ({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {
              name: i === 0 ? s.name : `${s.name}-${i}`,
              namespace: 'tenant-a-local',
              ...(s.controller ? { ownerReferences: [{ controller: true, uid: s.controller }] } : {}),
              ...(s.hashed ? { annotations: { [CrossCluster.lastUploadedHash]: 'stale' } } : {}),
            },
            type: 'Opaque',
            data: s.data,
          })),
  }));

const REMOTE_KINDS = new Set([
  'add-finalizer',
  'remove-finalizer',
  'upload-status',
  'upload-secret',
  'set-generations',
]);

function run(state: PairState): { rounds: PairAction[][]; final: PairState } {
  const rounds: PairAction[][] = [];
  for (let i = 0; i < 12; i++) {
    const plan = planPair(settings, state);
    if (plan.actions.length === 0) return { rounds, final: state };
    rounds.push(plan.actions);
    for (const a of plan.actions) state = applyAction(state, a);
  }
  throw new Error(`no convergence: ${JSON.stringify(rounds.slice(-2))}`);
}

describe('planPair properties', () => {
  it('never writes a remote spec: remote actions carry status, finalizers, generations or a Secret only', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        for (const a of planPair(settings, state).actions) {
          if (a.side !== 'remote') continue;
          assert.ok(REMOTE_KINDS.has(a.kind));
          assert.ok(!('spec' in a) && !('object' in a));
          if (a.kind === 'upload-secret') assert.equal(a.secret.kind, 'Secret');
          if (a.kind === 'set-generations')
            assert.deepEqual(
              Object.keys(a.annotations).sort(),
              [CrossCluster.localGeneration, CrossCluster.remoteGeneration].sort(),
            );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never deletes a local namespace it did not create, and deletes nothing else local', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        for (const a of planPair(settings, state).actions) {
          if (a.kind !== 'delete-namespace') continue;
          assert.equal(state.localNamespace?.annotations[CrossCluster.namespaceOwner], 'db');
          assert.equal(a.name, 'tenant-a-local');
          assert.ok(state.remote === undefined || state.remote.metadata.deletionTimestamp);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never uploads a Secret the local object does not control, and only after its status is uploaded', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const actions = planPair(settings, state).actions;
        actions.forEach((a, i) => {
          if (a.kind !== 'upload-secret') return;
          const name = a.secret.metadata.name.slice(0, -settings.remoteResourceSuffix.length);
          assert.ok(settings.localSecretNames.includes(name));
          const local = state.localSecrets.find((s) => s.metadata.name === name);
          assert.ok(local && controllerUid(local) === state.local?.metadata.uid);
          const status = actions.findIndex((x) => x.kind === 'upload-status');
          assert.ok(status < i, 'status goes first');
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('never writes an excluded local namespace, and only releases the remote there', () => {
    const excluded = { ...settings, excludeNamespaces: ['tenant-a-local'] };
    fc.assert(
      fc.property(stateArb, (state) => {
        const { rounds, final } = (() => {
          const out: PairAction[][] = [];
          let s = state;
          for (let i = 0; i < 4; i++) {
            const plan = planPair(excluded, s);
            assert.equal(plan.phase === 'Paused' || plan.phase === 'Invalid', true, plan.phase);
            if (plan.actions.length === 0) return { rounds: out, final: s };
            out.push(plan.actions);
            for (const a of plan.actions) s = applyAction(s, a);
          }
          throw new Error('no convergence');
        })();
        for (const a of rounds.flat()) assert.equal(a.kind, 'remove-finalizer');
        assert.deepEqual(planPair(excluded, final).actions, []);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes nothing at all while either side is paused', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const paused = [state.local, state.remote].some(
          (o) => o?.metadata.annotations?.[CrossCluster.paused] === 'true',
        );
        if (paused) assert.deepEqual(planPair(settings, state).actions, []);
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic, converges, writes nothing twice, and a converged pair plans nothing', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        assert.deepEqual(planPair(settings, state), planPair(settings, structuredClone(state)));
        const { rounds, final } = run(state);
        const seen = new Set<string>();
        for (const round of rounds)
          for (const a of round) {
            const id = JSON.stringify(a);
            assert.ok(!seen.has(id), `written twice: ${id}`);
            seen.add(id);
          }
        assert.deepEqual(planPair(settings, final).actions, []);
      }),
      { numRuns: 2000 },
    );
  });
});
