// The fast path (items kept as text, parsed only when read) and the whole-document path (the list read as one YAML
// document) must give byte-identical output: on every golden input and on generated block-style ResourceLists; and
// so must a legacy stream read document by document and read whole.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { InputError } from './krm-types.ts';
import { readBlockResourceList } from './lazy-resource-list.ts';
import { reflectResourceList } from './reflect-resource-list.ts';
import { resourceLists, resourceListText } from './fuzz-inputs.ts';
import { readLazyStream, readStream, writeStream } from './stream.ts';
import { parseDocuments } from './yaml-text.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

/** Runs the function on a block ResourceList read one way; the error message when the input is refused. */
function through(text: string, whole: boolean): string | undefined {
  try {
    const rl = readBlockResourceList(text, whole);
    if (rl === undefined) return undefined;
    const out = reflectResourceList({ items: rl.items, functionConfig: rl.functionConfig, paths: true });
    return rl.write(out.items, out.results).join('');
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

const STREAM_CONFIG = { apiVersion: 'fn.kube-reflect.io/v1alpha1', kind: 'ReflectConfig', metadata: { name: 'r' } };

/** Runs the function on a legacy stream read one way; the error message when the input is refused. */
function throughStream(text: string, lazy: boolean): string | undefined {
  try {
    const stream = lazy
      ? readLazyStream(text, 'stdin')
      : readStream(text, parseDocuments(text, 'stdin', true), 'stdin');
    if (stream === undefined) return undefined;
    const out = reflectResourceList({ items: stream.items, functionConfig: STREAM_CONFIG, paths: false });
    return `${writeStream(out.items).join('')}${out.results.map((r) => r.message).join('\n')}`;
  } catch (err) {
    if (err instanceof InputError) return `refused: ${err.message}`;
    throw err;
  }
}

/** A generated ResourceList's items as the documents of a stream, with comments (and empty documents) between. */
function asStream(text: string, seed: number, empty = false): string {
  const items = text.split(/\n(?=- |# a comment above)/).slice(1);
  const docs = items.map((item) =>
    item
      .split('\n')
      .map((l) => (l.startsWith('- ') || l.startsWith('  ') ? l.slice(2) : l))
      .join('\n'),
  );
  const seps = ['---\n', '---\n', '--- # next\n', '\n---\n', ...(empty ? ['---\n---\n', '---\n# only\n---\n'] : [])];
  return docs.map((d, i) => (i === 0 ? d : `${seps[(seed + i) % seps.length]}${d}`)).join('\n');
}

describe('a legacy stream read document by document and read whole agree byte for byte', () => {
  const golden = join(testdata, 'legacy-kustomize-stream', 'input.yaml');
  it('legacy-kustomize-stream', () => {
    const text = readFileSync(golden, 'utf8');
    assert.notEqual(throughStream(text, true), undefined);
    assert.equal(throughStream(text, true), throughStream(text, false));
  });

  it('on generated streams (no aliases across documents, which YAML does not allow)', () => {
    fc.assert(
      fc.property(resourceLists({ crossItemAliases: false }), fc.nat(), ({ text }, seed) => {
        const stream = asStream(text, seed);
        const lazy = throughStream(stream, true);
        if (lazy === undefined) return; // fewer than two objects: read whole anyway
        assert.equal(lazy, throughStream(stream, false));
      }),
      { numRuns: 150 },
    );
  });

  // The whole read glued an empty document's `---` without its line break and wrote one back (an extra blank line).
  it('read document by document, empty documents and comments between unrelated objects leave byte for byte', () => {
    fc.assert(
      fc.property(resourceLists({ crossItemAliases: false }), fc.nat(), ({ text, unrelated }, seed) => {
        const stream = `---\n${asStream(text, seed, true)}---\n`;
        const all = unrelated.length === text.split(/\n(?=- |# a comment above)/).length - 1;
        const lazy = throughStream(stream, true);
        if (lazy === undefined || !all) return;
        assert.equal(lazy.slice(0, stream.length), stream);
      }),
      { numRuns: 150 },
    );
  });
});
