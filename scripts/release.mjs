#!/usr/bin/env node
// Builds release archives offline: one bundle, compiled with bun for each platform, archived with LICENSE, with sha256
// sums, then krew-manifest.yaml generated from them. Takes minutes and about 1 GB of disk; not part of `npm test`.
// Usage: node scripts/release.mjs [os/arch ...] [--out DIR]   (default: every platform, dist/release);
//        --manifest-only reuses dist/release
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, ENTRIES } from './build.mjs';
import { bunCompileArgs, bunPath } from './bun-compile.mjs';
import { PLATFORMS, archiveName, krewManifest, sha256File } from './krew-manifest.mjs';
import { writeZip } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 && process.argv[outAt + 1] ? process.argv[outAt + 1] : join(root, 'dist', 'release');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const HOMEPAGE = process.env.KUBE_REFLECT_HOMEPAGE ?? 'https://github.com/kube-reflect/kube-reflect';

const manifestOnly = process.argv.includes('--manifest-only');
const wanted = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--out');
if (manifestOnly) {
  // Regenerates the manifest from archives already in dist/release (after editing the generator, say).
  const archives = PLATFORMS.map((p) => ({ os: p.os, arch: p.arch, path: join(out, archiveName(p.os, p.arch)) }));
  writeFileSync(join(root, 'krew-manifest.yaml'), krewManifest({ version: pkg.version, archives, homepage: HOMEPAGE }));
  console.log('wrote krew-manifest.yaml');
  process.exit(0);
}
const platforms = PLATFORMS.filter((p) => wanted.length === 0 || wanted.includes(`${p.os}/${p.arch}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const started = Date.now();
const entry = ENTRIES.find((e) => e.name === 'kubectl-reflect');
const bundled = await bundle(entry.entry, join(out, 'kubectl-reflect.mjs'), entry.options);
console.log(`bundled ${bundled} (${(statSync(bundled).size / 1e6).toFixed(1)} MB)`);
const bun = bunPath();
const archives = [];
for (const p of platforms) {
  const dir = join(out, `${p.os}_${p.arch}`);
  mkdirSync(dir);
  const exe = p.os === 'windows' ? 'kubectl-reflect.exe' : 'kubectl-reflect';
  const t0 = Date.now();
  // Cross targets fetch bun's runtime for that platform from the npm registry (@oven/bun-<os>-<arch>), then cache it.
  execFileSync(bun, bunCompileArgs(bundled, join(dir, exe), p.bunTarget), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  const archive = join(out, archiveName(p.os, p.arch));
  if (p.os === 'windows') writeZip(archive, [join(dir, exe), join(dir, 'LICENSE')]);
  else execFileSync('tar', ['-czf', archive, '--owner=0', '--group=0', '--numeric-owner', '-C', dir, exe, 'LICENSE']);
  const sum = sha256File(archive);
  writeFileSync(`${archive}.sha256`, `${sum}  ${archiveName(p.os, p.arch)}\n`);
  archives.push({ os: p.os, arch: p.arch, path: archive, sha256: sum });
  console.log(
    `${archiveName(p.os, p.arch)}  ${(statSync(archive).size / 1e6).toFixed(0)} MB  ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}
writeFileSync(join(out, 'SHA256SUMS'), archives.map((a) => `${a.sha256}  ${archiveName(a.os, a.arch)}\n`).join(''));
if (platforms.length === PLATFORMS.length) {
  writeFileSync(join(root, 'krew-manifest.yaml'), krewManifest({ version: pkg.version, archives, homepage: HOMEPAGE }));
  console.log('wrote krew-manifest.yaml');
} else console.log('krew-manifest.yaml is written only when every platform is built');
console.log(
  `release ${pkg.version}: ${archives.length} archives in ${out} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
