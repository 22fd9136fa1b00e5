// New mirrors written without the `yaml` package's nodes must be byte for byte what the package writes, whatever the
// value: the simple writer either writes exactly that or declines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { simpleDocument, simpleSeqEntry } from './simple-yaml.ts';
import { TRICKY_YAML_WORDS as WORDS } from './test-support/yaml-words.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS } from './yaml-options.ts';

const OPTIONS = { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false };

const LINES = ['a: 1', 'b: [x, y]', '', '  indented', 'x', '---', '- item', '#c', ' ', 'tab\there', 'end ', '...'];

const word = fc.constantFrom(...WORDS);
const multiLine = fc
  .tuple(fc.array(fc.constantFrom(...LINES), { minLength: 2, maxLength: 5 }), fc.constantFrom('', '\n', '\n\n', ' \n'))
  .map(([lines, end]) => lines.join('\n') + end);
const scalar = fc.oneof(
  { weight: 5, arbitrary: word },
  { weight: 2, arbitrary: multiLine },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, 0, -0, 7, 2 ** 53, 1.5, null, undefined, NaN, 10n) },
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.dictionary(word, tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 2 }),
  ),
}));
const map = fc.dictionary(word, value, { minKeys: 1, maxKeys: 6 });

const mirror = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'shared-1',
    namespace: 'team-3',
    labels: { 'kube-reflect.io/mirror': 'true' },
    annotations: { 'kube-reflect.io/source': 'platform/shared-1', 'config.kubernetes.io/index': '0' },
  },
  data: { LOG_LEVEL: 'info', ENDPOINT: 'http://service-1.platform:8080', 'settings.yaml': 'a: 1\nb: [x, y]\n' },
  immutable: true,
};

describe('simple YAML', () => {
  it('writes what the yaml package writes, or declines', () => {
    fc.assert(
      fc.property(map, (v) => {
        const doc = simpleDocument(v);
        if (doc !== undefined) assert.equal(doc, stringify(v, OPTIONS));
        const entry = simpleSeqEntry(v);
        if (entry !== undefined) assert.equal(entry, stringify([v], OPTIONS));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes a typical mirror itself', () => {
    assert.equal(simpleDocument(mirror), stringify(mirror, OPTIONS));
    assert.equal(simpleSeqEntry(mirror), stringify([mirror], OPTIONS));
  });
});
