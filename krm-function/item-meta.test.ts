// itemMeta reads lines by their character codes and hands anything unusual to itemMetaByLines, the reference: the
// two must agree on every text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resourceListText } from './fuzz-inputs.ts';
import { splitResourceList } from './item-splitter.ts';
import type { ItemMeta } from './item-meta.ts';
import { itemMeta, itemMetaByLines, typicalEntryMeta } from './item-meta.ts';

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

/** An ItemMeta as a plain object (typical entries' annotations are read when asked for), to compare. */
function plain(meta: ItemMeta | undefined): ItemMeta | undefined {
  if (meta === undefined) return undefined;
  const { apiVersion, kind, name, namespace } = meta;
  const annotations = { ...meta.annotations };
  return namespace === undefined
    ? { apiVersion, kind, name, annotations }
    : { apiVersion, kind, name, namespace, annotations };
}

function agree(text: string): void {
  for (const document of [false, true]) {
    const asDocument = document ? text.replace(/^(\s*)- /, '$1') : text;
    assert.deepEqual(plain(itemMeta(asDocument, document)), itemMetaByLines(asDocument, document), asDocument);
  }
}

/** Mostly `good`, sometimes any of `all`: a slot of kpt's usual layout, filled so that the layout often holds. */
const mostly = (good: readonly string[], all: readonly string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 12 }, { arbitrary: fc.constantFrom(...all), weight: 1 });
const NAMES = ['v1', 'apps/v1', 'Deployment', 'team-a', '_x', 'a/b.yaml', 'on'];
const WORDS = [...NAMES, '0', "'0'", '"0"', '"a\\"b"', "'it''s'"];
const KEPT = ['config.kubernetes.io/path', 'internal.config.kubernetes.io/path', 'config.kubernetes.io/index'];

/** Kpt's usual layout (typicalEntryMeta's), with hard words in every slot a value or an annotation key can take. */
const typicalShaped = fc
  .record({
    indent: fc.constantFrom('', '  ', '    '),
    apiVersion: mostly(NAMES, VALUES),
    kind: mostly(NAMES, VALUES),
    name: mostly(NAMES, VALUES),
    namespace: fc.option(mostly(NAMES, VALUES)),
    labels: fc.array(mostly(WORDS, VALUES), { maxLength: 2 }),
    annotations: fc.option(
      fc.array(fc.tuple(mostly(KEPT, KEYS), mostly([': '], SEPARATORS), mostly(WORDS, VALUES)), {
        minLength: 1,
        maxLength: 4,
      }),
    ),
    next: fc.constantFrom('spec:', 'data: {}', 'spec: x\ty', '"q": 1', '- x', '', 'type: Opaque'),
  })
  .map((r) => {
    const i = r.indent;
    const lines = [
      `${i}- apiVersion: ${r.apiVersion}`,
      `${i}  kind: ${r.kind}`,
      `${i}  metadata:`,
      `${i}    name: ${r.name}`,
    ];
    if (r.namespace !== null) lines.push(`${i}    namespace: ${r.namespace}`);
    if (r.labels.length > 0) lines.push(`${i}    labels:`, ...r.labels.map((v) => `${i}      app: ${v}`));
    if (r.annotations !== null) {
      lines.push(`${i}    annotations:`, ...r.annotations.map(([k, sep, v]) => `${i}      ${k}${sep}${v}`));
    }
    if (r.next !== '') lines.push(`${i}  ${r.next}`);
    return `${lines.join('\n')}\n`;
  });

describe('itemMeta', () => {
  it("reads kpt's usual layout with one regular expression, as the loop reads it", () => {
    const typical = TYPICAL.map((l) => `  ${l}\n`).join('');
    assert.deepEqual(plain(typicalEntryMeta(typical)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'app-1',
      namespace: 'team-1',
      annotations: { 'config.kubernetes.io/index': '0', 'config.kubernetes.io/path': 'apps/team-1/app-1.yaml' },
    });
    assert.deepEqual(plain(typicalEntryMeta(typical)), itemMetaByLines(typical));
    let answered = 0;
    fc.assert(
      fc.property(typicalShaped, (text) => {
        const fast = typicalEntryMeta(text);
        if (fast !== undefined) {
          answered++;
          assert.deepEqual(plain(fast), itemMetaByLines(text), text);
        }
        agree(text);
      }),
      { numRuns: 4000 },
    );
    // The property is not vacuous: the expression answers for a good share of the texts.
    assert.ok(answered > 300, `answered ${answered}`);
  });

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
    assert.deepEqual(plain(itemMeta(item)), meta);
    const doc = `--- # first\n${item.replace(/^- /, '').replace(/^ {2}/gm, '')}---\n`;
    assert.deepEqual(itemMeta(doc, true), meta);
    assert.deepEqual(itemMetaByLines(doc, true), meta);
  });
});
