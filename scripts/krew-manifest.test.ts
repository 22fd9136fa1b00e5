// krew-manifest.yaml is generated from release archives; here on small fake archives, checked against krew's rules.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { archiveName, krewManifest, PLATFORMS } from './krew-manifest.mjs';
import { writeZip } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Returns every way a manifest breaks krew's rules (krew's plugin-manifest docs and its index validation). */
// Parsed YAML is untyped; the checks below are the types.
/* eslint-disable @typescript-eslint/no-explicit-any */
function krewProblems(doc: unknown): string[] {
  const p: string[] = [];
  const m = doc as Record<string, any>;
  if (m.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') p.push(`apiVersion ${m.apiVersion}`);
  if (m.kind !== 'Plugin') p.push(`kind ${m.kind}`);
  if (m.metadata?.name !== 'reflect') p.push(`metadata.name ${m.metadata?.name}`);
  const spec = m.spec ?? {};
  if (!/^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(String(spec.version)))
    p.push(`spec.version ${spec.version}`);
  if (
    typeof spec.shortDescription !== 'string' ||
    spec.shortDescription.length === 0 ||
    spec.shortDescription.length > 80
  )
    p.push('spec.shortDescription must be a short line');
  if (!/^https:\/\//.test(String(spec.homepage))) p.push(`spec.homepage ${spec.homepage}`);
  if (!Array.isArray(spec.platforms) || spec.platforms.length === 0) return [...p, 'spec.platforms is empty'];
  for (const [i, pl] of (spec.platforms as Record<string, any>[]).entries()) {
    const at = `spec.platforms[${i}]`;
    const labels = pl.selector?.matchLabels ?? {};
    if (typeof labels.os !== 'string' || typeof labels.arch !== 'string')
      p.push(`${at}.selector needs matchLabels os and arch`);
    if (!/^https:\/\/.+\.(tar\.gz|zip)$/.test(String(pl.uri))) p.push(`${at}.uri ${pl.uri}`);
    if (!/^[0-9a-f]{64}$/.test(String(pl.sha256))) p.push(`${at}.sha256 ${pl.sha256}`);
    const exe = labels.os === 'windows' ? 'kubectl-reflect.exe' : 'kubectl-reflect';
    if (pl.bin !== exe) p.push(`${at}.bin ${pl.bin}, want ${exe}`);
    if (labels.os === 'windows' && !String(pl.bin).endsWith('.exe')) p.push(`${at}: krew runs only .exe on windows`);
    const files = (pl.files ?? []) as { from?: string; to?: string }[];
    if (!files.some((f) => f.from === exe)) p.push(`${at}.files does not extract ${exe}`);
    if (!files.some((f) => f.from === 'LICENSE')) p.push(`${at}.files does not extract LICENSE`);
  }
  return p;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Makes tiny archives shaped like the real ones: the executable and LICENSE. */
function fakeArchives(dir: string): { os: string; arch: string; path: string }[] {
  return PLATFORMS.map(({ os, arch }) => {
    const exe = os === 'windows' ? 'kubectl-reflect.exe' : 'kubectl-reflect';
    writeFileSync(join(dir, exe), `fake ${os}/${arch}\n`);
    writeFileSync(join(dir, 'LICENSE'), 'Apache License 2.0\n');
    const path = join(dir, archiveName(os, arch));
    if (os === 'windows') writeZip(path, [join(dir, exe), join(dir, 'LICENSE')]);
    else execFileSync('tar', ['-czf', path, '-C', dir, exe, 'LICENSE']);
    return { os, arch, path };
  });
}

describe('krew manifest', () => {
  it('is generated from the archives and follows krew rules', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'krew-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const archives = fakeArchives(dir);
    const text = krewManifest({ version, archives, homepage: 'https://example.com/kube-reflect' });
    const doc = parse(text) as {
      spec: {
        version: string;
        platforms: { uri: string; sha256: string; selector: { matchLabels: Record<string, string> } }[];
      };
    };
    assert.deepEqual(krewProblems(doc), []);
    assert.equal(doc.spec.version, `v${version}`);
    assert.deepEqual(
      doc.spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`),
      ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'],
    );
    for (const [i, a] of archives.entries()) {
      assert.equal(doc.spec.platforms[i]?.sha256, createHash('sha256').update(readFileSync(a.path)).digest('hex'));
      assert.ok(doc.spec.platforms[i]?.uri.endsWith(`/v${version}/${archiveName(a.os, a.arch)}`));
    }
  });

  it(
    'writes zip archives that unzip reads back, executable bit included',
    { skip: spawnSync('unzip', ['-v']).status !== 0 },
    (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'zip-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'kubectl-reflect.exe'), 'MZ fake binary '.repeat(100), { mode: 0o755 });
      writeFileSync(join(dir, 'LICENSE'), 'Apache License\n');
      writeZip(join(dir, 'a.zip'), [join(dir, 'kubectl-reflect.exe'), join(dir, 'LICENSE')]);
      assert.equal(spawnSync('unzip', ['-tq', join(dir, 'a.zip')]).status, 0);
      const listing = execFileSync('unzip', ['-Z', join(dir, 'a.zip')], { encoding: 'utf8' });
      assert.match(listing, /-rwxr-xr-x .* kubectl-reflect\.exe/);
      assert.equal(
        execFileSync('unzip', ['-p', join(dir, 'a.zip'), 'LICENSE'], { encoding: 'utf8' }),
        'Apache License\n',
      );
    },
  );

  it('the rules catch a broken manifest', () => {
    const broken = {
      apiVersion: 'v1',
      kind: 'Plugin',
      metadata: { name: 'x' },
      spec: { version: '1.0', platforms: [{ selector: {}, uri: 'http://x', sha256: 'abc', bin: 'k' }] },
    };
    assert.equal(krewProblems(broken).length >= 8, true);
  });

  it(
    'the committed krew-manifest.yaml follows krew rules and carries the package version',
    { skip: !existsSync(join(root, 'krew-manifest.yaml')) },
    () => {
      const text = readFileSync(join(root, 'krew-manifest.yaml'), 'utf8');
      assert.match(text, /^# Generated by scripts\/release.mjs/);
      const doc = parse(text) as { spec: { version: string } };
      assert.deepEqual(krewProblems(doc), []);
      assert.equal(doc.spec.version, `v${version}`, 'run npm run release after bumping the version');
    },
  );
});
