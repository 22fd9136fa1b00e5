import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from './errors.ts';
import { LeaderElector, microTime } from './leader-election.ts';
import type { LeaderElectionConfig, LeaseSpec } from './leader-election.ts';

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

function elector(leases: FakeLeases, identity: string, events: string[], broken?: { down: boolean }): LeaderElector {
  return new LeaderElector({
    client: leases.client(broken),
    namespace: 'ns',
    name: 'lock',
    identity,
    leaseDurationMs: 400,
    renewDeadlineMs: 250,
    retryPeriodMs: 50,
    onStartedLeading: () => events.push(`${identity} started`),
    onStoppedLeading: (why) => events.push(`${identity} stopped ${why}`),
  });
}

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) if (check()) return;
  assert.fail(`timed out waiting for ${what}`);
}

describe('LeaderElector', () => {
  it('writes Lease times as RFC 3339 with microseconds', () => {
    assert.equal(microTime(Date.UTC(2026, 10, 22, 4, 50, 0, 123)), '2026-11-22T04:50:00.123000Z');
  });

  it('lets exactly one of two simultaneous candidates lead, and hands over at once on release', async () => {
    const leases = new FakeLeases();
    const events: string[] = [];
    const a = elector(leases, 'a', events);
    const b = elector(leases, 'b', events);
    void a.start();
    void b.start();
    await until('a leader', () => a.isLeader() || b.isLeader());
    await sleep(150);
    assert.equal(Number(a.isLeader()) + Number(b.isLeader()), 1);
    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    const spec = leases.lease?.spec;
    assert.match(spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(spec?.leaseDurationSeconds, 1);
    const released = Date.now();
    await leader.stop();
    assert.equal(leases.lease?.spec?.holderIdentity, '');
    await until('standby leads', () => standby.isLeader());
    // A released Lease is taken within about one retry period, not after the lease duration.
    assert.ok(Date.now() - released < 200, `handover took ${Date.now() - released} ms`);
    assert.equal(leases.lease?.spec?.leaseTransitions, 1);
    await standby.stop();
    assert.deepEqual(events.filter((e) => e.includes('stopped')).length, 2);
  });

  it('steps down when it cannot renew within the deadline, and a standby takes over after the lease expires', async () => {
    const leases = new FakeLeases();
    const events: string[] = [];
    const net = { down: false };
    const a = elector(leases, 'a', events, net);
    void a.start();
    await until('a leads', () => a.isLeader());
    const b = elector(leases, 'b', events);
    void b.start();
    await sleep(100);
    assert.equal(b.isLeader(), false);
    const cut = Date.now();
    net.down = true;
    await until('a steps down', () => events.includes('a stopped lost'));
    const lostAfter = Date.now() - cut;
    assert.ok(lostAfter <= 350, `stepped down after ${lostAfter} ms`);
    await until('b leads', () => b.isLeader());
    // b must not take over before the lease it observed has expired.
    assert.ok(Date.now() - cut >= 300, `took over after ${Date.now() - cut} ms`);
    assert.equal(a.isLeader(), false);
    await b.stop();
    await a.stop();
  });

  it('never takes a Lease another holder keeps renewing', async () => {
    const leases = new FakeLeases();
    const events: string[] = [];
    const a = elector(leases, 'a', events);
    void a.start();
    await until('a leads', () => a.isLeader());
    const b = elector(leases, 'b', events);
    void b.start();
    await sleep(900);
    assert.equal(b.isLeader(), false);
    assert.equal(leases.lease?.spec?.holderIdentity, 'a');
    await b.stop();
    await a.stop();
    assert.deepEqual(events, ['a started', 'a stopped released']);
  });
});
