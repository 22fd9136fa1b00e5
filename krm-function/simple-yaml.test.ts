// New mirrors written without the `yaml` package's nodes must be byte for byte what the package writes, whatever the
// value: the simple writer either writes exactly that or declines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { simpleDocument, simpleResults, simpleSeqEntry } from './simple-yaml.ts';
import { TRICKY_YAML_WORDS as WORDS } from './test-support/yaml-words.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';

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
// A result's shape: words, maps of words and small integers, with tricky words in every place.
const resultLike = fc.dictionary(
  word,
  fc.oneof(word, fc.nat(5), fc.dictionary(word, fc.oneof(word, fc.nat(5)), { minKeys: 1, maxKeys: 3 })),
  { minKeys: 1, maxKeys: 5 },
);

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

  it('writes results as the yaml package writes them after the items, or declines', () => {
    const written = (results: unknown[]) => stringify({ results }, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
    let answered = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: resultLike }, map), { maxLength: 3 }), (results) => {
        const text = simpleResults(results);
        if (text === undefined) return;
        answered++;
        assert.equal(text, written(results));
      }),
      { numRuns: 3000 },
    );
    assert.ok(answered > 300, `answered ${answered}`);
    const result = {
      message:
        'ConfigMap team-0/pulled-0: its source platform/shared-1 does not allow namespace team-0: kube-reflect.io/to does not allow it',
      severity: 'warning',
      resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'pulled-0', namespace: 'team-0' },
      field: { path: 'metadata.annotations[kube-reflect.io/from]' },
      file: { path: 'pulls/0.yaml', index: 0 },
      tags: { reason: 'PullDenied' },
    };
    const two = [result, structuredClone(result)];
    assert.notEqual(simpleResults(two), undefined);
    assert.equal(simpleResults(two), written(two));
    // An object met twice is an anchor and an alias to the package: left to it.
    assert.equal(simpleResults([result, result]), undefined);
  });

  it('writes a typical mirror itself', () => {
    assert.equal(simpleDocument(mirror), stringify(mirror, OPTIONS));
    assert.equal(simpleSeqEntry(mirror), stringify([mirror], OPTIONS));
  });
});
