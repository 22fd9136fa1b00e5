import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { InputError } from './krm-types.ts';
import { YAML_OPTIONS } from './yaml-options.ts';
import { parseOne, repeatedKeyMessage } from './yaml-text.ts';

// Keys that are equal or not in tricky ways: numbers in several spellings, quoted numbers, nulls, NaN, booleans.
const KEYS = ['a', 'b', '1', '0x1', '"1"', "'a'", '~', 'null', '.nan', '.NaN', 'yes', 'true', 'on', '<<', '? c', '"a"'];
const key = fc.constantFrom(...KEYS);
const scalar = fc.constantFrom('x', '1', '{}', '[y]');

/** A small YAML text of block and flow maps, some nested, with repeated keys now and then. */
const text = fc
  .array(
    fc.tuple(key, fc.oneof(scalar, fc.array(fc.tuple(key, scalar), { minLength: 1, maxLength: 3 })), fc.boolean()),
    { minLength: 1, maxLength: 5 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, flow]) => {
        if (typeof v === 'string') return k.startsWith('?') ? `${k}\n: ${v}\n` : `${k}: ${v}\n`;
        const inner = v.filter(([ik]) => !ik.startsWith('?') || !flow);
        if (flow || inner.length === 0)
          return `${k.startsWith('?') ? 'k' : k}: {${inner.map(([ik, iv]) => `${ik}: ${iv}`).join(', ')}}\n`;
        return `${k.startsWith('?') ? 'k' : k}:\n${inner.map(([ik, iv]) => (ik.startsWith('?') ? `  ${ik}\n  : ${iv}\n` : `  ${ik}: ${iv}\n`)).join('')}`;
      })
      .join(''),
  );

describe('repeated keys', () => {
  it('are found where the yaml package finds them, at the same line and column', () => {
    let repeated = 0;
    fc.assert(
      fc.property(text, (t) => {
        const reference = parseDocument(t, YAML_OPTIONS);
        const other = reference.errors.find((e) => e.code !== 'DUPLICATE_KEY');
        if (other !== undefined) return;
        const duplicate = reference.errors.find((e) => e.code === 'DUPLICATE_KEY');
        const ours = repeatedKeyMessage(parseDocument(t, { ...YAML_OPTIONS, uniqueKeys: false }), t);
        if (duplicate === undefined) {
          assert.equal(ours, undefined, t);
          return;
        }
        repeated++;
        const { line, col } = duplicate.linePos![0];
        assert.match(ours ?? '', new RegExp(`^Map keys must be unique at line ${line}, column ${col}:`), t);
      }),
      { numRuns: 3000 },
    );
    assert.ok(repeated > 300, `repeated ${repeated}`);
  });

  it('make parseOne throw an error naming the line', () => {
    assert.throws(
      () => parseOne('a: 1\nb:\n  x: 1\n  x: 2\n', 'stdin'),
      (err: unknown) => err instanceof InputError && /Map keys must be unique at line 4, column 3/.test(err.message),
    );
  });
});
