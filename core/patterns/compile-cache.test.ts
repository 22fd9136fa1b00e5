import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedCompiler, MATCH_CACHE_SIZE, PATTERN_CACHE_SIZE } from './compile-cache.ts';
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

describe('remembered answers', () => {
  const counting = (kind: 'glob' | 'regex', reads: (text: string, name: string) => boolean) => {
    const asked: string[] = [];
    const compile = cachedCompiler((text): PatternResult => ({
      ok: true,
      pattern: {
        kind,
        text,
        matches: (name) => {
          asked.push(name);
          return reads(text, name);
        },
      },
    }));
    return { asked, compile };
  };

  it('asks the pattern once per name and answers every later match from memory', () => {
    const { asked, compile } = counting('glob', (_text, name) => name.startsWith('team-'));
    const p = compile('team-*');
    assert.ok(p.ok);
    for (let i = 0; i < 3; i++) {
      assert.equal(p.pattern.matches('team-a'), true);
      assert.equal(p.pattern.matches('other'), false);
    }
    assert.deepEqual(asked, ['team-a', 'other']);
  });

  it('keeps two compilers apart when they read one text differently', () => {
    const anchored = counting('regex', (text, name) => new RegExp(`^(?:${text})$`).test(name)).compile('a.');
    const prefix = counting('regex', (text, name) => new RegExp(`^(?:${text})`).test(name)).compile('a.');
    assert.ok(anchored.ok && prefix.ok);
    assert.equal(anchored.pattern.matches('abc'), false);
    assert.equal(prefix.pattern.matches('abc'), true);
  });

  it('stays bounded: past MATCH_CACHE_SIZE names it starts over and still answers right', () => {
    const { asked, compile } = counting('glob', (_text, name) => name.endsWith('0'));
    const p = compile('*0');
    assert.ok(p.ok);
    for (let i = 0; i <= MATCH_CACHE_SIZE; i++) assert.equal(p.pattern.matches(`ns-${i}`), i % 10 === 0);
    asked.length = 0;
    assert.equal(p.pattern.matches('ns-0'), true);
    assert.deepEqual(asked, ['ns-0'], 'forgotten when the memory started over');
  });
});
