// No module of what ships imports itself back through others: a cycle makes load order matter (a class used before
// its module finished loading) and is the first sign two files should be one or three (issue 11, reflect-fn's I/O).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shipped = ['core', 'kube', 'plugin', 'krm-function', 'controller'];

/** Every shipped source file (no tests, test data or test support), relative to the repository. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir))) {
      const p = join(dir, entry);
      if (statSync(join(root, p)).isDirectory()) {
        if (entry !== 'testdata' && entry !== 'test-support') walk(p);
      } else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry)) out.push(normalize(p));
    }
  };
  for (const d of shipped) walk(d);
  return out;
}

/** The relative modules a file imports or re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms))
    out.push(normalize(relative(root, join(root, dirname(file), m[1]!))));
  return out;
}

/** Returns one cycle per strongly connected group of modules, as a path of files. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    state.set(file, 'open');
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') found.push([...path.slice(path.indexOf(dep)), dep]);
      else if (!state.has(dep) && graph.has(dep)) visit(dep, [...path, dep]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
  return found;
}

describe('module graph', () => {
  it('has no import cycle in shipped code', () => {
    const files = sources();
    assert.ok(files.length > 100, `found only ${files.length} files`);
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    assert.deepEqual(
      cycles(graph).map((c) => c.join(' -> ')),
      [],
    );
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});
