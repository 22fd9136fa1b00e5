// Items read without the `yaml` package must have exactly the value the package reads, whatever the text: the simple
// reader either reads that value or declines. Held on generated items of tricky words, on those items edited at random
// (hostile characters, line breaks, indentation), on the fuzz inputs' and golden tests' items, and on hostile texts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isSeq, stringify } from 'yaml';
import { resourceListText } from './fuzz-inputs.ts';
import { splitResourceList } from './item-splitter.ts';
import { simpleDocument, simpleSeqEntry } from './simple-yaml.ts';
import { TRICKY_YAML_WORDS as WORDS } from './test-support/yaml-words.ts';
import { simpleDocumentValue, simpleEntryValue } from './simple-yaml-read.ts';
import { NEW_VALUE_OPTIONS, WRITE_OPTIONS } from './yaml-options.ts';
import { parseOne } from './yaml-text.ts';
import { ValueReader } from './yaml-value.ts';

/** The package's reading of an item's text (what LazyTextItem reads), or 'refused' when it refuses the text. */
function packageEntry(text: string): { value: unknown } | 'refused' {
  try {
    const seq = parseOne(text, 'stdin', true).contents;
    if (!isSeq(seq) || seq.items.length !== 1) return 'refused';
    return { value: new ValueReader().read(seq.items[0]) };
  } catch {
    return 'refused';
  }
}

/** The package's reading of a stream document (what LazyStreamItem reads), or 'refused'. */
function packageDocument(text: string): { value: unknown } | 'refused' {
  try {
    return { value: new ValueReader().read(parseOne(text, 'stdin', true).contents) };
  } catch {
    return 'refused';
  }
}

/** Asserts the simple reading of an item is the package's, or declined; returns whether it read it. */
function agreesOnEntry(text: string): boolean {
  const fast = simpleEntryValue(text);
  if (fast === undefined) return false;
  const slow = packageEntry(text);
  assert.notEqual(slow, 'refused', `read what the package refuses: ${JSON.stringify(text)}`);
  assert.deepStrictEqual(fast, (slow as { value: unknown }).value, JSON.stringify(text));
  return true;
}

function agreesOnDocument(text: string): boolean {
  const fast = simpleDocumentValue(text);
  if (fast === undefined) return false;
  const slow = packageDocument(text);
  assert.notEqual(slow, 'refused', `read what the package refuses: ${JSON.stringify(text)}`);
  assert.deepStrictEqual(fast, (slow as { value: unknown }).value, JSON.stringify(text));
  return true;
}

// Words the reader reads (YAML 1.1 typed scalars among them), drawn more often than the rest so it is reached.
const COMMON = [
  'a',
  'v1',
  'team-a',
  'YWRtaW4=',
  'http://service-1.platform:8080',
  'config.kubernetes.io/index',
  'a:b',
  'a b',
  'a,b',
  'a [b]',
  'yes',
  'No',
  'on',
  'y',
  '~',
  'null',
  'true',
  '0',
  '+1',
  '-1',
  '-a',
  '-.inf',
  '0x1F',
  '0o17',
  '0b101',
  '0777',
  '08',
  '1_000',
  '1e3',
  '1e400',
  '3.',
  '.5',
  '.NaN',
  '01:30',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '12345678901234567890',
  '9007199254740993',
  '<<',
  '=',
  '(a)',
  '$x',
  '\\a',
];
const QUOTES = ['"', "'", ''];
const BLOCK_LINES = ['a: 1', 'b: [x, y]', '', '#c', '  indented', 'x', '---', '- item', '...', ' ', 'end ', 'a\tb'];
const HEADERS = ['|', '|-', '|+', '>', '>-', '|2', '| # c', '|\t'];
const ODD_VALUES = [
  '{a: 1}',
  '[x, y]',
  '&a x',
  '*a',
  '!!str x',
  '!!int 1',
  '!custom x',
  '"a\\nb"',
  "'it''s'",
  '{}',
  '[]',
];

/** A text fragment builder: each value writes its lines at a given indentation. */
type Lines = (indent: number) => string[];

/**
 * Generated item texts: maps of tricky keys and values at random indentation, after a `- ` at a random column. `clean`
 * draws only what the reader reads (so that it is reached often); otherwise anything, hostile words included.
 */
