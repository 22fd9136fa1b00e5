// reflect-fn under the real kpt: `kpt fn render` with a Kptfile pipeline, `kpt fn eval --exec` with `-- key=value`
// config, and plain pipes from `kpt fn source`. Works on copies of examples/kpt/platform in a temporary directory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fnBin = join(root, 'dist', 'bin', 'reflect-fn');
const example = join(root, 'examples', 'kpt', 'platform');
const env = { ...process.env, PATH: `${dirname(fnBin)}${delimiter}${process.env.PATH ?? ''}` };
let work: string;

function sh(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? work,
    env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function copyExample(name: string): string {
  const dir = join(work, name);
  cpSync(example, dir, { recursive: true });
  return dir;
}

/** Every file of a directory, by relative path, with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function mirrorFiles(dir: string): string[] {
  return Object.keys(snapshot(dir))
    .filter((p) => p.startsWith('mirrors/'))
    .sort();
}

describe('reflect-fn with kpt', () => {
  before(() => {
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'reflect-fn'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    work = mkdtempSync(join(tmpdir(), 'krm-kpt-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('kpt fn render --allow-exec writes each mirror to its own file, fills pull mirrors and keeps comments', () => {
    const pkg = copyExample('render');
    const r = sh('kpt', ['fn', 'render', pkg, '--allow-exec']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(mirrorFiles(pkg), [
      'mirrors/team-a/configmap-platform-settings.yaml',
      'mirrors/team-a/secret-registry-credentials.yaml',
      'mirrors/team-a/secret-wildcard-tls.yaml',
      'mirrors/team-b/secret-wildcard-tls.yaml',
      'mirrors/team-c/configmap-platform-settings.yaml',
      'mirrors/team-c/secret-registry-credentials.yaml',
      'mirrors/team-c/secret-wildcard-tls.yaml',
    ]);
    const mirror = parse(readFileSync(join(pkg, 'mirrors/team-a/secret-wildcard-tls.yaml'), 'utf8'));
    const source = parse(readFileSync(join(pkg, 'tls.yaml'), 'utf8'));
    assert.deepEqual(mirror.data, source.data);
    assert.equal(mirror.metadata.labels['kube-reflect.io/mirror'], 'true');
    assert.equal(mirror.metadata.annotations['config.kubernetes.io/path'], undefined, 'kpt strips path annotations');
    assert.equal(readFileSync(join(pkg, 'tls.yaml'), 'utf8'), readFileSync(join(example, 'tls.yaml'), 'utf8'));
    const pulled = readFileSync(join(pkg, 'team-b-settings.yaml'), 'utf8');
    assert.match(pulled, /^# A pull mirror: team-b asks/);
    assert.match(pulled, /LOG_LEVEL: info/);
  });

  it('rendering the rendered package again changes nothing', () => {
    const pkg = join(work, 'render');
    const before = snapshot(pkg);
    const r = sh('kpt', ['fn', 'render', pkg, '--allow-exec']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshot(pkg), before);
  });

  it('removes the mirrors it generated once their namespace leaves the package', () => {
    const pkg = join(work, 'render');
    const namespaces = readFileSync(join(pkg, 'namespaces.yaml'), 'utf8');
    writeFileSync(
      join(pkg, 'namespaces.yaml'),
      namespaces.replace(/---\napiVersion: v1\nkind: Namespace\nmetadata:\n {2}name: team-b\n/, ''),
    );
    const r = sh('kpt', ['fn', 'render', pkg, '--allow-exec']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(pkg, 'mirrors/team-b/secret-wildcard-tls.yaml')));
    assert.ok(existsSync(join(pkg, 'mirrors/team-a/secret-wildcard-tls.yaml')));
  });

  it('kpt fn eval --exec takes namespaces from -- key=value config', () => {
    const pkg = copyExample('eval');
    const r = sh('kpt', [
      'fn',
      'eval',
      pkg,
      '--exec',
      fnBin,
      '--',
      'namespaces=team-x',
      'namespaceLabels=team-y:registry-access=true',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const files = mirrorFiles(pkg);
    assert.ok(files.includes('mirrors/team-x/secret-wildcard-tls.yaml'), files.join(' '));
    assert.ok(files.includes('mirrors/team-y/secret-registry-credentials.yaml'), files.join(' '));
    assert.ok(
      !files.includes('mirrors/team-x/secret-registry-credentials.yaml'),
      'team-x has no registry-access label',
    );
  });

  it('an error finding fails kpt fn render, reports the annotation and writes nothing', () => {
    const pkg = copyExample('error');
    const tls = join(pkg, 'tls.yaml');
    writeFileSync(tls, readFileSync(tls, 'utf8').replace('kube-reflect.io/to:', 'kube-reflect.io/too:'));
    const before = snapshot(pkg);
    const r = sh('kpt', ['fn', 'render', pkg, '--allow-exec']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /unknown annotation kube-reflect\.io\/too/);
    assert.deepEqual(snapshot(pkg), before);
  });

  it('bad function config fails kpt fn eval with a result naming the field', () => {
    const pkg = copyExample('bad-config');
    const r = sh('kpt', ['fn', 'eval', pkg, '--exec', fnBin, '--', 'maxTargets=lots']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /data\.maxTargets: "lots" is not a whole number/);
  });

  it('works in plain pipes: kpt fn source | reflect-fn | kpt fn sink', () => {
    const pkg = copyExample('pipes');
    const source = sh('kpt', ['fn', 'source', pkg]);
    assert.equal(source.code, 0, source.stderr);
    const fn = sh(fnBin, [], { input: source.stdout });
    assert.equal(fn.code, 0, fn.stderr);
    const [doc] = parseAllDocuments(fn.stdout);
    const items = (doc?.toJS() as { items: { metadata: { namespace?: string; name: string } }[] }).items;
    assert.ok(items.some((i) => i.metadata.namespace === 'team-b' && i.metadata.name === 'wildcard-tls'));
    const out = join(work, 'pipes-out');
    const sink = sh('kpt', ['fn', 'sink', out], { input: fn.stdout });
    assert.equal(sink.code, 0, sink.stderr);
    assert.ok(existsSync(join(out, 'mirrors/team-b/secret-wildcard-tls.yaml')));
  });

  it('runs with the node flags of its shebang, and a reader that stops early is no failure', async () => {
    assert.match(readFileSync(fnBin, 'utf8').split('\n', 1)[0]!, /^#!\/usr\/bin\/env -S node --single-threaded /);
    // Far more output than a pipe holds, so reflect-fn is still writing when the reader goes away.
    const items = Array.from({ length: 5000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i}`, namespace: 'team-a' },
      data: { value: 'x'.repeat(100) },
    }));
    const input = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items });
    const child = spawn(fnBin, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input);
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.ok(first.startsWith('{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList"'), first.slice(0, 80));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
