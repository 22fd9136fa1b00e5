// The pod sandbox image of the test node, made from the pause binary tools.sh builds (no registry to pull it from).
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { imageOf, layerOf, tarOf, writeImageArchive } from '../../scripts/oci.mjs';
import { pauseImage } from './node-config.ts';
import { toolPath } from './tools.ts';

/** Go's name for this machine's architecture, as image platforms use it. */
export function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** Path of the pause image archive (next to the pause binary in the tool cache), written on first use. */
export function pauseArchive(): string {
  const bin = toolPath('pause');
  const archive = join(dirname(bin), 'pause-image.tar');
  if (existsSync(archive)) return archive;
  const layer = layerOf(tarOf([{ path: 'pause', type: 'file', mode: 0o755, data: readFileSync(bin) }]));
  const image = imageOf({
    architecture: goArch(),
    layers: [layer],
    config: { Entrypoint: ['/pause'], User: '65535:65535' },
  });
  const tmp = `${archive}.${process.pid}.tmp`;
  writeImageArchive(tmp, { ref: pauseImage, images: [image], dockerArch: goArch() });
  renameSync(tmp, archive);
  return archive;
}
