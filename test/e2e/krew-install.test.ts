// `kubectl krew install` for real: krew (built from its Go module) installs the linux/amd64 archive that
// `npm run release` makes, with a manifest from the same generator as krew-manifest.yaml, into a throwaway KREW_ROOT;
// kubectl then runs the plugin against the test control plane; `krew uninstall` leaves nothing of it behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { archiveName, krewManifest } from '../../scripts/krew-manifest.mjs';
import { useTestControlPlane, type ControlPlane } from '../cluster/harness.ts';
import { builtTool, toolsScript } from '../cluster/tools.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every file under `dir`, relative. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('krew install of the release archive', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let work: string;
  let krewRoot: string;
  let bin: string;
  let manifest: string;
  let archive: string;

  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, {
      encoding: 'utf8',
      env: {
        ...process.env,
        KREW_ROOT: krewRoot,
        KUBECONFIG: cp.kubeconfigPath,
        // krew is found as `kubectl krew` the way users install it: its binary named kubectl-krew on PATH.
        PATH: `${join(krewRoot, 'bin')}:${bin}:${process.env.PATH ?? ''}`,
        NO_COLOR: '1',
      },
    });
    return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kr-krew-e2e-'));
    krewRoot = join(work, 'krew');
    bin = join(work, 'bin');
    mkdirSync(bin);
    const tools = spawnSync('bash', [toolsScript, 'krew'], { stdio: ['ignore', 'inherit', 'inherit'] });
    assert.equal(tools.status, 0);
    spawnSync('ln', ['-s', builtTool('krew'), join(bin, 'kubectl-krew')]);
    const out = join(work, 'release');
    const rel = spawnSync(process.execPath, ['scripts/release.mjs', 'linux/amd64', '--out', out], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(rel.status, 0, rel.stderr);
    archive = join(out, archiveName('linux', 'amd64'));
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    manifest = join(work, 'reflect.yaml');
    writeFileSync(
      manifest,
      krewManifest({
        version,
        archives: [{ os: 'linux', arch: 'amd64', path: archive }],
        homepage: 'https://github.com/kube-reflect/kube-reflect',
      }),
    );
  });

  before(async () => {
    cp = await useTestControlPlane();
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('the generated manifest is krew-manifest.yaml with this archive as its linux/amd64 platform', () => {
    const head = (text: string) => text.slice(0, text.indexOf('  platforms:'));
    assert.equal(head(readFileSync(manifest, 'utf8')), head(readFileSync(join(root, 'krew-manifest.yaml'), 'utf8')));
  });

  it('installs with krew, runs as `kubectl reflect` against the cluster, and uninstalls leaving nothing', () => {
    // A user's krew has its index cloned (`kubectl krew update`); this machine cannot reach GitHub, so an empty git
    // repository stands in (install --manifest never reads it; uninstall only checks that it is there).
    const index = join(krewRoot, 'index', 'default');
    mkdirSync(index, { recursive: true });
    assert.equal(spawnSync('git', ['init', '-q', index]).status, 0);
    const install = run('kubectl', ['krew', 'install', `--manifest=${manifest}`, `--archive=${archive}`]);
    assert.equal(install.status, 0, install.out);
    assert.match(install.out, /Installed plugin: reflect/);
    // krew's own bookkeeping: the receipt, the versioned store and the kubectl-reflect link on PATH.
    const installed = files(krewRoot).filter((f) => /reflect/.test(f));
    assert.ok(installed.includes(join('receipts', 'reflect.yaml')), installed.join(' '));
    assert.ok(installed.includes(join('bin', 'kubectl-reflect')), installed.join(' '));
    assert.ok(
      installed.some((f) => f.startsWith(join('store', 'reflect', 'v'))),
      installed.join(' '),
    );

    const version = run('kubectl', ['reflect', '--version']);
    assert.equal(version.status, 0, version.out);
    assert.match(version.stdout, /\d+\.\d+\.\d+/);
    const status = run('kubectl', ['reflect', 'status', '-A', '-o', 'json']);
    assert.equal(status.status, 0, status.out);
    JSON.parse(status.stdout);

    const uninstall = run('kubectl', ['krew', 'uninstall', 'reflect']);
    assert.equal(uninstall.status, 0, uninstall.out);
    assert.deepEqual(
      files(krewRoot).filter((f) => /reflect/.test(f) && !f.startsWith(join('index', ''))),
      [],
    );
    assert.notEqual(run('kubectl', ['reflect', '--version']).status, 0);
  });
});
