import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PATTERN_LENGTH, compileExact } from './namespace-pattern.ts';

describe('compileExact', () => {
  const cases: { name: string; text: string; yes: string[]; no: string[] }[] = [
    {
      name: 'an exact pattern matches only the identical name',
      text: 'team-a',
      yes: ['team-a'],
      no: ['team-ab', 'Team-a', ''],
    },
    { name: 'an exact pattern treats regex and glob characters literally', text: 'a.*', yes: ['a.*'], no: ['ab'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = compileExact(c.text);
      assert.ok(r.ok);
      assert.equal(r.pattern.kind, 'exact');
      for (const n of c.yes) assert.equal(r.pattern.matches(n), true, n);
      for (const n of c.no) assert.equal(r.pattern.matches(n), false, n);
    });
  }

  it('an empty exact pattern is an error', () => {
    assert.deepEqual(compileExact(''), { ok: false, error: 'empty exact pattern' });
  });

  it('an exact pattern longer than the limit is an error naming the limit', () => {
    const r = compileExact('a'.repeat(MAX_PATTERN_LENGTH + 1));
    assert.ok(!r.ok);
    assert.match(r.error, new RegExp(`limit is ${MAX_PATTERN_LENGTH}`));
    assert.ok(compileExact('a'.repeat(MAX_PATTERN_LENGTH)).ok);
  });
});
