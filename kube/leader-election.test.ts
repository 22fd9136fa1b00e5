import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError } from './errors.ts';
import { LeaderElector, microTime } from './leader-election.ts';
import type { LeaderElectionConfig, LeaseSpec } from './leader-election.ts';
import { FakeClock } from './test-support/fake-clock.ts';

type Lease = { metadata: { name: string; namespace: string; resourceVersion?: string }; spec?: LeaseSpec };

/** An in-memory Lease store with the apiserver's optimistic concurrency: 404, 409 AlreadyExists, 409 Conflict. */
class FakeLeases {
  lease: Lease | undefined;
  rv = 0;
  writes: LeaseSpec[] = [];
  client(broken: { down: boolean } = { down: false }): LeaderElectionConfig['client'] {
    const target = { verb: 'x', resource: 'leases.coordination.k8s.io' };
    const check = () => {
      if (broken.down) throw new KubeApiError(target, 0, 'NetworkError', 'down');
    };
    return {
      get: <T>() => {
        check();
        if (!this.lease) return Promise.reject(new KubeApiError(target, 404, 'NotFound', 'not found'));
        return Promise.resolve(structuredClone(this.lease) as T);
      },
      create: <T>(_t: unknown, obj: object) => {
        check();
        if (this.lease) return Promise.reject(new KubeApiError(target, 409, 'AlreadyExists', 'exists'));
        return Promise.resolve(this.put(obj as Lease) as T);
      },
      update: <T>(_t: unknown, obj: object) => {
        check();
        const l = obj as Lease;
        if (l.metadata.resourceVersion !== this.lease?.metadata.resourceVersion)
          return Promise.reject(new KubeApiError(target, 409, 'Conflict', 'modified'));
        return Promise.resolve(this.put(l) as T);
      },
    };
  }
  private put(l: Lease): Lease {
    this.lease = structuredClone({ ...l, metadata: { ...l.metadata, resourceVersion: String(++this.rv) } });
    this.writes.push(structuredClone(l.spec ?? {}));
    return structuredClone(this.lease);
  }
}

/** Electors on one fake clock with client-go's default durations (15 s lease, 10 s renew deadline, 2 s retry). */
function electors(leases: FakeLeases) {
  const clock = new FakeClock();
  const events: string[] = [];
  /** When each event happened, in fake milliseconds since the test began. */
  const at = new Map<string, number>();
  const start = clock.now();
  const note = (e: string): void => {
    events.push(e);
    at.set(e, clock.now() - start);
  };
  const make = (identity: string, broken?: { down: boolean }): LeaderElector =>
    new LeaderElector({
      client: leases.client(broken),
      namespace: 'ns',
      name: 'lock',
      identity,
      clock,
      onStartedLeading: () => note(`${identity} started`),
      onStoppedLeading: (why) => note(`${identity} stopped ${why}`),
    });
  const elapsed = (): number => clock.now() - start;
  return { clock, events, at, make, elapsed };
}

/** The fake time (ms since the test began) a Lease write named as renewTime. */
const renewedAt = (spec: LeaseSpec | undefined, start = Date.UTC(2026, 0, 1)): number =>
  Date.parse(spec?.renewTime ?? '') - start;

describe('LeaderElector', () => {
  it('writes Lease times as RFC 3339 with microseconds', () => {
    assert.equal(microTime(Date.UTC(2026, 10, 22, 4, 50, 0, 123)), '2026-11-22T04:50:00.123000Z');
  });

  it('lets exactly one of two simultaneous candidates lead, and hands over at once on release', async () => {
    const leases = new FakeLeases();
    const { clock, events, at, make, elapsed } = electors(leases);
    const a = make('a');
    const b = make('b');
    void a.start();
    void b.start();
    await clock.until('a leader', () => a.isLeader() || b.isLeader());
    // Several renewals later there is still exactly one leader.
    await clock.advance(10_000);
    assert.equal(Number(a.isLeader()) + Number(b.isLeader()), 1);
    const [leader, standby, standbyName] = a.isLeader() ? [a, b, 'b'] : [b, a, 'a'];
    const spec = leases.lease?.spec;
    assert.match(spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(spec?.leaseDurationSeconds, 15);
    const released = elapsed();
    await leader.stop();
    assert.equal(leases.lease?.spec?.holderIdentity, '');
    await clock.until('standby leads', () => standby.isLeader());
    // A released Lease is taken at the standby's next try (2 s plus at most 20% jitter), not after the lease duration.
    const took = (at.get(`${standbyName} started`) ?? 0) - released;
    assert.ok(took <= 2_400, `handover took ${took} ms of fake time`);
    assert.equal(leases.lease?.spec?.leaseTransitions, 1);
    await standby.stop();
    assert.deepEqual(events.filter((e) => e.includes('stopped')).length, 2);
  });

  it('steps down when it cannot renew within the deadline, and a standby takes over after the lease expires', async () => {
    const leases = new FakeLeases();
    const { clock, at, make } = electors(leases);
    const net = { down: false };
    const a = make('a', net);
    void a.start();
    await clock.until('a leads', () => a.isLeader());
    const b = make('b');
    void b.start();
    await clock.advance(20_000);
    assert.equal(b.isLeader(), false, 'a renews, so b waits');
    const lastRenewal = renewedAt(leases.lease?.spec);
    net.down = true;
    await clock.until('a steps down', () => !a.isLeader());
    // a stops leading once its renewals have failed for the renew deadline (10 s), judged at its 2 s retry ticks.
    const lost = (at.get('a stopped lost') ?? 0) - lastRenewal;
    assert.ok(lost >= 10_000 && lost <= 12_000, `stepped down ${lost} ms after its last renewal`);
    await clock.until('b leads', () => b.isLeader());
    // b must not take over before the lease it observed has expired (15 s after the last renewal it saw change).
    const took = (at.get('b started') ?? 0) - lastRenewal;
    assert.ok(took >= 15_000 && took <= 15_000 + 2_400, `took over ${took} ms after the last renewal`);
    assert.ok(took > lost, 'never two leaders at once');
    await b.stop();
    await a.stop();
  });

  it('never takes a Lease another holder keeps renewing', async () => {
    const leases = new FakeLeases();
    const { clock, events, make } = electors(leases);
    const a = make('a');
    void a.start();
    await clock.until('a leads', () => a.isLeader());
    const b = make('b');
    void b.start();
    // Ten lease durations of fake time.
    await clock.advance(150_000);
    assert.equal(b.isLeader(), false);
    assert.equal(leases.lease?.spec?.holderIdentity, 'a');
    await b.stop();
    await a.stop();
    assert.deepEqual(events, ['a started', 'a stopped released']);
  });
});
