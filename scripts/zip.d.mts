/** Types of scripts/zip.mjs, for TypeScript tests. */
export function writeZip(archive: string, files: string[]): void;
