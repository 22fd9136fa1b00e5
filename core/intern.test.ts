import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Interner } from './intern.ts';

describe('Interner', () => {
  it('makes one value per distinct string and returns it again for an equal string', () => {
    const made: string[] = [];
    const prefixes = new Interner((ns) => {
      made.push(ns);
      return { prefix: `${ns}/` };
    });
    const a = prefixes.get('team-a');
    // Built at run time, so it is not the same string constant as 'team-a'.
    assert.equal(prefixes.get(['team', 'a'].join('-')), a);
    assert.deepEqual(prefixes.get('team-b'), { prefix: 'team-b/' });
    assert.deepEqual(made, ['team-a', 'team-b']);
    assert.equal(prefixes.size, 2);
  });

  it('starts over when full, so it never holds more than its bound', () => {
    const made: string[] = [];
    const names = new Interner((s) => {
      made.push(s);
      return { s };
    }, 3);
    const first = names.get('a');
    for (const s of ['b', 'c', 'd', 'e']) names.get(s);
    assert.ok(names.size <= 3);
    assert.notEqual(names.get('a'), first, 'a was forgotten when the map started over');
    assert.deepEqual(made, ['a', 'b', 'c', 'd', 'e', 'a']);
  });
});
