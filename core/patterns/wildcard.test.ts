import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileGlob, compileGlobByEngine } from './glob.ts';
import { compileReflectorRegex, compileRegex, compileRegexByEngine } from './regex.ts';
import { globPieces, regexPieces } from './wildcard.ts';

// Small alphabets, so that patterns and names meet often; names hold the characters a wildcard may not match.
const name = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '/', '\n', 'é', '😀'), maxLength: 8 });
const glob = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*'), minLength: 1, maxLength: 6 });
const regex = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.constantFrom('a', 'b', '-', '_', '.*'), { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([start, parts, end]) => `${start ? '^' : ''}${parts.join('')}${end ? '$' : ''}`);

// A name made from a pattern by filling its wildcards, so that about half the names drawn match.
const fill = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '/', '\n', 'é'), maxLength: 3 });
const filled = (pieces: string[]) =>
  fc
    .array(fill, { minLength: pieces.length, maxLength: pieces.length })
    .map((fills) => pieces.map((p, i) => (i === 0 ? p : `${fills[i] ?? ''}${p}`)).join(''));
const globAndName = glob.chain((text) => fc.tuple(fc.constant(text), fc.oneof(name, filled(text.split('*')))));
const regexAndName = regex.chain((text) =>
  fc.tuple(fc.constant(text), fc.oneof(name, filled(text.replace(/^\^/, '').replace(/\$$/, '').split('.*')))),
);

const answer = (result: ReturnType<typeof compileGlob>, text: string) => {
  assert.ok(result.ok, `${text} compiles`);
  return result.pattern.matches;
};

describe('wildcard fast path', () => {
  it('takes the shapes it is for, and no other', () => {
    assert.deepEqual(globPieces('team-*'), ['team-', '']);
    assert.deepEqual(globPieces('*-prod'), ['', '-prod']);
    assert.deepEqual(globPieces('a*b*c'), ['a', 'b', 'c']);
    for (const other of ['team-?', '[ab]-*', '{a,b}-*', 'team', 'a\\*']) assert.equal(globPieces(other), undefined);
    assert.deepEqual(regexPieces('team-.*'), ['team-', '']);
    assert.deepEqual(regexPieces('^team-.*$'), ['team-', '']);
    for (const other of ['team-.+', 'team-.', 'team', '(a|b).*', 'a.*?', '[a-z].*', 'a.**'])
      assert.equal(regexPieces(other), undefined);
    for (const result of [compileGlob('team-*'), compileRegex('team-.*'), compileReflectorRegex('team-.*')])
      assert.equal(result.ok && result.pattern.direct, true);
  });

  it('a glob of literals and stars matches exactly the names minimatch and RE2 match', () => {
    fc.assert(
      fc.property(globAndName, ([text, n]) => {
        const fast = answer(compileGlob(text), text);
        assert.equal(
          fast(n),
          answer(compileGlobByEngine(text), text)(n),
          `${JSON.stringify(text)} on ${JSON.stringify(n)}`,
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it('a regex of literals and .* runs matches exactly the names RE2 matches, in both readings', () => {
    fc.assert(
      fc.property(regexAndName, ([text, n]) => {
        const at = `${JSON.stringify(text)} on ${JSON.stringify(n)}`;
        assert.equal(answer(compileRegex(text), text)(n), answer(compileRegexByEngine(text, 'anchored'), text)(n), at);
        assert.equal(
          answer(compileReflectorRegex(text), text)(n),
          answer(compileRegexByEngine(text, 'reflector'), text)(n),
          `reflector: ${at}`,
        );
      }),
      { numRuns: 20_000 },
    );
  });
});
