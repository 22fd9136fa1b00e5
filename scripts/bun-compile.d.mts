/** Types of scripts/bun-compile.mjs, for TypeScript tests and benchmarks. */
export function bunPath(): string;
export function bunInstalled(): boolean;
export function bunCompileArgs(bundle: string, outfile: string, target?: string): string[];
