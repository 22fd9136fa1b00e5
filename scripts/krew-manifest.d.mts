/** Types of scripts/krew-manifest.mjs, for TypeScript tests. */
export interface Platform {
  os: string;
  arch: string;
  bunTarget: string;
}
export const PLATFORMS: Platform[];
export const DEFAULT_URL_PATTERN: string;
export function archiveName(os: string, arch: string): string;
export function sha256File(path: string): string;
export function krewManifest(options: {
  version: string;
  archives: { os: string; arch: string; path: string }[];
  homepage: string;
  urlPattern?: string;
}): string;
