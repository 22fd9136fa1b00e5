import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject, World } from './index.ts';
import {
  explainSource,
  K8sReplicator,
  Kubed,
  Mittwald,
  Native,
  planReflection,
  printable,
  Reflector,
} from './index.ts';
import { planRows } from './plan-rows.ts';

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('writes control characters and bidirectional overrides as escapes, and leaves other text alone', () => {
    assert.equal(printable('a\x1b]52;c;ZXZpbA==\x07b'), 'a\\x1b]52;c;ZXZpbA==\\x07b');
    assert.equal(printable('line\nforged\tcell\r'), 'line\\x0aforged\\x09cell\\x0d');
    assert.equal(printable('\x7f\x9b\u202e\u2066'), '\\x7f\\x9b\\u202e\\u2066');
    assert.equal(printable('team-* → 3 mirrors… 名前 ✓'), 'team-* → 3 mirrors… 名前 ✓');
  });

  it('leaves no unprintable character, and changes nothing the second time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = printable(text);
        assert.doesNotMatch(once, UNPRINTABLE);
        assert.equal(printable(once), once);
      }),
    );
  });
});

// Every annotation a tenant can set on a source, of every dialect.
const KEYS = [Native, Reflector, K8sReplicator, Mittwald, Kubed].flatMap((d) => Object.values(d) as string[]);
const hostile = fc.stringMatching(/^[a-z*.,=!~:{}" -]{0,6}$/).chain((word) =>
  fc
    .array(fc.constantFrom('\x1b[2J', '\x1b]52;c;ZXZpbA==\x07', '\n', '\u202e', '\x9b', word, 'team-a', '*', '{{'), {
      maxLength: 6,
    })
    .map((parts) => parts.join('')),
);

describe('what a plan says about a hostile annotation', () => {
  it('is printable: finding messages, row findings and every explanation string', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), hostile, { minKeys: 1, maxKeys: 4 }), (annotations) => {
        const source: KubeObject = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db', namespace: 'platform', annotations },
          data: { k: 'dg==' },
        };
        const world: World = {
          namespaces: [
            { name: 'platform', labels: {} },
            { name: 'team-a', labels: { env: 'prod' } },
          ],
          objects: [source],
        };
        const plan = planReflection(world);
        for (const f of plan.findings) assert.doesNotMatch(f.message, UNPRINTABLE, f.message);
        for (const row of planRows(world, {}).rows)
          for (const f of row.findings) assert.doesNotMatch(f.message, UNPRINTABLE, f.message);
        const explained = explainSource(world, source);
        const strings = [
          explained.summary,
          ...explained.namespaces.flatMap((n) => [
            n.why,
            n.pullWhy,
            ...(n.transform?.applied ?? []),
            ...(n.transform?.failed ?? []),
          ]),
        ];
        for (const s of strings) assert.doesNotMatch(s, UNPRINTABLE, s);
      }),
      { numRuns: 300 },
    );
  });
});
