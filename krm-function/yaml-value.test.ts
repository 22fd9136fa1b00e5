// Plain values from YAML nodes, with a bound on the work hostile YAML can cause (trust break 4: a 718-byte alias bomb
// ran for minutes and took gigabytes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { YAML_OPTIONS } from './yaml-options.ts';
import { documentValue, MAX_DEPTH, ValueError } from './yaml-value.ts';

function value(text: string): unknown {
  const doc = parseDocument(text, YAML_OPTIONS);
  assert.deepEqual(doc.errors, []);
  return documentValue(doc);
}

/** Nested aliases: each level is `fanout` aliases to the level below. */
function bomb(levels: number, fanout = 10): string {
  const lines = [`l0: &a0 [${Array(fanout).fill('lol').join(', ')}]`];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `l${i}: &a${i} [${Array(fanout)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('YAML values', () => {
  it('resolves aliases and merge keys as YAML defines them', () => {
    assert.deepEqual(value('a: &x {b: 1}\nc: *x\nd: {<<: *x, e: 2}\nf: {b: 3, <<: [*x, {g: 4}]}\n'), {
      a: { b: 1 },
      c: { b: 1 },
      d: { b: 1, e: 2 },
      f: { b: 3, g: 4 },
    });
  });

  it('an alias names the latest anchor before it', () => {
    assert.deepEqual(value('a: &x 1\nb: *x\nc: &x 2\nd: *x\n'), { a: 1, b: 1, c: 2, d: 2 });
  });

  it('refuses an alias bomb quickly, without expanding it', () => {
    const text = bomb(6);
    assert.ok(text.length < 1000);
    assert.throws(
      () => value(text),
      (e: unknown) => e instanceof ValueError && /aliases expand to more than/.test(e.message),
    );
  });

  it('accepts ordinary alias use, even many aliases of one small anchor', () => {
    assert.equal((value(bomb(2)) as { l2: unknown[] }).l2.length, 10);
    const many = `base: &b {x: 1}\nlist: [${Array(5000).fill('*b').join(', ')}]\n`;
    assert.equal((value(many) as { list: unknown[] }).list.length, 5000);
  });

  it('refuses an alias to the map that contains it, and an alias to no anchor', () => {
    assert.throws(() => value('a: &x [*x]\n'), /refers to a map or list that contains it/);
    assert.throws(() => value('a: *nope\n'), /names no anchor before it/);
  });

  it('refuses nesting deeper than MAX_DEPTH reached through aliases', () => {
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} ${'['.repeat(40)}*a${i - 1}${']'.repeat(40)}`);
    assert.throws(() => value(lines.join('\n')), new RegExp(`more than ${MAX_DEPTH} deep`));
  });

  it('reads `__proto__` as an ordinary key', () => {
    const v = value('__proto__: {polluted: 1}\n') as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  it('refuses a map or list as a map key', () => {
    assert.throws(() => value('? [a]\n: 1\n'), /map key is itself a map or a list/);
  });
});
