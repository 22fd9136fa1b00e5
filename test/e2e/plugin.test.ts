// kubectl reflect on a real kube-apiserver, with no controller running: the scenario catalogue through `sync` (found by
// kubectl on PATH), every mirror state in `status` and `explain`, and completion through kubectl's plugin protocol.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { openSession } from '../../plugin/session.ts';
import { syncOnce } from '../../plugin/sync.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import { checkScenario, loadScenarios } from '../scenarios/catalogue.ts';
import { pluginFlagsOf, pluginOptionsOf, SCENARIO_KIND_NAMES } from '../scenarios/plugin-options.ts';
import { bunCompileArgs, bunInstalled, bunPath } from '../../scripts/bun-compile.mjs';
import {
  NETWORK_POLICIES,
  adminClient,
  createObjects,
  deleteObjects,
  ensureNamespaces,
  listObjects,
} from './support/controller-harness.ts';
import { buildPlugin, kubectlReflect, PLUGIN_BIN } from './support/kubectl-reflect.ts';

const run = promisify(execFile);
const bin = PLUGIN_BIN;

let kubeconfig: string;
let client: KubeClient;

before(async () => {
  buildPlugin();
  kubeconfig = (await useTestControlPlane()).kubeconfigPath;
  client = await adminClient();
});
after(() => client.close());

describe('kubectl reflect sync: the scenario catalogue with no controller', () => {
  for (const scenario of loadScenarios('plugin')) {
    it(`${scenario.file}: ${scenario.name}`, async () => {
      const namespaces = scenario.namespaces.map((n) => n.name);
      await ensureNamespaces(client, scenario.namespaces);
      const seen = new Set((await listObjects(client, namespaces)).map((o) => o.metadata.uid ?? ''));
      await createObjects(client, scenario.objects);
      try {
        const within = `--within=${namespaces.join(',')}`;
        // The scenario's options block, as the plugin's flags (the controller's names).
        const o = scenario.options;
        const flags = pluginFlagsOf(o);
        const first = await kubectlReflect(kubeconfig, [
          'sync',
          '-A',
          within,
          `--kinds=${SCENARIO_KIND_NAMES.join(',')}`,
          ...flags,
        ]);
        assert.ok(
          first.code === 0 || /^error: /m.test(first.stderr),
          `exit ${first.code} without an error: ${first.stderr}`,
        );
        // A second sync plans from the new state: nothing to write (the plan converged in one pass), and its findings.
        const session = await openSession({
          kubeconfig,
          allNamespaces: true,
          noHeaders: false,
          kinds: [...SCENARIO_KIND_NAMES],
          within: namespaces,
          ...pluginOptionsOf(o),
        });
        try {
          const again = await syncOnce(session, {});
          assert.deepEqual(
            again.writes.map((w) => `${w.action} ${w.object} ${w.reason}`),
            [],
            'a second sync wrote',
          );
          const objects = (await listObjects(client, namespaces)).filter((o) => !seen.has(o.metadata.uid ?? ''));
          assert.deepEqual(checkScenario(scenario, { objects, findings: again.plan.findings }), []);
          const errors = again.plan.findings.some((f) => f.severity === 'error');
          assert.equal(
            first.code,
            errors ? 1 : 0,
            `exit code with${errors ? '' : 'out'} error findings: ${first.stderr}`,
          );
        } finally {
          session.close();
        }
      } finally {
        await deleteObjects(client, namespaces, seen);
      }
    });
  }
});

