// mayHaveAlias looks from one `*` to the next instead of running a regular expression over the whole text: the two
// must agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mayHaveAlias } from './item-splitter.ts';

const REFERENCE = /(?:^|[\s[{,])\*[^\s[\]{},]/m;
const CHARS = ['*', ' ', '\n', '\r', '\t', '[', ']', '{', '}', ',', 'a', '-', ':', '\u2028', '\u00a0', '"'];

describe('mayHaveAlias', () => {
  it('agrees with the regular expression it replaces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        assert.equal(mayHaveAlias(text), REFERENCE.test(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });
});
