// reflect-controller behind a TCP proxy whose connections die silently (no FIN, no RST, no bytes): the watchdog
// reconnects a dead watch, and a standby whose watches died reopens them when it becomes leader.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import { CONFIGMAPS, NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import type { ControlPlane } from '../cluster/harness.ts';
import { buildController, startControllerProcess } from './support/controller-process.ts';
import type { ControllerProcess } from './support/controller-process.ts';
import { adminClient } from './support/controller-harness.ts';
import { eventually } from './support/eventually.ts';
import { kubeconfigVia, startFaultProxy } from './support/fault-proxy.ts';
import type { FaultProxy } from './support/fault-proxy.ts';

describe('reflect-controller when its watches die silently behind a half-open connection', () => {
  let cp: ControlPlane;
  let client: KubeClient;
  const prefix = `stall-${randomBytes(3).toString('hex')}`;
  const namespaces: string[] = [];
  const procs: ControllerProcess[] = [];
  const proxies: FaultProxy[] = [];

  async function createNamespace(name: string): Promise<string> {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    namespaces.push(name);
    return name;
  }
  async function proxied(): Promise<{ proxy: FaultProxy; kubeconfig: string }> {
    const proxy = await startFaultProxy(new URL(cp.server));
    proxies.push(proxy);
    return { proxy, kubeconfig: kubeconfigVia(cp.kubeconfigPath, proxy.url) };
  }
  async function start(kubeconfig: string, args: string[]): Promise<ControllerProcess> {
    // Requests on a frozen keep-alive socket fail after 5 s instead of 30 and are retried on a new connection.
    const proc = await startControllerProcess(kubeconfig, [
      '--kinds',
      'configmaps',
      '--request-timeout',
      '5s',
      ...args,
    ]);
    procs.push(proc);
    return proc;
  }
  async function source(namespace: string, name: string, to: string, v: string): Promise<void> {
    await client.apply(
      CONFIGMAPS,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, annotations: { 'kube-reflect.io/to': to } },
        data: { v },
      },
      { fieldManager: 'e2e', force: true },
    );
  }
  const mirrorData = (namespace: string, name: string) =>
    client.get<KubeObject & { data?: Record<string, string> }>(CONFIGMAPS, namespace, name).then(
      (o) => o.data?.v,
      (err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      },
    );
  const logged = (proc: ControllerProcess, msg: string) => proc.logs.filter((l) => l.msg === msg);

  before(async () => {
    buildController();
    cp = await useTestControlPlane();
    client = await adminClient();
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    for (const p of proxies) p.close();
    for (const ns of namespaces) await client.delete(NAMESPACES, undefined, ns).catch(() => undefined);
    client.close();
  });

  it('the watchdog reconnects a frozen watch, says so at info, and the change made meanwhile is mirrored', async () => {
    const src = await createNamespace(`${prefix}-a-src`);
    const target = await createNamespace(`${prefix}-a-t1`);
    const { proxy, kubeconfig } = await proxied();
    // A watchdog of seconds keeps the test short; the default's place between the apiserver's watch timeout and the
    // soak's bound is a unit test (kube/informer.test.ts).
    const proc = await start(kubeconfig, ['--watchdog-timeout', '4s']);
    await proc.ready();
    await source(src, 'cfg', `${prefix}-a-t*`, '1');
    await eventually('the first mirror', async () => (await mirrorData(target, 'cfg')) === '1');

    proxy.set({ kind: 'freeze' });
    await source(src, 'cfg', `${prefix}-a-t*`, '2');
    await eventually('the change made while the watch was dead', async () => (await mirrorData(target, 'cfg')) === '2');
    const silent = logged(proc, 'watch silent; reconnecting');
    assert.ok(
      silent.some((l) => l.resource === 'configmaps' && l.level === 'info' && typeof l.silentMs === 'number'),
      JSON.stringify(silent),
    );
  });

  it('a standby whose watches died silently reopens them when it becomes leader', async () => {
    const lease = await createNamespace(`${prefix}-b-system`);
    const src = await createNamespace(`${prefix}-b-src`);
    const electionFlags = [
      '--leader-elect',
      '--leader-election-namespace',
      lease,
      '--leader-election-id',
      prefix,
      '--leader-election-lease-duration',
      '6s',
      '--leader-election-renew-deadline',
      '4s',
      '--leader-election-retry-period',
      '1s',
    ];
    const leader = await start(cp.kubeconfigPath, electionFlags);
    await leader.ready();
    await eventually('a leader', () => logged(leader, 'became leader; starting workers').length > 0);
    // The standby's watchdog is far beyond the test: only reopening its watches on promotion can save it.
    const { proxy, kubeconfig } = await proxied();
    const standby = await start(kubeconfig, [...electionFlags, '--watchdog-timeout', '10m']);
    await standby.ready();
    await eventually(
      'the standby campaigning',
      () => logged(standby, 'caches synced; campaigning for leadership').length > 0,
    );

    proxy.set({ kind: 'freeze' });
    await leader.kill('SIGKILL');
    await eventually(
      'the standby leading',
      () => logged(standby, 'became leader; starting workers').length > 0,
      60_000,
    );
    assert.equal(
      logged(standby, 'became leader; starting workers')[0]?.watchesReopened,
      2,
      'namespaces and configmaps',
    );
    const target = await createNamespace(`${prefix}-b-t1`);
    await source(src, 'cfg', `${prefix}-b-t*`, '1');
    await eventually('a mirror written by the new leader', async () => (await mirrorData(target, 'cfg')) === '1');
    assert.equal(logged(standby, 'watch silent; reconnecting').length, 0, 'the watchdog played no part');
  });
});