describe('kubectl reflect status and explain: every mirror state', () => {
  const p = `pl${process.pid % 10000}`;
  const ns = { src: `${p}-platform`, a: `${p}-team-a`, b: `${p}-team-b`, c: `${p}-team-c`, legacy: `${p}-legacy` };
  const within = `--within=${Object.values(ns).join(',')}`;
  const secret = (
    namespace: string,
    name: string,
    data: Record<string, string>,
    annotations: Record<string, string> = {},
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  });
  const R = 'reflector.v1.k8s.emberstack.com/';
  let states: Record<string, string>;

  before(async () => {
    await ensureNamespaces(client, [
      { name: ns.src, labels: {} },
      { name: ns.a, labels: {} },
      { name: ns.b, labels: {} },
      { name: ns.c, labels: { 'kube-reflect.io/accept-mirrors': 'false' } },
      { name: ns.legacy, labels: {} },
    ]);
    await createObjects(client, [
      secret(ns.src, 'db', { password: 's3cr3t' }, { 'kube-reflect.io/to': `${p}-team-*` }),
      secret(ns.src, 'tls', { crt: 'cert' }, { 'kube-reflect.io/to': ns.a }),
      secret(ns.src, 'old', { x: '1' }, { 'kube-reflect.io/to': ns.a, 'kube-reflect.io/on-source-delete': 'orphan' }),
      secret(ns.src, 'api', { k: '1' }, { 'kube-reflect.io/to': `${ns.a},${ns.b}` }),
      secret(
        ns.src,
        'shared',
        { s: '1' },
        { [`${R}reflection-allowed`]: 'true', [`${R}reflection-allowed-namespaces`]: ns.a },
      ),
      secret(ns.legacy, 'shared-copy', {}, { [`${R}reflects`]: `${ns.src}/shared` }),
      secret(ns.b, 'api', { mine: 'yes' }),
    ]);
    const synced = await kubectlReflect(kubeconfig, ['sync', '-n', ns.src, within]);
    assert.match(synced.stdout, new RegExp(`secret/${ns.a}/db created`));
    // Disturb the converged world: an edited mirror, a changed source, a deleted mirror, a deleted orphan-policy source.
    await client.apply(SECRETS, secret(ns.b, 'db', { password: 'edited' }), { fieldManager: 'someone', force: true });
    await client.apply(SECRETS, secret(ns.src, 'tls', { crt: 'renewed' }, { 'kube-reflect.io/to': ns.a }), {
      fieldManager: 'e2e-user',
      force: true,
    });
    await client.delete(SECRETS, ns.a, 'api');
    await client.delete(SECRETS, ns.src, 'old');
    const status = await kubectlReflect(kubeconfig, ['status', '-A', within, '-o', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const list = JSON.parse(status.stdout) as {
      kind: string;
      items: Array<{ metadata: { name: string }; status: { mirrors: Array<{ namespace: string; state: string }> } }>;
    };
    assert.equal(list.kind, 'List');
    states = {};
    for (const item of list.items)
      for (const m of item.status.mirrors) states[`${item.metadata.name}@${m.namespace}`] = m.state;
  });

  after(async () => {
    for (const name of Object.values(ns)) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
  });

  it('reports in sync, drifted, outdated, missing, blocked, denied and orphaned mirrors', () => {
    assert.deepEqual(states, {
      [`db@${ns.a}`]: 'in-sync',
      [`db@${ns.b}`]: 'drifted',
      [`tls@${ns.a}`]: 'outdated',
      [`api@${ns.a}`]: 'missing',
      [`api@${ns.b}`]: 'blocked',
      [`shared@${ns.legacy}`]: 'denied',
      [`old@${ns.a}`]: 'orphaned',
    });
  });

  it('prints a kubectl-style table when piped', async () => {
    const out = await kubectlReflect(kubeconfig, ['status', '-n', ns.src, within]);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^NAME {3,}MIRRORS {3}IN-SYNC {3}OUTDATED {3}DRIFTED {3}MISSING {3}BLOCKED {3}DENIED {3}ORPHANED {3}STATUS$/,
    );
    assert.match(out.stdout, /secret\/api +2 +0 +0 +0 +1 +1 +0 +0 +Blocked/);
    assert.match(out.stdout, /secret\/db +2 +1 +0 +1 +0 +0 +0 +0 +OutOfSync/);
    const names = await kubectlReflect(kubeconfig, ['status', '-n', ns.src, within, '-o', 'name']);
    assert.deepEqual(names.stdout.trim().split('\n').sort(), [
      'secret/api',
      'secret/db',
      'secret/old',
      'secret/shared',
      'secret/tls',
    ]);
  });

  it('explains a source namespace by namespace, and a mirror through its source', async () => {
    const src = await kubectlReflect(kubeconfig, ['explain', 'secret/api', '-n', ns.src, within]);
    assert.equal(src.code, 0, src.stderr);
    assert.match(
      src.stdout,
      new RegExp(
        `${ns.b} +yes +blocked +yes +selected by exact "${ns.b}" in kube-reflect.io/to, but blocked: an object that is not a mirror of this source is there`,
      ),
    );
    assert.match(src.stdout, new RegExp(`${ns.a} +yes +missing`));
    assert.match(src.stdout, new RegExp(`${ns.legacy} +no +- +no +no entry of kube-reflect.io/to matches it`));
    const optOut = await kubectlReflect(kubeconfig, ['explain', 'db', '-n', ns.src, within]);
    assert.match(
      optOut.stdout,
      new RegExp(`${ns.c} +no +- +yes +the namespace opted out with label kube-reflect.io/accept-mirrors=false`),
    );
    const mirror = await kubectlReflect(kubeconfig, ['explain', 'shared-copy', '-n', ns.legacy, within]);
    assert.match(mirror.stdout, new RegExp(`is a pull mirror .* of Secret ${ns.src}/shared`));
    assert.match(mirror.stdout, /Its state: denied/);
    const drifted = await kubectlReflect(kubeconfig, ['explain', 'db', '-n', ns.b, within]);
    assert.match(drifted.stdout, /Its state: drifted \(someone edited the mirror; the next sync reverts it\)/);
  });

  it(
    'the bun-compiled binary prints exactly what the bundle prints',
    { skip: !bunInstalled() && 'bun is not installed (npm ci runs its postinstall)' },
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'kr-bun-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      copyFileSync(join(bin, 'kubectl-reflect'), join(dir, 'kubectl-reflect.mjs'));
      const compiled = join(dir, 'kubectl-reflect');
      // Compiled as the release compiles it (with bytecode), so this is the binary krew installs.
      const c = spawnSync(bunPath(), bunCompileArgs(join(dir, 'kubectl-reflect.mjs'), compiled), { encoding: 'utf8' });
      assert.equal(c.status, 0, c.stderr);
      const env = { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
      for (const args of [
        ['status', '-A', within],
        ['status', '-A', within, '-o', 'yaml'],
        ['explain', 'api', '-n', ns.src, within],
        ['sync', '-n', ns.src, within, '--dry-run'],
      ]) {
        const a = spawnSync(process.execPath, [join(bin, 'kubectl-reflect'), ...args], { env, encoding: 'utf8' });
        const b = spawnSync(compiled, args, { env, encoding: 'utf8' });
        assert.equal(b.status, a.status, `${args.join(' ')}: ${b.stderr}`);
        assert.equal(b.stdout, a.stdout, args.join(' '));
        assert.ok(a.stdout.length > 0);
      }
    },
  );

  it('prints a dry-run diff and changes nothing, then syncs and exits 0', async () => {
    const dry = await kubectlReflect(kubeconfig, ['sync', 'tls', '-n', ns.src, within, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    // Secret values are masked as kubectl diff masks them: the changed key shows, its values never do.
    assert.match(dry.stdout, /^- {2}crt: "\*\*\* \(before\)"$/m);
    assert.match(dry.stdout, /^\+ {2}crt: "\*\*\* \(after\)"$/m);
    for (const value of ['cert', 'renewed']) assert.ok(!dry.stdout.includes(Buffer.from(value).toString('base64')));
    assert.match(dry.stdout, new RegExp(`secret/${ns.a}/tls updated \\(dry run\\)`));
    const live = await client.get<KubeObject>(SECRETS, ns.a, 'tls');
    assert.equal((live.data as Record<string, string>).crt, Buffer.from('cert').toString('base64'));
    const real = await kubectlReflect(kubeconfig, ['sync', 'secret/tls', '-n', ns.src, within]);
    assert.equal(real.code, 0, real.stderr);
    assert.equal(real.stdout, `secret/${ns.a}/tls updated\n`);
  });

  it('completes subcommands, namespaces and source names through kubectl __complete', async () => {
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, KUBECONFIG: kubeconfig };
    const sub = await run('kubectl', ['__complete', 'reflect', ''], { env });
    assert.deepEqual(sub.stdout.trim().split('\n').slice(0, 5), ['status', 'explain', 'sync', 'render', 'completion']);
    const nsOut = await run('kubectl', ['__complete', 'reflect', 'status', '-n', `${p}-te`], { env });
    assert.deepEqual(
      nsOut.stdout
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith(':')),
      [ns.a, ns.b, ns.c],
    );
    const src = await run('kubectl', ['__complete', 'reflect', 'sync', '-n', ns.src, ''], { env });
    assert.deepEqual(
      src.stdout
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith(':')),
      ['api', 'db', 'shared', 'tls'],
    );
  });
});

