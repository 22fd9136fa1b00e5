import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedCompiler, PATTERN_CACHE_SIZE } from './compile-cache.ts';
import type { PatternResult } from './namespace-pattern.ts';
import { compileGlob } from './glob.ts';

describe('cachedCompiler', () => {
  const counting = () => {
    const compiled: string[] = [];
    const compile = cachedCompiler((text): PatternResult => {
      compiled.push(text);
      return { ok: false, error: text };
    });
    return { compiled, compile };
  };

  it('compiles a text once and hands the same result to every later use', () => {
    const { compiled, compile } = counting();
    const first = compile('team-*');
    assert.equal(compile('team-*'), first);
    assert.deepEqual(compiled, ['team-*']);
  });

  it('keeps the most recently used texts and compiles an evicted one again', () => {
    const { compiled, compile } = counting();
    compile('keep');
    for (let i = 0; i < PATTERN_CACHE_SIZE - 1; i++) compile(`p${i}`);
    compile('keep'); // used again: now the newest
    compile('one-more'); // evicts the least recently used, p0
    compiled.length = 0;
    compile('keep');
    compile('p0');
    assert.deepEqual(compiled, ['p0']);
  });

  it('changes no answer: a cached glob matches as a fresh one does', () => {
    const a = compileGlob('team-*');
    const b = compileGlob('team-*');
    assert.equal(a, b);
    assert.ok(a.ok && a.pattern.matches('team-a') && !a.pattern.matches('other'));
    assert.deepEqual(compileGlob('a/b'), compileGlob('a/b'));
  });
});
