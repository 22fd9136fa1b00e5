// A 2-minute soak in the e2e tier: churn, every fault once, and the invariants after each (bench/soak runs it for an hour).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runSoak } from '../../bench/soak/soak.ts';
import type { SoakReport } from '../../bench/soak/soak.ts';
import { FAULTS } from '../../bench/soak/faults.ts';
import { startControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { buildController } from './support/controller-process.ts';

describe('soak: churn under faults, 2 minutes', () => {
  // Its own control plane: the faults restart etcd and the apiserver, which the other suites must not see.
  let cp: ControlPlane;
  let report: SoakReport;

  before(async () => {
    buildController();
    cp = await startControlPlane({ name: `soak-${process.pid}`, audit: true });
    report = await runSoak(cp, {
      durationMs: 120_000,
      faults: FAULTS,
      churnMs: 8_000,
      convergeBoundMs: 45_000,
      seed: 20261202,
      lease: { duration: '6s', renew: '4s', retry: '1s' },
      log: (line) => process.stderr.write(`${line}\n`),
    });
  });
  after(async () => {
    await cp?.stop();
  });

  it('survives every fault: after each, the world converges and no invariant is broken', () => {
    const injected = new Set(report.cycles.map((c) => c.fault));
    for (const fault of FAULTS) assert.ok(injected.has(fault), `${fault} was injected`);
    assert.deepEqual(report.violations, []);
    for (const c of report.cycles) assert.notEqual(c.convergedMs, undefined, `converged after ${c.fault}`);
  });

  it('churned for real and the controllers wrote', () => {
    for (const action of ['source-apply', 'mirror-edit', 'mirror-delete', 'foreign-create']) {
      assert.ok((report.churn[action] ?? 0) > 0, `churn did ${action}`);
    }
    assert.ok(report.controllerWrites > 0);
  });

  it('keeps its sockets bounded across the faults', () => {
    const socks = report.samples.filter((s) => s.replicas === 2).map((s) => s.sockets);
    assert.ok(socks.length > 10, 'sampled the replicas');
    // Two replicas hold a handful of connections each (watches share keep-alive sockets); a leak grows per fault.
    assert.ok(Math.max(...socks) <= 2 * 40, `sockets stayed bounded: max ${Math.max(...socks)}`);
  });
});