function entryTexts(clean: boolean): fc.Arbitrary<string> {
  const word = clean
    ? fc.constantFrom(...COMMON)
    : fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...COMMON) },
        { weight: 1, arbitrary: fc.constantFrom(...WORDS) },
      );
  const key = fc.oneof(
    { weight: clean ? 4 : 0, arbitrary: fc.constantFrom(...CLEAN_KEYS) },
    { weight: 1, arbitrary: fc.tuple(word, fc.constantFrom(...QUOTES)).map(([w, q]) => `${q}${w}${q}`) },
  );
  const scalarText = fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 3, arbitrary: word.map((w) => `"${w}"`) },
    { weight: 2, arbitrary: word.map((w) => `'${w}'`) },
    { weight: clean ? 0 : 1, arbitrary: fc.constantFrom(...ODD_VALUES) },
  );
  const block = fc.record({
    header: clean ? fc.constantFrom('|', '|-') : fc.constantFrom(...HEADERS, '|', '|', '|-'),
    lines: fc.array(fc.oneof(word, fc.constantFrom(...(clean ? CLEAN_BLOCK_LINES : BLOCK_LINES))), {
      minLength: 1,
      maxLength: 5,
    }),
    extra: fc.integer({ min: clean ? 0 : -1, max: 3 }),
    deeper: fc.array(fc.nat(3), { maxLength: 5 }),
  });
  const { node } = fc.letrec<{ node: Lines; pairs: Lines }>((tie) => ({
    // A value: after `key:` on its line, and the lines below it.
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarText.map((v): Lines => () => [` ${v}`]),
      block.map((b): Lines => (indent) => [
        ` ${b.header}`,
        ...b.lines.map((l, i) => {
          // A clean block's first line has content and the least indentation (it sets the block's).
          if (clean && i === 0) return `${' '.repeat(indent + 2 + b.extra)}${l === '' ? 'x' : l}`;
          return l === '' ? '' : `${' '.repeat(indent + 2 + b.extra + (b.deeper[i] ?? 0))}${l}`;
        }),
      ]),
      fc.constant((): string[] => ['']),
      fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...(clean ? [0] : [0, 0, 0, -1, 1])), tie('pairs'))
        .map(([step, jitter, pairs]): Lines => (indent) => [
          '',
          ...pairs(indent + step).map((l, i) => (i === 1 && jitter !== 0 ? shift(l, jitter) : l)),
        ]),
    ),
    // A map's pairs, one per line group.
    pairs: fc
      .array(fc.tuple(key, tie('node'), fc.constantFrom(...(clean ? ['', '', 'blank'] : AFTER))), {
        minLength: 1,
        maxLength: 5,
      })
      .map((entries): Lines => (indent) => {
        const out: string[] = [];
        for (const [k, value, after] of entries) {
          const [head, ...rest] = value(indent) as [string, ...string[]];
          out.push(`${' '.repeat(indent)}${k}:${head}`, ...rest);
          if (after === 'blank') out.push('');
          if (after === 'comment') out.push(`${' '.repeat(indent)}# a comment`);
        }
        return out;
      }),
  }));
  return fc
    .tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('', '', '# head\n', '\n'),
      fc.constantFrom('\n', '\n', '', '\n\n'),
      fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 6 }),
    )
    .map(([indent, gap, lead, end, entries]) => {
      const col = indent + 2 + gap;
      const lines: string[] = [];
      entries.forEach(([k, value], i) => {
        const [head, ...rest] = value(col) as [string, ...string[]];
        const prefix = i === 0 ? `${' '.repeat(indent)}-${' '.repeat(1 + gap)}` : ' '.repeat(col);
        lines.push(`${prefix}${k}:${head}`, ...rest);
      });
      return `${lead}${lines.join('\n')}${end}`;
    });
}

// Plain keys the reader reads (typed ones among them: `yes`, `0x1F` and `null` are keys "true", "31" and "").
const CLEAN_KEYS = [
  'a',
  'b',
  'c',
  'name',
  'data',
  'v1',
  'team-a',
  'config.kubernetes.io/index',
  'settings.yaml',
  'LOG_LEVEL',
  'yes',
  'on',
  'y',
  'true',
  'null',
  '0',
  '0x1F',
  '0777',
  '08',
  '1e3',
  '3.',
  '1_000',
  '2024-01-01',
  '12345678901234567890',
];
const AFTER = ['', '', '', '', '', '', '', '', 'blank', 'comment'];
const CLEAN_BLOCK_LINES = ['a: 1', 'b: [x, y]', '', '#c', '  indented', '---', '- item', '...'];

function shift(line: string, by: number): string {
  return by < 0 ? line.replace(/^ /, '') : ` ${line}`;
}

const entryText = fc.oneof(entryTexts(true), entryTexts(false));

