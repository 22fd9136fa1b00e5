import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PATTERN_LENGTH } from './namespace-pattern.ts';
import { compileReflectorRegex, compileRegex } from './regex.ts';

type Case = { name: string; pattern: string; yes: string[]; no: string[] };

function check(compile: typeof compileRegex, c: Case): void {
  const r = compile(c.pattern);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.pattern.kind, 'regex');
  assert.equal(r.pattern.text, c.pattern);
  for (const n of c.yes) assert.equal(r.pattern.matches(n), true, `${c.pattern} should match ${n}`);
  for (const n of c.no) assert.equal(r.pattern.matches(n), false, `${c.pattern} should not match ${n}`);
}

describe('compileReflectorRegex', () => {
  const cases: Case[] = [
    {
      name: 'a Reflector list entry must match the whole name from its first match',
      pattern: 'a|ab',
      yes: ['a'],
      no: ['ab'],
    },
    {
      name: 'an earlier longer alternative lets a Reflector entry span the name',
      pattern: 'ab|a',
      yes: ['ab', 'a'],
      no: [],
    },
    {
      name: 'a plain Reflector name matches only itself',
      pattern: 'namespace-1',
      yes: ['namespace-1'],
      no: ['namespace-10', 'xnamespace-1', 'namespace-2'],
    },
    { name: 'a Reflector dot-star matches every name', pattern: '.*', yes: ['a', 'kube-system', ''], no: [] },
    {
      name: 'a Reflector prefix regex matches names with the prefix',
      pattern: 'team-.*',
      yes: ['team-a'],
      no: ['x-team-a', 'team'],
    },
    {
      name: 'a Reflector entry whose first match starts later does not match',
      pattern: 'b',
      yes: ['b'],
      no: ['ab', 'bb'],
    },
    {
      name: 'the anchored negative-lookahead idiom excludes the listed namespaces',
      pattern: '^(?!(?:default|kube-system)$).*',
      yes: ['app', 'kube-system-2', 'defaults'],
      no: ['default', 'kube-system'],
    },
    {
      name: 'the unanchored negative-lookahead idiom excludes a prefix',
      pattern: '(?!kube-).*',
      yes: ['app', 'kubex', 'my-kube-x'],
      no: ['kube-system', 'kube-public'],
    },
    {
      name: 'a lookaround entry still needs its first match to span the name',
      pattern: '(?=a)(?:a|ab)',
      yes: ['a'],
      no: ['ab'],
    },
    { name: 'a lookbehind entry can exclude a suffix', pattern: '.*(?<!-test)', yes: ['app-prod'], no: ['app-test'] },
    {
      name: 'RE2 runs classic ReDoS shapes in linear time, so they are accepted without a lookaround',
      pattern: '(a+)+$',
      yes: ['aaaa'],
      no: ['a'.repeat(5000) + '!'],
    },
    {
      name: 'RE2 accepts a repeated alternation with overlap',
      pattern: '(a|aa)+',
      yes: ['aaa'],
      no: ['a'.repeat(5000) + 'b'],
    },
    {
      name: 'RE2 accepts counted nested repetition',
      pattern: '(.*a){12}',
      yes: ['a'.repeat(12)],
      no: ['a'.repeat(3000) + 'b'],
    },
    { name: 'RE2 accepts a starred group', pattern: '([a-z]+)*x', yes: ['abcx'], no: ['a'.repeat(5000)] },
    { name: 'RE2 inline flags work', pattern: '(?i)TEAM-.*', yes: ['team-a'], no: ['x'] },
    {
      name: 'a lookaround pattern never matches a name longer than any namespace name',
      pattern: '(?!kube-).*',
      yes: ['a'.repeat(63)],
      no: ['a'.repeat(64)],
    },
  ];
  for (const c of cases) it(c.name, () => check(compileReflectorRegex, c));
});

describe('compileRegex', () => {
  const cases: Case[] = [
    {
      name: 'a native regex matches when any alternative spans the name',
      pattern: 'a|ab',
      yes: ['a', 'ab'],
      no: ['abc'],
    },
    { name: 'a native regex is anchored at both ends', pattern: 'team', yes: ['team'], no: ['team-a', 'a-team'] },
    {
      name: 'a native regex keeps repetition counts',
      pattern: 'app-[0-9]{1,3}',
      yes: ['app-1', 'app-123'],
      no: ['app-1234'],
    },
    {
      name: 'a native lookaround regex is anchored at both ends',
      pattern: '(?!kube-)[a-z]+|X(?=Y)',
      yes: ['app', 'kube'],
      no: ['kube-system', 'app-1', 'X', 'XY'],
    },
    {
      name: 'a native lookaround regex backtracks into earlier alternatives to span the name',
      pattern: '(?!b)(?:a|ab)',
      yes: ['a', 'ab'],
      no: ['b'],
    },
  ];
  for (const c of cases) it(c.name, () => check(compileRegex, c));
});

