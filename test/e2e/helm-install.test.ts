// `helm install` for real: the image built by `npm run image`, loaded into a real node (containerd + kubelet), the
// chart installed into a namespace enforcing the restricted Pod Security Standard; leader election between pods,
// takeover, a rolling upgrade, namespaced RBAC checked from a pod with its own token, `helm test`, and uninstall.
// Timings are printed (`# helm-install: ...`), never asserted.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chartDir, helmPath } from '../../charts/kube-reflect/render.ts';
import { startControlPlane, type ControlPlane } from '../cluster/harness.ts';
import { goArch } from '../cluster/pause-image.ts';
import { eventually } from './support/eventually.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NS = 'kr-system';
const RELEASE = 'kr';
const note = (line: string): void => console.log(`# helm-install: ${line}`);

interface Pod {
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp: string };
  status: {
    phase: string;
    startTime?: string;
    conditions?: { type: string; status: string; lastTransitionTime: string }[];
    containerStatuses?: { state?: { terminated?: { message?: string; exitCode: number } } }[];
  };
}

describe('helm install on a real node', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let home: string;
  let image = { repository: '', tag: '' };

  const env = () => ({
    ...process.env,
    KUBECONFIG: cp.kubeconfigPath,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  });
  const run = (cmd: string, args: string[], input?: string): string => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', input, env: env() });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Like run, without blocking the event loop (so API calls go on meanwhile). */
  const runAsync = (cmd: string, args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const p = spawn(cmd, args, { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += String(d)));
      p.stderr.on('data', (d: Buffer) => (out += String(d)));
      p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: ${out}`))));
    });
  const kubectl = (...args: string[]): string => run('kubectl', args);
  const apply = (obj: object): string => run('kubectl', ['apply', '-f', '-'], JSON.stringify(obj));
  const helm = (...args: string[]): string => run(helmPath(), args);
  const json = <T>(...args: string[]): T => JSON.parse(kubectl(...args, '-o', 'json')) as T;
  const pods = (ns: string, selector: string): Pod[] =>
    json<{ items: Pod[] }>('get', 'pods', '-n', ns, '-l', selector).items;
  const ready = (p: Pod): boolean =>
    p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const imageValues = (): string[] => [
    '--set',
    `image.repository=${image.repository}`,
    '--set',
    `image.tag=${image.tag}`,
    '--set',
    'image.pullPolicy=Never',
  ];
  // Straight to the API (no kubectl process per call), so latencies measure the controller, not process starts.
  const secretIn = async (ns: string, name: string): Promise<{ data?: Record<string, string> } | null> => {
    const r = await cp.request('GET', `/api/v1/namespaces/${ns}/secrets/${name}`);
    return r.status === 200 ? (JSON.parse(r.body) as { data?: Record<string, string> }) : null;
  };
  const mirrored = async (ns: string): Promise<boolean> => (await secretIn(ns, 'shared'))?.data?.token === 'czNjcjN0';
  const namespace = async (name: string, labels: Record<string, string> = {}): Promise<void> => {
    const r = await cp.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    });
    assert.ok(r.status === 201 || r.status === 409, r.body);
  };
  /** Milliseconds from now until `ns` (created now) holds the mirror of the `shared` Secret. */
  const mirrorLatency = async (ns: string, t0 = performance.now()): Promise<number> => {
    await namespace(ns);
    await eventually(`the mirror in ${ns}`, () => mirrored(ns), 60_000, 10);
    return Math.round(performance.now() - t0);
  };
  const leaseHolder = (id: string): string =>
    json<{ spec: { holderIdentity?: string } }>('get', 'lease', id, '-n', NS).spec.holderIdentity ?? '';
  const controllerPods = (release = RELEASE): Pod[] =>
    pods(NS, `app.kubernetes.io/instance=${release},app.kubernetes.io/component=controller`);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'kr-helm-e2e-'));
    let t = Date.now();
    cp = await startControlPlane({ withNode: true, name: `helm-${process.pid}` });
    note(`control plane with a node up in ${Date.now() - t} ms`);
    t = Date.now();
    const out = spawnSync(
      process.execPath,
      ['scripts/image.mjs', '--platform', `linux/${goArch()}`, '--out', join(home, 'image')],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(out.status, 0, out.stderr);
    const m = /^IMAGE=(\S+):([^:\s]+) ARCHIVE=(\S+)$/m.exec(out.stdout);
    assert.ok(m?.[1] && m[2] && m[3], out.stdout);
    image = { repository: m[1], tag: m[2] };
    note(`npm run image (linux/${goArch()}) in ${Date.now() - t} ms`);
    t = Date.now();
    assert.ok(cp.loadImage(m[3]).includes(`${m[1]}:${m[2]}`));
    note(`image loaded into the node's containerd in ${Date.now() - t} ms`);
    await namespace(NS, {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    await namespace('src');
    apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'shared', namespace: 'src', annotations: { 'kube-reflect.io/to': 'team-*' } },
      stringData: { token: 's3cr3t' },
    });
  });

  after(async () => {
    await cp?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses to install without an image, saying how to build one', () => {
    const r = spawnSync(helmPath(), ['template', 'x', chartDir, '--kube-version', '1.33.0'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /image\.repository is not set.*npm run image/);
  });

  it('installs into a restricted namespace: both replicas Ready (probes on /readyz, /healthz), one leader', () => {
    const t = Date.now();
    helm('install', RELEASE, chartDir, '-n', NS, ...imageValues(), '--wait', '--timeout', '3m');
    note(`helm install --wait: ${Date.now() - t} ms`);
    const ps = controllerPods();
    assert.equal(ps.length, 2);
    for (const p of ps) {
      assert.ok(ready(p), `${p.metadata.name} Ready`);
      const readyAt = p.status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '';
      note(
        `${p.metadata.name}: created → Ready ${(Date.parse(readyAt) - Date.parse(p.metadata.creationTimestamp)) / 1000} s`,
      );
    }
    const holder = leaseHolder('kube-reflect-controller');
    assert.equal(ps.filter((p) => holder.startsWith(`${p.metadata.name}_`)).length, 1, `holder ${holder}`);
  });

  it('mirrors a Secret into a new namespace', async () => {
    note(`mirror in a new namespace after ${await mirrorLatency('team-a')} ms`);
  });

  it('the leader pod deleted: the other replica takes over and mirrors keep flowing', async () => {
    const before = leaseHolder('kube-reflect-controller');
    const leader = controllerPods().find((p) => before.startsWith(`${p.metadata.name}_`));
    assert.ok(leader);
    const t0 = performance.now();
    const r = await cp.request('DELETE', `/api/v1/namespaces/${NS}/pods/${leader.metadata.name}`);
    assert.equal(r.status, 200, r.body);
    // The deleted pod keeps leading through its graceful shutdown (it drains, then gives the Lease up), so a mirror
    // written meanwhile proves nothing: wait for the other replica to hold the Lease, then ask it for a mirror.
    const other = () => {
      const h = leaseHolder('kube-reflect-controller');
      return h !== '' && !h.startsWith(`${leader.metadata.name}_`) ? h : '';
    };
    await eventually('the other replica holds the Lease', () => other() !== '', 60_000, 50);
    const handover = Math.round(performance.now() - t0);
    const after = other();
    assert.ok(
      controllerPods().some((p) => after.startsWith(`${p.metadata.name}_`)),
      `holder ${after}`,
    );
    const gap = await mirrorLatency('team-b', t0);
    note(
      `takeover: Lease handed over ${handover} ms after the leader pod was deleted, mirror in a new namespace at ${gap} ms`,
    );
    await eventually(
      'two Ready replicas again',
      () => controllerPods().filter((p) => ready(p) && p.metadata.name !== leader.metadata.name).length === 2,
      120_000,
      500,
    );
  });

  it('helm upgrade with a changed value rolls the pods: no mirror lost, none written twice', async () => {
    const old = new Set(controllerPods().map((p) => p.metadata.name));
    const created: string[] = [];
    let upgrading = true;
    const churn = (async () => {
      for (let i = 0; upgrading; i++) {
        await namespace(`team-u${i}`);
        created.push(`team-u${i}`);
        await sleep(300);
      }
    })();
    const t = Date.now();
    await runAsync(helmPath(), [
      'upgrade',
      RELEASE,
      chartDir,
      '-n',
      NS,
      '--reuse-values',
      '--set',
      'logLevel=debug',
      '--wait',
      '--timeout',
      '3m',
    ]);
    upgrading = false;
    await churn;
    note(`helm upgrade --wait: ${Date.now() - t} ms, ${created.length} namespaces created meanwhile`);
    // `helm upgrade --wait` returns once the new pods are Ready; the last old one may still be draining (Terminating,
    // and still Ready until its process exits), so wait for it to be gone rather than count it.
    await eventually(
      'exactly two controller pods, both new and Ready',
      () => {
        const ps = controllerPods();
        return ps.length === 2 && ps.every((p) => ready(p) && !old.has(p.metadata.name));
      },
      120_000,
      500,
    );
    for (const ns of created) await eventually(`the mirror in ${ns}`, () => mirrored(ns), 30_000, 50);
    // Written once: no mirror is rewritten once settled (two writers would keep bumping resourceVersions).
    const versions = () =>
      json<{ items: { metadata: { namespace: string; resourceVersion: string } }[] }>(
        'get',
        'secrets',
        '-A',
        '--field-selector',
        'metadata.name=shared',
      ).items.map((s) => `${s.metadata.namespace}@${s.metadata.resourceVersion}`);
    const settled = versions();
    await sleep(3000);
    assert.deepEqual(versions(), settled);
    assert.equal(settled.length, created.length + 3); // src, team-a, team-b, and the churned ones
  });

  it('helm test scrapes /metrics through the metrics Service from another pod', () => {
    const out = helm('test', RELEASE, '-n', NS, '--timeout', '2m');
    assert.match(out, /Phase:\s+Succeeded/);
  });

  it('reports the controller pods’ resident memory under the default resources', () => {
    const node = cp.state().node;
    assert.ok(node);
    const rss: number[] = [];
    for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
        if (!cmd.includes('/app/reflect-controller') || !cgroup.includes(node.cgroupRoot)) continue;
        const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        if (kb) rss.push(Math.round(Number(kb) / 1024));
      } catch {
        // exited meanwhile
      }
    }
    assert.equal(rss.length, 2);
    note(`controller pod RSS: ${rss.join(' MiB, ')} MiB (limit 512Mi, request 96Mi)`);
  });

  it('helm uninstall leaves no object of the chart (mirrors stay, as docs/install.md says)', async () => {
    helm('uninstall', RELEASE, '-n', NS, '--wait', '--timeout', '2m');
    const left = (scope: string[], kinds: string): string[] =>
      kubectl('get', kinds, ...scope, '-l', 'app.kubernetes.io/part-of=kube-reflect', '-o', 'name')
        .split('\n')
        .filter(Boolean);
    // Pods go a moment after their Deployment (garbage collection, then their grace period).
    await eventually("the chart's pods to be gone", () => left(['-A'], 'pods').length === 0, 60_000, 500);
    assert.deepEqual(
      left(
        ['-A'],
        'deployments,replicasets,pods,services,serviceaccounts,roles,rolebindings,poddisruptionbudgets,networkpolicies,configmaps',
      ),
      [],
    );
    assert.deepEqual(left([], 'clusterroles,clusterrolebindings'), []);
    assert.deepEqual(kubectl('get', 'secrets', '-n', NS, '-l', 'owner=helm', '-o', 'name').trim(), '');
    assert.ok(await mirrored('team-a'));
  });

  it('namespaced mode: the ServiceAccount reads and writes only its listed namespaces (from a pod, its own token)', async () => {
    for (const ns of ['tenant-a', 'tenant-b', 'tenant-x']) await namespace(ns);
    helm(
      'install',
      'krns',
      chartDir,
      '-n',
      NS,
      ...imageValues(),
      '--set',
      'namespaced.enabled=true',
      '--set',
      'namespaced.namespaces={tenant-a,tenant-b}',
      '--set',
      'replicaCount=1',
      '--set',
      'leaderElection.id=krns',
      '--set',
      'metrics.enabled=false',
      '--wait',
      '--timeout',
      '3m',
    );
    // It works for real: a push inside its namespaces is mirrored.
    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ns-mode', namespace: 'tenant-a', annotations: { 'kube-reflect.io/to': 'tenant-b' } },
      data: { k: 'v' },
    });
    await eventually('the namespaced mirror in tenant-b', () => {
      const r = spawnSync('kubectl', ['get', 'configmap', 'ns-mode', '-n', 'tenant-b'], {
        env: { ...process.env, KUBECONFIG: cp.kubeconfigPath },
      });
      return r.status === 0;
    });
    // From inside: a pod running as the release's ServiceAccount, with its projected token, asks the API server.
    const script = `
      const fs = require('fs');
      const dir = '/var/run/secrets/kubernetes.io/serviceaccount/';
      const token = fs.readFileSync(dir + 'token', 'utf8');
      const base = 'https://' + process.env.KUBERNETES_SERVICE_HOST + ':' + process.env.KUBERNETES_SERVICE_PORT;
      process.env.NODE_EXTRA_CA_CERTS = dir + 'ca.crt';
      const https = require('https');
      const ca = fs.readFileSync(dir + 'ca.crt');
      const call = (method, path, body) => new Promise((resolve) => {
        const req = https.request(base + path, { method, ca, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' } },
          (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
        req.on('error', (e) => resolve(String(e)));
        req.end(body ? JSON.stringify(body) : undefined);
      });
      (async () => {
        const out = {};
        for (const ns of ['tenant-a', 'tenant-b', 'tenant-x', 'kube-system']) {
          out[ns + ' list secrets'] = await call('GET', '/api/v1/namespaces/' + ns + '/secrets');
          out[ns + ' create configmap'] = await call('POST', '/api/v1/namespaces/' + ns + '/configmaps?dryRun=All',
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } });
        }
        out['cluster list secrets'] = await call('GET', '/api/v1/secrets');
        fs.writeFileSync('/dev/termination-log', JSON.stringify(out));
      })();
    `;
    const sa = 'krns-kube-reflect';
    apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rbac-probe', namespace: NS },
      spec: {
        serviceAccountName: sa,
        automountServiceAccountToken: true,
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'probe',
            image: `${image.repository}:${image.tag}`,
            imagePullPolicy: 'Never',
            command: ['/nodejs/bin/node', '-e', script],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    });
    let result: Record<string, number> = {};
    await eventually(
      'the probe pod to finish',
      () => {
        const p = json<Pod>('get', 'pod', 'rbac-probe', '-n', NS);
        const msg = p.status.containerStatuses?.[0]?.state?.terminated?.message;
        if (msg) result = JSON.parse(msg) as Record<string, number>;
        return Boolean(msg);
      },
      120_000,
      250,
    );
    assert.deepEqual(result, {
      'tenant-a list secrets': 200,
      'tenant-a create configmap': 201,
      'tenant-b list secrets': 200,
      'tenant-b create configmap': 201,
      'tenant-x list secrets': 403,
      'tenant-x create configmap': 403,
      'kube-system list secrets': 403,
      'kube-system create configmap': 403,
      'cluster list secrets': 403,
    });
    kubectl('delete', 'pod', 'rbac-probe', '-n', NS, '--wait=false');
    helm('uninstall', 'krns', '-n', NS, '--wait');
  });
});