const HOSTILE = [
  ' ',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '#',
  ' #',
  ':',
  ': ',
  '-',
  '- ',
  '"',
  "'",
  '|',
  '>',
  '&',
  '*',
  '!',
  '{',
  '[',
  ',',
  '?',
  '%',
  '@',
  '`',
  '\\',
  '\ufeff',
  '\u2028',
  '\u0085',
  'é',
  '\x00',
  '---\n',
  '...\n',
];

/** An item text edited at random: characters inserted or deleted, lines doubled or re-indented. */
const editedEntry = fc
  .tuple(
    entryText,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('insert', 'delete', 'double', 'indent', 'dedent'),
        fc.constantFrom(...HOSTILE),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, op, s] of edits) {
      const i = t.length === 0 ? 0 : at % t.length;
      if (op === 'insert') t = t.slice(0, i) + s + t.slice(i);
      else if (op === 'delete') t = t.slice(0, i) + t.slice(i + 1);
      else {
        const lines = t.split('\n');
        const j = at % lines.length;
        if (op === 'double') lines.splice(j, 0, lines[j]!);
        else lines[j] = op === 'indent' ? ` ${lines[j]}` : lines[j]!.replace(/^ /, '');
        t = lines.join('\n');
      }
    }
    return t;
  });

const SCALARS = [...WORDS, 'a\nb', 'a\nb\n', 'line 1\nline 2\n\n', '  lead\nx', 'x\n  more\n', 'a: 1\nb: [x, y]\n'];
const scalar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SCALARS) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, 0, 7, 2 ** 53, 1.5, null, 10n) },
);
const { value: writable } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.dictionary(fc.constantFrom(...WORDS), tie('value'), { minKeys: 1, maxKeys: 4 }),
  ),
}));
const writableMap = fc.dictionary(fc.constantFrom(...WORDS), writable, { minKeys: 1, maxKeys: 6 });

const OPTIONS = { ...NEW_VALUE_OPTIONS, ...WRITE_OPTIONS, aliasDuplicateObjects: false };

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

const mirror = `  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: pulled-1
      namespace: team-1
      labels:
        app.kubernetes.io/managed-by: kube-reflect
        kube-reflect.io/mirror: "true"
      annotations:
        kube-reflect.io/from: platform/shared-1
        config.kubernetes.io/index: "0"
        config.kubernetes.io/path: pulls/1.yaml
        kube-reflect.io/content-hash: sha256:aca7f1b23b155490802216442f6ae79ddce35c54921707f5a597adba9f10ae5e
    data:
      LOG_LEVEL: info
      ENDPOINT: http://service-1.platform:8080
      settings.yaml: |
        a: 1
        b: [x, y]
    immutable: true
`;

