// `kubectl reflect render [DIR|-]`: the KRM function over a directory or stdin, for people without kpt or kustomize.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageSource } from '../../krm-function/index.ts';
import { renderPackage } from '../../krm-function/index.ts';
import type { Io } from '../io.ts';

/** Returns the YAML files under a directory, recursively, sorted by path (kpt's order). */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      if (entry.startsWith('.')) continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry) && entry !== 'Kptfile') out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Renders a package; returns stdout, stderr and the exit code (1 on an error finding, 2 on bad input). */
export function renderSources(sources: readonly PackageSource[]): { stdout: string; stderr: string; code: number } {
  const out = renderPackage(sources);
  if (!out.ok) return { stdout: '', stderr: `error: ${out.error}\n`, code: 2 };
  const stderr = out.results.map((r) => `${r.severity}: ${r.message}\n`).join('');
  return { stdout: out.output, stderr, code: out.failed ? 1 : 0 };
}

/** Runs render over DIR (every YAML file in it) or stdin ("-" or no argument). */
export async function runRender(io: Io, target: string | undefined): Promise<number> {
  let sources: PackageSource[];
  if (target === undefined || target === '' || target === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    sources = [{ name: 'stdin', data: Buffer.concat(chunks) }];
  } else if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    sources = yamlFiles(target).map((f) => ({ name: f, data: readFileSync(f) }));
  } else {
    sources = [{ name: target, data: readFileSync(target) }];
  }
  const out = renderSources(sources);
  io.stdout.write(out.stdout);
  io.stderr.write(out.stderr);
  return out.code;
}