describe('kubectl reflect: kinds named as kubectl names them, the controller’s exclusions, and clear errors', () => {
  const p = `pk${process.pid % 10000}`;
  const ns = { src: `${p}-platform`, a: `${p}-team-a`, b: `${p}-team-b` };
  const within = `--within=${Object.values(ns).join(',')}`;
  const kinds = '--kinds=secrets,networkpolicies.networking.k8s.io';
  const policy = (name: string, to: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns.src, annotations: { 'kube-reflect.io/to': to } },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const exists = async (namespace: string, name: string) =>
    client.get(NETWORK_POLICIES, namespace, name).then(
      () => true,
      () => false,
    );

  before(async () => {
    await ensureNamespaces(
      client,
      Object.values(ns).map((name) => ({ name, labels: {} })),
    );
    await createObjects(client, [
      policy('deny-a', ns.a),
      policy('deny-b', ns.a),
      policy('deny-c', ns.a),
      policy('wide', `${p}-team-*`),
      // A Secret of the same name as a NetworkPolicy: naming the kind picks one of them.
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'deny-a', namespace: ns.src, annotations: { 'kube-reflect.io/to': ns.b } },
        data: {},
      },
    ]);
  });
  after(async () => {
    for (const name of Object.values(ns)) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
  });

  it('syncs networkpolicies/x, netpol/x and networkpolicy.networking.k8s.io/x, each only that NetworkPolicy', async () => {
    for (const [spelling, name] of [
      ['networkpolicies/deny-a', 'deny-a'],
      ['netpol/deny-b', 'deny-b'],
      ['networkpolicy.networking.k8s.io/deny-c', 'deny-c'],
    ] as const) {
      const out = await kubectlReflect(kubeconfig, ['sync', spelling, '-n', ns.src, within, kinds]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, `networkpolicy.networking.k8s.io/${ns.a}/${name} created\n`);
      assert.ok(await exists(ns.a, name));
    }
    // The Secret named deny-a was not synced by networkpolicies/deny-a.
    await assert.rejects(client.get(SECRETS, ns.b, 'deny-a'));
  });

  it('explains netpol/x', async () => {
    const out = await kubectlReflect(kubeconfig, ['explain', 'netpol/deny-a', '-n', ns.src, within, kinds]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`^NetworkPolicy ${ns.src}/deny-a: It pushes mirrors named deny-a`, 'm'));
    assert.match(out.stdout, new RegExp(`^${ns.a} +yes +in-sync`, 'm'));
  });

  it('sync -A --exclude-namespaces writes only where the controller would', async () => {
    const out = await kubectlReflect(kubeconfig, ['sync', '-A', within, kinds, `--exclude-namespaces=${ns.b}`]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`networkpolicy.networking.k8s.io/${ns.a}/wide created`));
    assert.ok(await exists(ns.a, 'wide'));
    assert.ok(!(await exists(ns.b, 'wide')), `wrote into the excluded ${ns.b}: ${out.stdout}`);
    const status = await kubectlReflect(kubeconfig, [
      'status',
      'netpol/wide',
      '-n',
      ns.src,
      within,
      kinds,
      `--exclude-namespaces=${ns.b}`,
      '-o',
      'json',
    ]);
    const [item] = (JSON.parse(status.stdout) as { items: Array<{ status: { health: string; mirrors: unknown[] } }> })
      .items;
    assert.equal(item?.status.health, 'InSync');
    assert.equal(item?.status.mirrors.length, 1);
  });

  it('exits 1 with a clear error for a source, a namespace or a --within namespace that does not exist', async () => {
    for (const [args, message] of [
      [['sync', 'secret/nope', '-n', ns.src], /^error: secret "nope" not found in namespace/],
      [['sync', '-n', `${p}-nosuchns`], /^error: namespace ".*-nosuchns" not found/],
      [['status', `--within=${p}-nosuchns`], /^error: --within names namespaces that do not exist: /],
      [['status', '-o'], /^error: flag needs an argument: --output \(-o\)/],
    ] as const) {
      const out = await kubectlReflect(kubeconfig, [...args]);
      assert.equal(out.code, 1, `${args.join(' ')}: ${out.stdout}`);
      assert.match(out.stderr, message, args.join(' '));
    }
  });
});

