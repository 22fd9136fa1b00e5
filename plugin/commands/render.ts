// `kubectl reflect render [DIR|-]`: the KRM function over a directory or stdin, for people without kpt or kustomize.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reflectResourceList } from '../../krm-function/reflect-resource-list.ts';
import type { Item } from '../../krm-function/resource-list.ts';
import {
  InputError,
  parseInput,
  readResourceList,
  readStream,
  singleKind,
  writeStream,
} from '../../krm-function/resource-list.ts';
import { CONFIG_KIND } from '../../krm-function/function-config.ts';
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

/** Renders a package given as YAML text; returns stdout, stderr and the exit code (1 on an error finding, 2 on bad input). */
export function renderText(text: string, what: string): { stdout: string; stderr: string; code: number } {
  try {
    const input = parseInput(text, what);
    let items: Item[];
    let functionConfig: unknown;
    if (singleKind(input) === 'ResourceList') {
      const rl = readResourceList(input.docs[0]!);
      items = rl.items;
      functionConfig = rl.functionConfig;
    } else {
      items = readStream(input);
      functionConfig = items.find((i) => (i.value as { kind?: unknown } | undefined)?.kind === CONFIG_KIND)?.value;
    }
    const out = reflectResourceList({ items, functionConfig, paths: false });
    const stderr = out.results.map((r) => `${r.severity}: ${r.message}\n`).join('');
    return { stdout: writeStream(input, out.items), stderr, code: out.failed ? 1 : 0 };
  } catch (err) {
    if (err instanceof InputError) return { stdout: '', stderr: `error: ${err.message}\n`, code: 2 };
    throw err;
  }
}

/** Runs render over DIR (every YAML file in it) or stdin ("-" or no argument). */
export async function runRender(io: Io, target: string | undefined): Promise<number> {
  let text: string;
  let what: string;
  if (target === undefined || target === '' || target === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
    what = 'stdin';
  } else if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    const files = yamlFiles(target);
    text = files.map((f) => readFileSync(f, 'utf8').replace(/^---\n/, '')).join('\n---\n');
    what = target;
  } else {
    text = readFileSync(target, 'utf8');
    what = target;
  }
  const out = renderText(text, what);
  io.stdout.write(out.stdout);
  io.stderr.write(out.stderr);
  return out.code;
}
