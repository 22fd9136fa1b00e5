// itemMeta reads lines by their character codes and hands anything unusual to itemMetaByLines, the reference: the
// two must agree on every text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resourceListText } from './fuzz-inputs.ts';
import { splitResourceList } from './item-splitter.ts';
import { itemMeta, itemMetaByLines } from './item-meta.ts';

const INDENT = ['', '', '  ', '    ', '      ', '\t', '  \t', '\u00a0', ' \v'];
const KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'namespace',
  'annotations',
  'labels',
  'spec',
  'config.kubernetes.io/path',
  'internal.config.kubernetes.io/path',
  'config.kubernetes.io/index',
  'config.kubernetes.io/local-config',
  'kube-reflect.io/to',
  'a b',
  '"q"',
  '-x',
  '---',
  '...',
  '- apiVersion',
  '- kind',
  '#',
  'é',
];
const SEPARATORS = [':', ': ', ':  ', ':\t', '', ' :', ':\u00a0'];
const VALUES = [
  '',
  'v1',
  'apps/v1',
  'Deployment',
  'team-a',
  'on',
  'Yes',
  'null',
  '0777',
  '1.5',
  '_x',
  'a/b.yaml',
  "'it''s'",
  '"a\\"b"',
  '"x\\/y"',
  '"unterminated',
  "'single'",
  'x # comment',
  '# comment',
  'x  ',
  '\tx',
  'a: b',
  'é',
  '{a: b}',
  '[a]',
  '|',
  '&a x',
  '*a',
  '!!str x',
  'x\u2028y',
  'x\ry',
];
const EOL = ['\n', '\n', '\r\n'];

const line = fc
  .tuple(fc.constantFrom(...INDENT), fc.constantFrom(...KEYS), fc.constantFrom(...SEPARATORS))
  .chain(([indent, key, sep]) =>
    fc.tuple(fc.constant(`${indent}${key}${sep}`), fc.constantFrom(...VALUES), fc.constantFrom(...EOL)),
  )
  .map(([head, value, eol]) => `${head}${value}${eol}`);

/** A typical item, then lines changed, inserted or removed at random. */
const TYPICAL = [
  '- apiVersion: apps/v1',
  '  kind: Deployment',
  '  metadata:',
  '    name: app-1',
  '    namespace: team-1',
  '    labels:',
  '      app: app-1',
  '    annotations:',
  "      config.kubernetes.io/index: '0'",
  '      config.kubernetes.io/path: apps/team-1/app-1.yaml',
  '  spec:',
  '    replicas: 2',
];
const mutated = fc
  .array(fc.tuple(fc.nat(TYPICAL.length), fc.option(line), fc.boolean()), { maxLength: 4 })
  .map((edits) => {
    const lines = TYPICAL.map((l) => `${l}\n`);
    for (const [at, replacement, insert] of edits) {
      if (replacement === null) lines.splice(at, 1);
      else lines.splice(at, insert ? 0 : 1, replacement);
    }
    return lines.join('');
  });

function agree(text: string): void {
  for (const document of [false, true]) {
    const asDocument = document ? text.replace(/^(\s*)- /, '$1') : text;
    assert.deepEqual(itemMeta(asDocument, document), itemMetaByLines(asDocument, document), asDocument);
  }
}

describe('itemMeta', () => {
  it('agrees with the reference on random lines', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }).map((l) => l.join('')),
        agree,
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference on edited typical items', () => {
    fc.assert(fc.property(mutated, agree), { numRuns: 3000 });
  });

  it('agrees with the reference on the items of generated ResourceLists', () => {
    fc.assert(
      fc.property(resourceListText({ crossItemAliases: false }), (text) => {
        for (const item of splitResourceList(text)?.items ?? []) agree(item.text);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a typical item and a stream document with their markers', () => {
    const item = TYPICAL.map((l) => `${l}\n`).join('');
    const meta = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'app-1',
      namespace: 'team-1',
      annotations: { 'config.kubernetes.io/index': '0', 'config.kubernetes.io/path': 'apps/team-1/app-1.yaml' },
    };
    assert.deepEqual(itemMeta(item), meta);
    const doc = `--- # first\n${item.replace(/^- /, '').replace(/^ {2}/gm, '')}---\n`;
    assert.deepEqual(itemMeta(doc, true), meta);
    assert.deepEqual(itemMetaByLines(doc, true), meta);
  });
});
