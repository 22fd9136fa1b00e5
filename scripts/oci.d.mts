/** Types of scripts/oci.mjs, for TypeScript callers. */
export interface TarEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  data?: Buffer;
  target?: string;
  uid?: number;
  gid?: number;
}
export interface Layer {
  blob: Buffer;
  digest: string;
  diffID: string;
  size: number;
  tarSize: number;
}
export interface Image {
  platform: { architecture: string; os: string; variant?: string };
  config: { digest: string; blob: Buffer };
  manifest: { digest: string; blob: Buffer; size: number };
  layers: Layer[];
}
export function digestOf(buf: Buffer): string;
export function tarOf(entries: TarEntry[]): Buffer;
export function layerOf(tar: Buffer, cacheDir?: string): Layer;
export function imageOf(opts: {
  os?: string;
  architecture: string;
  variant?: string;
  layers: Layer[];
  config: Record<string, unknown>;
  created?: string;
}): Image;
export function writeImageArchive(
  path: string,
  opts: { ref: string; images: Image[]; dockerArch?: string; annotations?: Record<string, string> },
): { indexDigest: string; sha256: string; size: number };