describe('regex errors', () => {
  const errors: [string, string, RegExp][] = [
    ['a bare star is an invalid regex, never "all"', '*', /^invalid regular expression '\*': missing argument/],
    ['a glob-like entry is an invalid regex', '*-prod', /invalid regular expression/],
    ['an unbalanced group is an invalid regex', 'a)', /invalid regular expression 'a\)'/],
    ['an empty regex is an error', '', /^empty regex pattern$/],
    ['a regex over the length limit is an error naming the limit', 'a'.repeat(MAX_PATTERN_LENGTH + 1), /limit is 256/],
    ['a backreference without a lookaround is an RE2 error', '(a)\\1', /invalid escape sequence/],
    ['a backreference with a lookaround is rejected', '(?!x)(a)\\1', /backreferences are not supported/],
    ['an atomic group is rejected', '(?>a)', /invalid regular expression/],
    ['an invalid lookaround pattern is an error', '(?!x', /invalid regular expression/],
    ['lookaround patterns reject .NET-only inline options', '(?i)(?!x)a', /invalid regular expression/],
    [
      'a nested quantifier behind a lookahead is rejected as exponential',
      '(?!x)(a+)+$',
      /^pattern '\(\?!x\)\(a\+\)\+\$' may take exponential time \(nested quantifier\); rewrite it without nested repetition$/,
    ],
    ['an overlapping repeated alternation behind a lookahead is rejected', '(?!x)(a|a)*$', /exponential time/],
    ['a repeated multi-character alternation behind a lookahead is rejected', '(?!x)(a|aa)+', /exponential time/],
    ['a counted nested repetition behind a lookahead is rejected', '(?!x)(.*a){12}', /nested quantifier/],
    ['a starred group of a plus behind a lookahead is rejected', '(?!x)([a-z]+)*x', /nested quantifier/],
    ['many overlapping stars behind a lookahead are rejected as polynomial', '(?!x).*.*.*.*x', /polynomial time/],
    ['a nested quantifier inside a lookahead body is rejected', '(?=(a+)+$)a*', /nested quantifier/],
  ];
  for (const [name, pattern, error] of errors) {
    it(name, () => {
      for (const compile of [compileReflectorRegex, compileRegex]) {
        const r = compile(pattern);
        assert.ok(!r.ok, `${pattern} should be rejected`);
        assert.match(r.error, error);
      }
    });
  }
});

describe('regex properties', () => {
  const syntax = fc.string({ unit: fc.constantFrom(...'ab.*+?|()[]{}^$-\\,1!=<:'.split('')), maxLength: 14 });
  const names = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 8 }), { maxLength: 6 });

  it('compiling and matching random patterns never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), syntax), fc.array(fc.string({ maxLength: 70 })), (p, ns) => {
        for (const compile of [compileReflectorRegex, compileRegex]) {
          const r = compile(p);
          if (r.ok) for (const n of ns) assert.equal(typeof r.pattern.matches(n), 'boolean');
          else assert.ok(r.error.length > 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an accepted native regex matches exactly the names a JavaScript full match accepts', () => {
    fc.assert(
      fc.property(syntax, names, (p, ns) => {
        const r = compileRegex(p);
        const reference = jsRegex(`^(?:${p})$`);
        if (!r.ok || reference === undefined || !jsRegex(p)) return;
        for (const n of ns) assert.equal(r.pattern.matches(n), reference.test(n), `${p} on ${n}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('an accepted Reflector regex matches exactly when the first JavaScript match spans the name', () => {
    fc.assert(
      fc.property(syntax, names, (p, ns) => {
        const r = compileReflectorRegex(p);
        const reference = jsRegex(p);
        if (!r.ok || reference === undefined) return;
        for (const n of ns) {
          const m = reference.exec(n);
          assert.equal(r.pattern.matches(n), m !== null && m.index === 0 && m[0].length === n.length, `${p} on ${n}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function jsRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined;
  }
}
