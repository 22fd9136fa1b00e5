#!/usr/bin/env node
// Runs the test tiers with Node's built-in runner through tsx: `unit` (beside the code), `e2e` (test/e2e, real control plane), or all.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const tier = process.argv[2] ?? 'all';
const unitRoots = [
  'core',
  'kube',
  'plugin',
  'krm-function',
  'controller',
  'charts',
  'test/scenarios',
  'scripts',
  'bench',
];
const e2eRoots = ['test/e2e'];

/** Lists test files under the given roots, sorted for a stable order. */
function findTests(roots, pattern) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'testdata') continue;
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(entry)) out.push(p);
    }
  };
  for (const r of roots) if (existsSync(r)) walk(r);
  return out.sort();
}

function run(files, extra = [], env = process.env) {
  if (files.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { stdio: 'inherit', env });
  return r.status ?? 1;
}

/** Runs test/cluster/cli.ts; its stdout is captured (for the KEY=VALUE lines) and echoed. */
function clusterCli(...args) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/cluster/cli.ts', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(r.stdout ?? '');
  return r;
}

/** Runs the e2e files against one shared control plane: builds the tools, starts it, exports it, always stops it. */
function runE2e(files) {
  if (files.length === 0) return 0;
  const tools = spawnSync('bash', ['test/cluster/tools.sh'], { stdio: 'inherit' });
  if (tools.status !== 0) return tools.status ?? 1;
  const name = process.env.KUBE_REFLECT_E2E_CLUSTER ?? `e2e-${process.pid}`;
  // Ctrl-C reaches the children too; ignoring it here lets the finally below stop the control plane.
  const ignore = () => {};
  process.on('SIGINT', ignore).on('SIGTERM', ignore);
  try {
    const up = clusterCli('up', '--name', name, '--audit', '--owner-pid', String(process.pid));
    if (up.status !== 0) return up.status ?? 1;
    const out = Object.fromEntries(
      up.stdout
        .split('\n')
        .flatMap((l) => (/^[A-Z_]+=/.test(l) ? [[l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]] : [])),
    );
    const env = {
      ...process.env,
      KUBE_REFLECT_TEST_CLUSTER: out.KUBE_REFLECT_CLUSTER,
      KUBE_REFLECT_TEST_KUBECONFIG: out.KUBECONFIG,
    };
    return run(files, ['--test-concurrency=1'], env);
  } finally {
    clusterCli('down', '--name', name);
    process.off('SIGINT', ignore).off('SIGTERM', ignore);
  }
}

let status = 0;
if (tier === 'all' || tier === 'unit') status ||= run(findTests(unitRoots, /\.test\.tsx?$/));
if (tier === 'all' || tier === 'e2e') {
  // The e2e tier shares one control plane per run and runs its files one at a time.
  status ||= runE2e(findTests(e2eRoots, /\.test\.tsx?$/));
}
process.exit(status);
