#!/usr/bin/env node
// npm run demo: a throwaway control plane, the real reflect-controller, examples/controller applied, and the mirrors
// shown appearing, updating and healing. Everything is torn down at the end, even on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const name = `demo-${process.pid}`;
const say = (text) => process.stdout.write(`\n\x1b[1m==> ${text}\x1b[0m\n`);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr ?? ''}${r.stdout ?? ''}`);
  return r.stdout ?? '';
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let controller;
let kubeconfig;
async function main() {
  say('Building kube-reflect (dist/bin) and the control plane binaries it lacks (cached after the first run)');
  run(process.execPath, ['scripts/build.mjs', 'reflect-controller'], { stdio: 'inherit' });
  // Only etcd, kube-apiserver and kube-controller-manager; ones from $KUBEBUILDER_ASSETS or PATH are used if supported.
  run('bash', ['test/cluster/tools.sh', 'plane'], { stdio: 'inherit' });

  say('Starting a throwaway control plane (etcd, kube-apiserver, kube-controller-manager)');
  const up = run(
    process.execPath,
    ['--import', 'tsx', 'test/cluster/cli.ts', 'up', '--name', name, '--owner-pid', String(process.pid)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  kubeconfig = /^KUBECONFIG=(.*)$/m.exec(up)?.[1];
  if (!kubeconfig) throw new Error('the control plane did not print its KUBECONFIG');
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const kubectl = (...args) => run('kubectl', args, { env });

  say('Starting reflect-controller');
  const port = await freePort();
  controller = spawn(
    join(root, 'dist/bin/reflect-controller'),
    ['--health-probe-bind-address', `127.0.0.1:${port}`, '--metrics-bind-address', '0'],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  controller.stderr.on('data', (d) => {
    for (const line of String(d).split('\n').filter(Boolean)) {
      try {
        const e = JSON.parse(line);
        if (e.level !== 'debug')
          process.stdout.write(
            `   controller: ${e.msg}${e.object ? ` ${e.object}` : ''}${e.reason ? ` (${e.reason})` : ''}\n`,
          );
      } catch {
        process.stdout.write(`   controller: ${line}\n`);
      }
    }
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 100) throw new Error('reflect-controller did not become ready');
    await sleep(100);
  }

  const show = () =>
    process.stdout.write(
      kubectl(
        'get',
        'secrets,configmaps',
        '-A',
        '-l',
        'kube-reflect.io/mirror=true',
        '-o',
        'custom-columns=NAMESPACE:.metadata.namespace,KIND:.kind,NAME:.metadata.name,SOURCE:.metadata.annotations.kube-reflect\\.io/source,HASH:.metadata.annotations.kube-reflect\\.io/content-hash',
      ),
    );
  const waitFor = async (what, check) => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) {
      if (check()) return process.stdout.write(`   (${what} after ${Math.round(performance.now() - t0)} ms)\n`);
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const mirrorsIn = (ns) =>
    kubectl('get', 'secrets,configmaps', '-n', ns, '-l', 'kube-reflect.io/mirror=true', '-o', 'name')
      .split('\n')
      .filter(Boolean);

  say('Applying examples/controller (sources in platform; teams a and b; sandbox opted out)');
  process.stdout.write(kubectl('apply', '-f', 'examples/controller/'));
  await waitFor(
    '6 mirrors in team-a and team-b',
    () => mirrorsIn('team-a').length === 3 && mirrorsIn('team-b').length === 3,
  );
  show();

  say('A new namespace team-c appears');
  kubectl('create', 'namespace', 'team-c');
  await waitFor('its 3 mirrors', () => mirrorsIn('team-c').length === 3);

  say('The shared ConfigMap changes: every mirror follows');
  kubectl(
    'patch',
    'configmap',
    'platform-settings',
    '-n',
    'platform',
    '--type',
    'merge',
    '-p',
    '{"data":{"log-level":"debug"}}',
  );
  await waitFor('all mirrors updated', () =>
    ['team-a', 'team-b', 'team-c', 'default'].every(
      (ns) =>
        kubectl('get', 'configmap', 'platform-settings', '-n', ns, '-o', 'jsonpath={.data.log-level}') === 'debug',
    ),
  );

  say('Someone deletes a mirror, and someone edits another: both heal');
  kubectl('delete', 'secret', 'registry-credentials', '-n', 'team-b');
  kubectl(
    'patch',
    'configmap',
    'platform-settings',
    '-n',
    'team-a',
    '--type',
    'merge',
    '-p',
    '{"data":{"region":"hacked"}}',
  );
  await waitFor('the mirror recreated and the edit reverted', () => {
    const exists = kubectl('get', 'secret', '-n', 'team-b', '-o', 'name').includes('registry-credentials');
    const region = kubectl('get', 'configmap', 'platform-settings', '-n', 'team-a', '-o', 'jsonpath={.data.region}');
    return exists && region === 'eu-west-1';
  });
  show();

  say('The TLS source is deleted: its mirrors go, nothing else is touched');
  kubectl('delete', 'secret', 'wildcard-tls', '-n', 'platform');
  await waitFor('TLS mirrors removed', () => !kubectl('get', 'secrets', '-A', '-o', 'name').includes('wildcard-tls'));
  show();
  say('Done. Tearing everything down.');
}

function teardown() {
  if (controller && controller.exitCode === null) controller.kill('SIGTERM');
  spawnSync(process.execPath, ['--import', 'tsx', 'test/cluster/cli.ts', 'down', '--name', name], {
    cwd: root,
    stdio: 'inherit',
  });
}
process.on('SIGINT', () => {
  teardown();
  process.exit(130);
});
main().then(
  () => {
    teardown();
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`demo failed: ${err.message}\n`);
    teardown();
    process.exit(1);
  },
);