describe('kubectl reflect for a user with rights in one namespace only', () => {
  const p = `pu${process.pid % 10000}`;
  const ns = { src: `${p}-platform`, team: `${p}-team` };
  let userKubeconfig: string;
  const ROLE_BINDINGS: ResourceType = {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  };
  const secret = (namespace: string, name: string, annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations },
    data: { k: Buffer.from(name).toString('base64') },
  });
  const R = 'reflector.v1.k8s.emberstack.com/';

  before(async () => {
    await ensureNamespaces(client, [
      { name: ns.src, labels: {} },
      { name: ns.team, labels: {} },
    ]);
    // The platform pushes into the team's namespace; the team has a source of its own and a pull mirror of it.
    await createObjects(client, [
      secret(ns.src, 'db', { 'kube-reflect.io/to': ns.team }),
      secret(ns.team, 'conf', { [`${R}reflection-allowed`]: 'true' }),
      secret(ns.team, 'conf-copy', { [`${R}reflects`]: `${ns.team}/conf` }),
    ]);
    const admin = await kubectlReflect(kubeconfig, ['sync', 'db', '-n', ns.src, `--within=${ns.src},${ns.team}`]);
    assert.equal(admin.code, 0, admin.stderr);
    // Every right on Secrets and ConfigMaps in its namespace only (a bare apiserver aggregates no built-in admin role).
    const cp = await useTestControlPlane();
    await client.apply(
      { ...ROLE_BINDINGS, resource: 'roles', kind: 'Role' },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'tenant', namespace: ns.team },
        rules: [{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['*'] }],
      },
      { fieldManager: 'e2e', force: true },
    );
    await client.apply(
      ROLE_BINDINGS,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'tenant-admin', namespace: ns.team },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant' },
        subjects: [{ kind: 'ServiceAccount', name: 'tenant', namespace: ns.team }],
      },
      { fieldManager: 'e2e', force: true },
    );
    userKubeconfig = await cp.serviceAccountKubeconfig(ns.team, 'tenant');
  });
  after(async () => {
    for (const name of Object.values(ns)) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
  });

  it('status shows its namespace and says what it could not read', async () => {
    const out = await kubectlReflect(userKubeconfig, ['status', '-n', ns.team, '-o', 'json']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stderr,
      new RegExp(`^warning: read only namespace ${ns.team}: you may not read cluster-wide lists \\(Forbidden\\)`),
    );
    const list = JSON.parse(out.stdout) as { items: Array<{ metadata: { name: string } }> };
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      ['conf'],
    );
  });

  it('explain names a mirror whose source it cannot read, without calling it orphaned', async () => {
    const out = await kubectlReflect(userKubeconfig, ['explain', 'db', '-n', ns.team]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`is a mirror pushed by kube-reflect of Secret ${ns.src}/db`));
    assert.match(out.stdout, /Its source is in a namespace you may not read/);
  });

  it('sync fills its own pull mirror, and leaves the platform’s mirror alone, even with -A', async () => {
    const out = await kubectlReflect(userKubeconfig, ['sync', '-A', '-n', ns.team]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, `secret/${ns.team}/conf-copy filled\n`);
    const mirror = await client.get<KubeObject>(SECRETS, ns.team, 'db');
    assert.equal((mirror.data as Record<string, string>).k, Buffer.from('db').toString('base64'));
  });
});
