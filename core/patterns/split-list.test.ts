import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitPatternList, splitReflectorList } from './split-list.ts';

describe('splitReflectorList', () => {
  const cases: [string, string, string[]][] = [
    [
      'a Reflector list splits on every comma and trims entries',
      ' namespace-1 , namespace-2',
      ['namespace-1', 'namespace-2'],
    ],
    ['a Reflector list drops empty entries', 'a,, ,b,', ['a', 'b']],
    ['a Reflector list splits even inside braces, as Reflector does', 'app-[0-9]{1,3}', ['app-[0-9]{1', '3}']],
    ['an empty Reflector list has no entries', '', []],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.deepEqual(splitReflectorList(value), expected));
});

describe('splitPatternList', () => {
  const cases: [string, string, string[]][] = [
    ['a native list keeps regex repetition counts whole', 'app-[0-9]{1,3},b', ['app-[0-9]{1,3}', 'b']],
    ['a native list keeps brace alternatives whole', '{dev,prod}-*, x', ['{dev,prod}-*', 'x']],
    ['a native list keeps group alternatives whole', 'regex:(a,b)|c,d', ['regex:(a,b)|c', 'd']],
    ['a native list keeps character classes whole', '[,(],x', ['[,(]', 'x']],
    ['a native list does not split on an escaped comma', 'a\\,b,c', ['a\\,b', 'c']],
    ['a native list trims entries and drops empty ones', ' a ,, ,b, ', ['a', 'b']],
    ['a stray closer in a native list does not swallow later entries', 'a),b', ['a)', 'b']],
    ['an unclosed opener keeps the rest in one entry, which then fails to compile', 'a(,b', ['a(,b']],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.deepEqual(splitPatternList(value), expected));

  it('splitting never throws and never yields empty or untrimmed entries', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const list of [splitPatternList(s), splitReflectorList(s)]) {
          for (const e of list) assert.ok(e !== '' && e === e.trim());
        }
      }),
    );
  });
});