describe('simple YAML reader', () => {
  it('reads a typical mirror, source and Namespace itself', () => {
    assert.equal(agreesOnEntry(mirror), true);
    assert.equal(agreesOnEntry('- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: team-0\n'), true);
    assert.equal(agreesOnDocument(mirror.replace(/^ {4}/gm, '').replace(/^ {2}- /, '---\n')), true);
  });

  it('reads generated items as the yaml package does, or declines', () => {
    let read = 0;
    fc.assert(
      fc.property(entryText, (text) => {
        if (agreesOnEntry(text)) read++;
      }),
      { numRuns: 3000 },
    );
    // Not a timing: only that the generator reaches the reader (a reader that declines everything would pass).
    assert.ok(read > 300, `read only ${read} of 3000`);
  });

  it('reads items edited at random as the yaml package does, or declines', () => {
    fc.assert(
      fc.property(editedEntry, (text) => {
        agreesOnEntry(text);
      }),
      { numRuns: 4000 },
    );
  });

  it('reads stream documents as the yaml package does, or declines', () => {
    const asDocument = (text: string, marker: string) => {
      // The entry's map moved to column 0: its `-` becomes a space, and every line loses the map's indentation.
      const m = /^( *)-( +)/m.exec(text);
      const col = m === null ? 0 : m[1]!.length + 1 + m[2]!.length;
      const body =
        m === null ? text : text.slice(0, m.index + m[1]!.length) + ' ' + text.slice(m.index + m[1]!.length + 1);
      return marker + body.replace(/^ +/gm, (s) => s.slice(Math.min(col, s.length)));
    };
    let read = 0;
    fc.assert(
      fc.property(
        fc.oneof(entryText, editedEntry),
        fc.constantFrom('', '---\n', '# c\n---\n', '--- # c\n', '--- a\n'),
        (text, marker) => {
          if (agreesOnDocument(asDocument(text, marker))) read++;
        },
      ),
      { numRuns: 3000 },
    );
    assert.ok(read > 100, `read only ${read} of 3000`);
  });

  it('reads back what the simple writer and the yaml package write', () => {
    fc.assert(
      fc.property(writableMap, (v) => {
        const entry = simpleSeqEntry(v) ?? stringify([v], OPTIONS);
        agreesOnEntry(entry);
        agreesOnEntry(entry.replace(/^/gm, '  '));
        agreesOnDocument(simpleDocument(v) ?? stringify(v, OPTIONS));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads the fuzz inputs' items as the yaml package does, or declines", () => {
    fc.assert(
      fc.property(resourceListText({ crossItemAliases: false }), (text) => {
        for (const item of splitResourceList(text)?.items ?? []) agreesOnEntry(item.text);
      }),
      { numRuns: 500 },
    );
  });

  it("reads the golden tests' items as the yaml package does, or declines", () => {
    let read = 0;
    for (const name of readdirSync(testdata)) {
      let text: string;
      try {
        text = readFileSync(join(testdata, name, 'input.yaml'), 'utf8');
      } catch {
        continue;
      }
      const split = splitResourceList(text);
      for (const item of split?.items ?? []) if (agreesOnEntry(item.text)) read++;
      // What the lazy path reads of the list itself: its keys without the items.
      if (split !== undefined && agreesOnDocument(split.head + split.tail)) read++;
      for (const doc of text.split(/^(?=---)/m)) agreesOnDocument(doc);
    }
    assert.ok(read > 0);
  });

  it('declines hostile texts it cannot be sure of, and reads the rest as the package does', () => {
    const deep = (n: number) =>
      `- a:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i + 4)}k${i}:`).join('\n')} v\n`;
    const texts = [
      deep(60),
      deep(200),
      `- ${'k'.repeat(5000)}: v\n`,
      `- a: ${'v'.repeat(100_000)}\n`,
      '- a: 1\n  a: 2\n',
      '- a: 1\n  "a": 2\n',
      '- 1: a\n  "1": b\n',
      '- yes: a\n  true: b\n',
      '- null: a\n  "": b\n',
      '- __proto__: a\n',
      '- <<: {a: 1}\n',
      '- a: &x 1\n  b: *x\n',
      '- a: !!str 1\n',
      '\ufeff- a: 1\n',
      '- a: 1\r\n  b: 2\r\n',
      '- a: 1\n\tb: 2\n',
      '- a:\tb\n',
      '- a: b\n  # c\n  c: d\n',
      '- a: b # c\n',
      '- a: |\n    x\n  # c\n',
      '- a: |\n    x\n    # c\n',
      '- a: |\n\n    x\n',
      '- a: |\n    x\n\n\n  b: 1\n',
      '- a: |-\n    x\n\n',
      '- a: |\n    x\n   y\n',
      '- a: |\n  x\n',
      '- a: b\n   c\n',
      '- a: b\n\n   c\n',
      '- a:\n  - x\n',
      '- a:\n  b: 1\n   c: 2\n',
      '- a:\n    b: 1\n  c: 2\n',
      '- a:\n    b: 1\n   c: 2\n',
      '- a: "b\n  c"\n',
      "- a: 'b''c'\n",
      '- a: "\\u00e9"\n',
      '- a: é\n',
      '- a: b\u2028c\n',
      '- a: b\u0085c\n',
      '- a: b\n...\n',
      '- a: b\n---\n',
      '%YAML 1.1\n- a: b\n',
      '- a: b\n- c: d\n',
      '-   a: b\n    c: d\n',
      '- a: b\n c: d\n',
      '- ? a\n  : b\n',
      '- a : b\n',
      '-\n  a: b\n',
      '- a:b\n',
      '- a: -\n',
      '- a: - b\n',
      '- a: 0777\n  b: 0x1F\n  c: 1e400\n  d: 01:30\n  e: ~\n  f: y\n',
      '- 0777: a\n  0x1F: b\n  1e3: c\n  01:30: d\n  y: e\n  null: f\n',
    ];
    for (const text of texts) {
      agreesOnEntry(text);
      agreesOnDocument(text.replace(/^- /, ''));
    }
    assert.equal(simpleEntryValue(deep(200)), undefined);
    assert.equal(simpleEntryValue('- a: 1\n  a: 2\n'), undefined);
    assert.equal(simpleEntryValue('- __proto__: a\n'), undefined);
  });
});
