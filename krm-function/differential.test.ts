// The fast path (items kept as text, parsed only when read) and the whole-document path (the list read as one YAML
// document) must give byte-identical output: on every golden input and on generated block-style ResourceLists.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { InputError } from './krm-types.ts';
import { readBlockResourceList } from './lazy-resource-list.ts';
import { reflectResourceList } from './reflect-resource-list.ts';
import { resourceListText } from './fuzz-inputs.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

/** Runs the function on a block ResourceList read one way; the error message when the input is refused. */
function through(text: string, whole: boolean): string | undefined {
  try {
    const rl = readBlockResourceList(text, whole);
    if (rl === undefined) return undefined;
    const out = reflectResourceList({ items: rl.items, functionConfig: rl.functionConfig, paths: true });
    return rl.write(out.items, out.results);
  } catch (err) {
    if (err instanceof InputError) return `refused: ${err.message}`;
    throw err;
  }
}

describe('fast path and whole-document path agree byte for byte', () => {
  for (const name of readdirSync(testdata).sort()) {
    const input = join(testdata, name, 'input.yaml');
    if (existsSync(join(testdata, name, 'legacy-config.yaml'))) continue;
    const text = readFileSync(input, 'utf8');
    const lazy = through(text, false);
    if (lazy === undefined) continue;
    it(name, () => assert.equal(through(text, true), lazy));
  }

  it('on generated ResourceLists (no aliases across items, which only the whole path reads)', () => {
    fc.assert(
      fc.property(resourceListText({ crossItemAliases: false }), (text) => {
        assert.equal(through(text, true), through(text, false));
      }),
      { numRuns: 150 },
    );
  });
});
