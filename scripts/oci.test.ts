import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { imageOf, layerOf, tarOf, writeImageArchive, type TarEntry } from './oci.mjs';

const entries = (): TarEntry[] => [
  { path: 'app/b.txt', type: 'file', mode: 0o644, data: Buffer.from('b') },
  { path: '/app/a.txt', type: 'file', mode: 0o755, data: Buffer.from('a'.repeat(600)) },
  { path: 'lib64/ld.so', type: 'symlink', mode: 0o777, target: '/lib/x/ld.so' },
  { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: 65532, gid: 65532 },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];

/** `tar tv` of a tar buffer, through the system tar (an independent reader). */
function listing(tar: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'oci-test-'));
  try {
    const f = join(dir, 'x.tar');
    execFileSync('dd', [`of=${f}`, 'status=none'], { input: tar });
    return execFileSync('tar', ['--numeric-owner', '-tvf', f], { encoding: 'utf8' }).trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/oci.mjs', () => {
  it('writes the same tar bytes for the same entries in any order: sorted, parents added, epoch mtimes, root owner', () => {
    const a = tarOf(entries());
    const b = tarOf([...entries()].reverse());
    assert.ok(a.equals(b));
    const lines = listing(a);
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/).slice(5).join(' ')),
      ['app/', 'app/a.txt', 'app/b.txt', 'home/', 'home/nonroot/', 'lib64/', 'lib64/ld.so -> /lib/x/ld.so', 'tmp/'],
    );
    for (const l of lines) assert.match(l, /1970-01-01 00:00/);
    assert.match(lines.find((l) => l.endsWith('home/nonroot/')) ?? '', /^drwx------ 65532\/65532/);
    assert.match(lines.find((l) => l.endsWith('tmp/')) ?? '', /^drwxrwxrwt 0\/0/);
    assert.match(lines.find((l) => l.endsWith('a.txt')) ?? '', /^-rwxr-xr-x 0\/0 +600 /);
  });

  it('gives the same layer and image digests for the same inputs, and a different one when a byte changes', () => {
    const img = (data: string) =>
      imageOf({
        architecture: 'amd64',
        layers: [layerOf(tarOf([{ path: 'x', type: 'file', mode: 0o644, data: Buffer.from(data) }]))],
        config: { User: '65532:65532' },
      });
    assert.equal(img('same').manifest.digest, img('same').manifest.digest);
    assert.notEqual(img('same').manifest.digest, img('other').manifest.digest);
  });

  it('writes one archive that is an OCI layout (index of every platform, named) and a docker-archive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-test-'));
    try {
      const layer = layerOf(tarOf(entries()));
      const images = ['amd64', 'arm64'].map((architecture) =>
        imageOf({ architecture, layers: [layer], config: { Entrypoint: ['/x'] } }),
      );
      const one = writeImageArchive(join(dir, 'a.tar'), { ref: 'localhost/x:1', images });
      const two = writeImageArchive(join(dir, 'b.tar'), { ref: 'localhost/x:1', images });
      assert.equal(one.sha256, two.sha256);
      execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir]);
      const read = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8')) as Record<string, unknown>;
      const top = read('index.json') as { manifests: { digest: string; annotations: Record<string, string> }[] };
      assert.equal(top.manifests[0]?.annotations['io.containerd.image.name'], 'localhost/x:1');
      assert.equal(top.manifests[0]?.digest, one.indexDigest);
      const index = read(`blobs/sha256/${one.indexDigest.slice(7)}`) as {
        manifests: { platform: { architecture: string } }[];
      };
      assert.deepEqual(
        index.manifests.map((m) => m.platform.architecture),
        ['amd64', 'arm64'],
      );
      const docker = read('manifest.json') as unknown as { Config: string; RepoTags: string[]; Layers: string[] }[];
      assert.deepEqual(docker[0]?.RepoTags, ['localhost/x:1']);
      assert.equal(docker[0]?.Config, `blobs/sha256/${images[0]?.config.digest.slice(7)}`);
      assert.deepEqual(read('repositories'), { 'localhost/x': { '1': layer.diffID.slice(7) } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
