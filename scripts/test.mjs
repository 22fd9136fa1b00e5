#!/usr/bin/env node
// Runs the test tiers with Node's built-in runner through tsx: `unit` (beside the code), `e2e` (test/e2e, real control plane), or all.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const tier = process.argv[2] ?? 'all';
const unitRoots = ['core', 'kube', 'plugin', 'krm-function', 'controller', 'test/scenarios', 'scripts', 'bench'];
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

function run(files, extra = []) {
  if (files.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { stdio: 'inherit' });
  return r.status ?? 1;
}

let status = 0;
if (tier === 'all' || tier === 'unit') status ||= run(findTests(unitRoots, /\.test\.tsx?$/));
if (tier === 'all' || tier === 'e2e') {
  // The e2e tier shares one control plane per run and runs its files one at a time.
  status ||= run(findTests(e2eRoots, /\.test\.tsx?$/), ['--test-concurrency=1']);
}
process.exit(status);
