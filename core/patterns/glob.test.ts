import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PATTERN_LENGTH } from './namespace-pattern.ts';
import { compileGlob } from './glob.ts';

describe('compileGlob', () => {
  const cases: { name: string; glob: string; yes: string[]; no: string[] }[] = [
    {
      name: 'a star glob matches any suffix of the whole name',
      glob: 'team-*',
      yes: ['team-a', 'team-'],
      no: ['xteam-a', 'team'],
    },
    { name: 'a question mark matches exactly one character', glob: 'env-?', yes: ['env-1'], no: ['env-', 'env-12'] },
    { name: 'a bracket class matches one listed character', glob: '[ab]-*', yes: ['a-1', 'b-'], no: ['c-1', 'ab-1'] },
    { name: 'a negated bracket class excludes characters', glob: '[!a]*', yes: ['b', 'bc'], no: ['a', 'abc'] },
    {
      name: 'brace alternatives expand to several globs',
      glob: '{dev,prod}-*',
      yes: ['dev-1', 'prod-'],
      no: ['test-1', 'dev'],
    },
    { name: 'a lone star matches every name', glob: '*', yes: ['a', 'kube-system', '.hidden', '.', '..'], no: [] },
    { name: 'dots are ordinary characters', glob: '.*', yes: ['.a'], no: ['a'] },
    { name: 'a glob never matches part of a name', glob: 'team', yes: ['team'], no: ['team-a', 'a-team'] },
    { name: 'a leading ! is literal because callers handle negation', glob: '!x', yes: ['!x'], no: ['y', 'x'] },
    { name: 'a leading # is literal, not a comment', glob: '#x', yes: ['#x'], no: ['', 'x'] },
    { name: 'extglob syntax is literal', glob: '+(a|b)', yes: ['+(a|b)'], no: ['a', 'ab'] },
    { name: 'a backslash escapes a glob character', glob: 'a\\*', yes: ['a*'], no: ['ab'] },
    { name: 'a globstar is a plain star', glob: '**', yes: ['abc'], no: [] },
    { name: 'a star never matches a slash', glob: '*', yes: [], no: ['a/b'] },
    {
      name: 'many stars match in linear time instead of backtracking',
      glob: '*a*a*a*a*a*a*a*a*a*a*a*a*b',
      yes: [],
      no: ['a'.repeat(5000)],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = compileGlob(c.glob);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.pattern.kind, 'glob');
      for (const n of c.yes) assert.equal(r.pattern.matches(n), true, n);
      for (const n of c.no) assert.equal(r.pattern.matches(n), false, n);
    });
  }

  const errors: [string, string, RegExp][] = [
    ['an empty glob is an error', '', /empty glob pattern/],
    ['a glob over the length limit is an error naming the limit', 'a'.repeat(MAX_PATTERN_LENGTH + 1), /limit is 256/],
    ['a glob with a slash is an error', 'a/*', /cannot contain '\/'/],
    ['a glob whose braces expand too far is an error', '{1..1000}', /more than 64 alternatives/],
    ['a glob that expands to nothing is an error', '{,}', /matches no name/],
    ['a glob minimatch cannot translate is an error', '[[:alpha:]]-*', /invalid glob/],
  ];
  for (const [name, glob, error] of errors) {
    it(name, () => {
      const r = compileGlob(glob);
      assert.ok(!r.ok);
      assert.match(r.error, error);
    });
  }

  it('compiling and matching random globs never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 20 })), (glob, names) => {
        const r = compileGlob(glob);
        if (r.ok) for (const n of names) assert.equal(typeof r.pattern.matches(n), 'boolean');
        else assert.equal(typeof r.error, 'string');
      }),
    );
  });
});
