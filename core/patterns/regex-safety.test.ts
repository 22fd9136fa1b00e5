import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_BACKTRACKING_STEPS, analyzeBacktracking } from './regex-safety.ts';
import { mentionsLookaround, parseRegex } from './regex-syntax.ts';

function verdict(pattern: string): ReturnType<typeof analyzeBacktracking> {
  const parsed = parseRegex(pattern);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return analyzeBacktracking(parsed.node);
}

describe('analyzeBacktracking', () => {
  const unsafe: [string, string, 'exponential' | 'polynomial'][] = [
    ['a nested plus is exponential', '(a+)+$', 'exponential'],
    ['a star over overlapping alternatives is exponential', '(a|a)*$', 'exponential'],
    ['a plus over alternatives of different lengths is exponential', '(a|aa)+', 'exponential'],
    ['a counted group holding a star is exponential', '(.*a){12}', 'exponential'],
    ['a star over a plus group is exponential', '([a-z]+)*x', 'exponential'],
    ['a repeated group of several characters is refused', '(ab)+', 'exponential'],
    ['a nested quantifier inside a lookahead is refused', '(?=(a+)+)a', 'exponential'],
    ['a nested quantifier inside a lookbehind is refused', '(?<=(a+)+)a', 'exponential'],
    ['four adjacent overlapping stars are polynomial beyond the budget', '.*.*.*.*x', 'polynomial'],
    ['many overlapping optional groups are refused', '(?:a|a)'.repeat(20) + 'b', 'polynomial'],
    ['many optional characters before fixed ones are refused', 'a?'.repeat(30) + 'a'.repeat(30), 'polynomial'],
  ];
  for (const [name, pattern, problem] of unsafe) {
    it(name, () => {
      const v = verdict(pattern);
      assert.ok(!v.ok, `${pattern} should be unsafe`);
      assert.equal(v.problem, problem);
    });
  }

  const safe: [string, string][] = [
    ['the anchored exclusion idiom is safe', '^(?!(?:default|kube-system)$).*'],
    ['the prefix exclusion idiom is safe', '(?!kube-).*'],
    ['repetitions separated by a character they cannot match are safe', '(?!kube-)[a-z]+-[a-z]+-.*'],
    ['two overlapping stars stay within the budget', '(?!x).*-.*'],
    ['a star over disjoint single characters is safe', '(?!x)(a|b)*c'],
    ['an optional group is safe', '(?!x)app(-canary)?-[0-9]{1,3}'],
    ['a suffix exclusion with lookbehind is safe', '.*(?<!-test)'],
  ];
  for (const [name, pattern] of safe) {
    it(name, () => {
      const v = verdict(pattern);
      assert.ok(v.ok, v.ok ? '' : v.reason);
      assert.ok(v.steps <= MAX_BACKTRACKING_STEPS);
    });
  }

  it('analysing random parsable patterns never throws', () => {
    const syntax = fc.string({ unit: fc.constantFrom(...'ab.*+?|()[]{}^$-\\,1!=<:dws'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(fc.oneof(syntax, fc.string({ maxLength: 30 })), (p) => {
        const parsed = parseRegex(p);
        if (parsed.ok) assert.equal(typeof analyzeBacktracking(parsed.node).ok, 'boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseRegex', () => {
  const invalid: [string, string][] = [
    ['a numbered backreference is refused', '(a)\\1'],
    ['a named backreference is refused', '(?<x>a)\\k<x>'],
    ['a quantified lookahead is refused', '(?=a)*'],
    ['an atomic group is refused', '(?>a)'],
    ['a lone brace is refused as in the u flag', 'a{'],
    ['a reversed range is refused', '[b-a]'],
    ['an unknown identity escape is refused as in the u flag', '\\q'],
  ];
  for (const [name, pattern] of invalid) it(name, () => assert.equal(parseRegex(pattern).ok, false));

  it('every pattern the parser accepts also compiles as a JavaScript u-flag regex', () => {
    const syntax = fc.string({ unit: fc.constantFrom(...'ab.*+?|()[]{}^$-\\,1!=<>:dwsu0x'.split('')), maxLength: 16 });
    fc.assert(
      fc.property(syntax, (p) => {
        if (parseRegex(p).ok) assert.doesNotThrow(() => new RegExp(p, 'u'), p);
      }),
      { numRuns: 3000 },
    );
  });

  it('a lookaround is spotted outside escapes and classes only', () => {
    assert.equal(mentionsLookaround('(?!x)'), true);
    assert.equal(mentionsLookaround('a(?<=b)'), true);
    assert.equal(mentionsLookaround('\\(?!x)'), false);
    assert.equal(mentionsLookaround('[(?!x)]'), false);
    assert.equal(mentionsLookaround('(?<name>x)'), false);
  });
});
