// reflect-fn under the real kustomize: standalone kustomize v5 running it as an exec KRM transformer, and
// `kubectl kustomize --enable-alpha-plugins` running it as a legacy exec plugin installed in the plugin home.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { toolPath, toolsScript } from '../cluster/tools.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fnBin = join(root, 'dist', 'bin', 'reflect-fn');
const examples = join(root, 'examples', 'kustomize');
let work: string;
let kustomize: string;
let xdg: string;

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...extraEnv }, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function objects(stream: string): Obj[] {
  return parseAllDocuments(stream).map((d) => d.toJS() as Obj);
}

function ids(objs: Obj[]): string[] {
  return objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
}

const EXPECTED_MIRRORS = [
  'ConfigMap team-a/platform-settings',
  'ConfigMap team-c/platform-settings',
  'Secret team-a/registry-credentials',
  'Secret team-a/wildcard-tls',
  'Secret team-b/wildcard-tls',
  'Secret team-c/registry-credentials',
  'Secret team-c/wildcard-tls',
];

/** Installs reflect-fn as kustomize's legacy exec plugin for ReflectConfig under a plugin home, as docs describe. */
function installLegacyPlugin(configHome: string): void {
  const dir = join(configHome, 'kustomize', 'plugin', 'fn.kube-reflect.io', 'v1alpha1', 'reflectconfig');
  mkdirSync(dir, { recursive: true });
  symlinkSync(fnBin, join(dir, 'ReflectConfig'));
}

describe('reflect-fn with kustomize', () => {
  before(() => {
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'reflect-fn'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    try {
      kustomize = toolPath('kustomize');
    } catch {
      const r = spawnSync('bash', [toolsScript, 'kustomize'], { stdio: 'inherit' });
      assert.equal(r.status, 0, 'test/cluster/tools.sh kustomize failed');
      kustomize = toolPath('kustomize');
    }
    work = mkdtempSync(join(tmpdir(), 'krm-kustomize-'));
    xdg = join(work, 'config');
    installLegacyPlugin(xdg);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('standalone kustomize build --enable-alpha-plugins --enable-exec runs it as an exec KRM transformer', () => {
    const r = run(kustomize, ['build', '--enable-alpha-plugins', '--enable-exec', join(examples, 'exec-function')]);
    assert.equal(r.code, 0, r.stderr);
    const objs = objects(r.stdout);
    const mirrors = objs.filter((o) => o.metadata.labels?.['kube-reflect.io/mirror'] === 'true');
    assert.deepEqual(ids(mirrors), EXPECTED_MIRRORS);
    for (const o of objs) {
      const keys = Object.keys(o.metadata.annotations ?? {});
      assert.ok(
        !keys.some((k) => k.startsWith('config.kubernetes.io/') || k.startsWith('internal.')),
        `${keys.join(',')}`,
      );
    }
    const pulled = objs.find((o) => o.metadata.name === 'settings-from-platform');
    assert.equal(pulled?.data?.LOG_LEVEL, 'info');
  });

  it('kubectl kustomize --enable-alpha-plugins runs the same binary as a legacy exec plugin, with the same output', () => {
    const standalone = run(kustomize, [
      'build',
      '--enable-alpha-plugins',
      '--enable-exec',
      join(examples, 'exec-function'),
    ]);
    const r = run('kubectl', ['kustomize', '--enable-alpha-plugins', join(examples, 'legacy-plugin')], {
      XDG_CONFIG_HOME: xdg,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, standalone.stdout);
  });

  it('the legacy plugin fails the build with the finding on stderr when a source is invalid', () => {
    const dir = join(work, 'broken');
    cpSync(join(examples, 'resources'), join(dir, 'resources'), { recursive: true });
    cpSync(join(examples, 'legacy-plugin'), join(dir, 'legacy-plugin'), { recursive: true });
    const tls = join(dir, 'resources', 'tls.yaml');
    writeFileSync(tls, readFileSync(tls, 'utf8').replace('kube-reflect.io/to:', 'kube-reflect.io/too:'));
    const r = run('kubectl', ['kustomize', '--enable-alpha-plugins', join(dir, 'legacy-plugin')], {
      XDG_CONFIG_HOME: xdg,
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /reflect-fn: error: Secret platform\/wildcard-tls: unknown annotation kube-reflect\.io\/too/,
    );
  });

  it('standalone kustomize fails the build when the function config is bad', () => {
    const dir = join(work, 'bad-config');
    cpSync(join(examples, 'resources'), join(dir, 'resources'), { recursive: true });
    mkdirSync(join(dir, 'overlay'));
    writeFileSync(
      join(dir, 'overlay', 'kustomization.yaml'),
      'resources: [../resources]\ntransformers: [reflect.yaml]\n',
    );
    const config = readFileSync(join(examples, 'exec-function', 'reflect.yaml'), 'utf8')
      .replace('../../../dist/bin/reflect-fn', fnBin)
      .replace('namespaces:', 'namespace:');
    writeFileSync(join(dir, 'overlay', 'reflect.yaml'), config);
    const r = run(kustomize, ['build', '--enable-alpha-plugins', '--enable-exec', join(dir, 'overlay')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.namespace: unknown field/);
  });
});
