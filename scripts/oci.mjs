// Deterministic OCI images without a container engine: a tar writer (sorted entries, mtime 0, uid/gid 0 unless given,
// no host paths), gzip layers, and an archive that is both an OCI image layout and a `docker load` tarball.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** sha256 of a buffer as "sha256:<hex>". */
export function digestOf(buf) {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`;
}

function octal(n, width) {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry, size) {
  const h = Buffer.alloc(512);
  let name = entry.path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar: path too long: ${entry.path}`);
    }
  }
  const type = { file: '0', symlink: '2', dir: '5' }[entry.type];
  h.write(name, 0, 100, 'utf8');
  h.write(octal(entry.mode, 8), 100, 8, 'ascii');
  h.write(octal(entry.uid ?? 0, 8), 108, 8, 'ascii');
  h.write(octal(entry.gid ?? 0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii'); // mtime: always the epoch, so a rebuild gives the same bytes
  h.write('        ', 148, 8, 'ascii');
  h.write(type, 156, 1, 'ascii');
  if (entry.type === 'symlink') h.write(entry.target, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return h;
}

/**
 * A tar archive of `entries` ({path, type: file|dir|symlink, mode, data?, target?, uid?, gid?}), sorted by path, with
 * every missing parent directory added (0755, root), so the same entries always give the same bytes.
 */
export function tarOf(entries) {
  const byPath = new Map();
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '').replace(/\/+$/, '');
    byPath.set(path, { ...e, path });
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir', mode: 0o755 });
    }
  }
  const chunks = [];
  for (const path of [...byPath.keys()].sort()) {
    const e = byPath.get(path);
    const named = e.type === 'dir' ? { ...e, path: `${path}/` } : e;
    const data = e.type === 'file' ? e.data : Buffer.alloc(0);
    chunks.push(header(named, data.length), data);
    if (data.length % 512) chunks.push(Buffer.alloc(512 - (data.length % 512)));
  }
  chunks.push(Buffer.alloc(1024));
  return Buffer.concat(chunks);
}

/**
 * A gzip layer from a tar: its blob, digest, uncompressed diffID and sizes. With `cacheDir`, the compressed blob is
 * kept under the tar's digest, so an unchanged layer (the 100 MB runtime) is not compressed again.
 */
export function layerOf(tar, cacheDir) {
  const diffID = digestOf(tar);
  const cached = cacheDir && join(cacheDir, `${diffID.slice('sha256:'.length)}.gz`);
  let blob = cached && existsSync(cached) ? readFileSync(cached) : undefined;
  if (!blob) {
    blob = gzipSync(tar, { level: 9 });
    if (cached) {
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(`${cached}.${process.pid}`, blob);
      renameSync(`${cached}.${process.pid}`, cached);
    }
  }
  return { blob, digest: digestOf(blob), diffID, size: blob.length, tarSize: tar.length };
}

const json = (v) => Buffer.from(JSON.stringify(v));

/**
 * One platform's image: config + manifest blobs for `layers` and `config` (the OCI config's `config` part).
 * Returns the blobs to store and the manifest descriptor.
 */
export function imageOf({ os = 'linux', architecture, variant, layers, config, created = '1970-01-01T00:00:00Z' }) {
  const configBlob = json({
    created,
    architecture,
    ...(variant ? { variant } : {}),
    os,
    config,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffID) },
    history: layers.map(() => ({ created, created_by: 'kube-reflect scripts/image.mjs' })),
  });
  const manifestBlob = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: digestOf(configBlob),
      size: configBlob.length,
    },
    layers: layers.map((l) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: l.digest,
      size: l.size,
    })),
  });
  const platform = { architecture, os, ...(variant ? { variant } : {}) };
  return {
    platform,
    config: { digest: digestOf(configBlob), blob: configBlob },
    manifest: { digest: digestOf(manifestBlob), blob: manifestBlob, size: manifestBlob.length },
    layers,
  };
}

/**
 * Writes `images` (from imageOf) as one tar that is an OCI image layout (index.json → an image index of every
 * platform, named `ref`) and a docker-archive (manifest.json + repositories for `dockerPlatform`'s image, since
 * `docker load` takes one image per tag). Returns the index digest, the archive's sha256 and its size.
 */
export function writeImageArchive(path, { ref, images, dockerArch = 'amd64', annotations = {} }) {
  const blobs = new Map();
  const add = (digest, blob) => blobs.set(digest, blob);
  for (const img of images) {
    add(img.config.digest, img.config.blob);
    add(img.manifest.digest, img.manifest.blob);
    for (const l of img.layers) add(l.digest, l.blob);
  }
  const indexBlob = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: images.map((img) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: img.manifest.digest,
      size: img.manifest.size,
      platform: img.platform,
    })),
    annotations,
  });
  const indexDigest = digestOf(indexBlob);
  add(indexDigest, indexBlob);
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  const repo = ref.slice(0, ref.lastIndexOf(':'));
  const top = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest: indexDigest,
        size: indexBlob.length,
        annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };
  const docker = images.find((i) => i.platform.architecture === dockerArch) ?? images[0];
  const blobPath = (d) => `blobs/sha256/${d.slice('sha256:'.length)}`;
  const entries = [
    { path: 'oci-layout', type: 'file', mode: 0o644, data: json({ imageLayoutVersion: '1.0.0' }) },
    { path: 'index.json', type: 'file', mode: 0o644, data: json(top) },
    {
      path: 'manifest.json',
      type: 'file',
      mode: 0o644,
      data: json([
        {
          Config: blobPath(docker.config.digest),
          RepoTags: [ref],
          Layers: docker.layers.map((l) => blobPath(l.digest)),
        },
      ]),
    },
    {
      path: 'repositories',
      type: 'file',
      mode: 0o644,
      data: json({ [repo]: { [tag]: docker.layers.at(-1).diffID.slice('sha256:'.length) } }),
    },
    ...[...blobs].map(([d, blob]) => ({ path: blobPath(d), type: 'file', mode: 0o644, data: blob })),
  ];
  const tar = tarOf(entries);
  writeFileSync(path, tar);
  return { indexDigest, sha256: digestOf(tar), size: tar.length };
}
