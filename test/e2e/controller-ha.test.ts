// Two reflect-controller processes with leader election on a real API server: crash takeover and graceful handover.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import { CONFIGMAPS, LEASES, NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { adminClient } from './support/controller-harness.ts';
import { eventually } from './support/eventually.ts';

const BIN = fileURLToPath(new URL('../../dist/bin/reflect-controller', import.meta.url));

/** One controller process and what its log said. */
interface Replica {
  name: string;
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** When (parent clock) a log line with this message first appeared. */
  when(msg: string): number | undefined;
}

describe('reflect-controller high availability (two processes, one Lease)', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const prefix = `ha-${randomBytes(3).toString('hex')}`;
  const leaseNs = `${prefix}-system`;
  const srcNs = `${prefix}-src`;
  const replicas: Replica[] = [];
  const namespaces: string[] = [];

  function startReplica(name: string): Replica {
    const proc = spawn(
      process.execPath,
      [
        BIN,
        '--kubeconfig',
        cp.kubeconfigPath,
        '--kinds',
        'configmaps',
        '--leader-elect',
        '--leader-election-namespace',
        leaseNs,
        '--leader-election-id',
        prefix,
        '--health-probe-bind-address',
        '0',
        '--metrics-bind-address',
        '0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const lines: string[] = [];
    const seen = new Map<string, number>();
    let buf = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const msg = (JSON.parse(line) as { msg: string }).msg;
          if (!seen.has(msg)) seen.set(msg, Date.now());
        } catch {
          // not a log line
        }
      }
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const r: Replica = { name, proc, lines, exited, when: (msg) => seen.get(msg) };
    replicas.push(r);
    return r;
  }

  async function createNamespace(name: string): Promise<void> {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    namespaces.push(name);
  }
  const mirrorIn = (ns: string) =>
    client.get<KubeObject>(CONFIGMAPS, ns, 'shared').then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );
  const leader = (): Replica | undefined =>
    replicas.find(
      (r) => r.proc.exitCode === null && r.proc.signalCode === null && r.when('became leader; starting workers'),
    );

  before(async () => {
    const build = spawnSync(
      process.execPath,
      [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), 'reflect-controller'],
      {
        stdio: 'inherit',
      },
    );
    assert.equal(build.status, 0, 'build reflect-controller');
    cp = await useTestControlPlane();
    client = await adminClient();
    await createNamespace(leaseNs);
    await createNamespace(srcNs);
    await client.create(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: srcNs, annotations: { 'kube-reflect.io/to': `${prefix}-t*` } },
      data: { v: '1' },
    });
  });
  after(async () => {
    for (const r of replicas) if (r.proc.exitCode === null) r.proc.kill('SIGKILL');
    for (const ns of namespaces) await client.delete(NAMESPACES, undefined, ns).catch(() => undefined);
    client.close();
  });

  it('one replica leads and writes; the standby stays synced and idle', async () => {
    const a = startReplica('a');
    const b = startReplica('b');
    await eventually(
      'both synced',
      () => !!a.when('caches synced; controller ready') && !!b.when('caches synced; controller ready'),
    );
    await eventually('a leader', () => leader() !== undefined);
    await createNamespace(`${prefix}-t1`);
    await eventually('mirror in t1', () => mirrorIn(`${prefix}-t1`));
    const standby = replicas.find((r) => r !== leader());
    assert.ok(standby);
    // Positive markers before the negative ones: the standby has seen the leader, and the Lease was renewed after the
    // mirror was written, so the standby has campaigned at least once since (same retry period) and found it held.
    await eventually('the standby sees the leader', () => !!standby.when('new leader observed'));
    const renewTime = async () =>
      (await client.get<{ spec: { renewTime: string } }>(LEASES, leaseNs, prefix)).spec.renewTime;
    const before = await renewTime();
    await eventually('a renewal after the mirror', async () => (await renewTime()) !== before);
    assert.equal(standby.when('became leader; starting workers'), undefined);
    assert.equal(standby.when('mirror written'), undefined, 'the standby never writes');
    const lease = await client.get<{ spec: { holderIdentity: string; renewTime: string } }>(LEASES, leaseNs, prefix);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('after SIGKILL of the leader, the standby takes over and mirrors into a new namespace within 20 s', async (t) => {
    const old = leader();
    assert.ok(old);
    const standby = replicas.find((r) => r !== old && r.proc.exitCode === null);
    assert.ok(standby);
    const killed = Date.now();
    old.proc.kill('SIGKILL');
    await old.exited;
    await createNamespace(`${prefix}-t2`);
    await eventually('mirror in t2', () => mirrorIn(`${prefix}-t2`), 25_000);
    const mirrored = Date.now() - killed;
    const tookOver = (standby.when('became leader; starting workers') ?? NaN) - killed;
    t.diagnostic(
      `crash takeover: lease acquired ${tookOver} ms after SIGKILL; mirror in the new namespace after ${mirrored} ms`,
    );
    assert.ok(mirrored < 20_000, `mirrored after ${mirrored} ms`);
  });

  it('a graceful stop (SIGTERM) releases the Lease and a standby takes over within 3 s', async (t) => {
    const old = leader();
    assert.ok(old);
    const c = startReplica('c');
    await eventually('c synced', () => !!c.when('caches synced; controller ready'));
    // c is campaigning (it has read the Lease and seen its holder) before the holder stops.
    await eventually('c sees the leader', () => !!c.when('new leader observed'));
    const stopped = Date.now();
    old.proc.kill('SIGTERM');
    assert.equal(await old.exited, 0);
    await eventually('c leads', () => !!c.when('became leader; starting workers'), 10_000);
    const handover = (c.when('became leader; starting workers') ?? NaN) - stopped;
    await createNamespace(`${prefix}-t3`);
    await eventually('mirror in t3', () => mirrorIn(`${prefix}-t3`));
    t.diagnostic(`graceful handover: lease acquired ${handover} ms after SIGTERM`);
    assert.ok(handover < 3000, `handover took ${handover} ms`);
  });

  it('a leader that loses its Lease exits non-zero', async () => {
    const current = leader();
    assert.ok(current);
    // Another holder takes the Lease (as after a long partition): the leader must stop writing and exit.
    const lease = await client.get<{ metadata: Record<string, unknown>; spec: Record<string, unknown> }>(
      LEASES,
      leaseNs,
      prefix,
    );
    await client.update(LEASES, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: 'someone-else', leaseDurationSeconds: 60 },
    });
    const code = await Promise.race([current.exited, sleep(15_000).then(() => 'timeout' as const)]);
    assert.equal(code, 1);
    assert.ok(current.lines.some((l) => l.includes('leader election lost')));
  });
});
