import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalEqual, canonicalJson, contentHash } from './content-hash.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }),
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it('writes integers beyond 2^53 (BigInt) with every digit, so values differing in the last digit differ', () => {
    assert.equal(
      canonicalJson({ n: 12345678901234567890n, m: [-9223372036854775808n] }),
      '{"m":[-9223372036854775808],"n":12345678901234567890}',
    );
    assert.notEqual(contentHash({ n: 12345678901234567890n }), contentHash({ n: 12345678901234567891n }));
  });

  it('hashes a "__proto__" key like any other (ConfigMap data may use it), so an edit of its value is seen', () => {
    assert.notEqual(contentHash(JSON.parse('{"__proto__":"a"}')), contentHash(JSON.parse('{"__proto__":"b"}')));
  });

  it('writes what JSON.stringify writes of a copy sorted at every depth (the earlier implementation), on any JSON', () => {
    const sortDeep = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortDeep);
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) out[key] = sortDeep(v);
      }
      return out;
    };
    const anything = fc.anything({
      withObjectString: true,
      // The earlier writer lost a "__proto__" key (assigning it to a fresh object sets the prototype); this one keeps it.
      key: fc.string().filter((k) => k !== '__proto__'),
      withSparseArray: true,
      maxDepth: 4,
      values: [
        fc.string({ unit: 'binary' }),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
      ],
    });
    fc.assert(
      fc.property(anything, (value) => {
        assert.equal(canonicalJson(value), JSON.stringify(sortDeep(value)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalEqual', () => {
  it('is canonicalJson(a) === canonicalJson(b), on values drawn small enough to be often equal', () => {
    // Few keys and values, so that independent draws are equal often, and every case of "no JSON form" is met:
    // undefined and functions in maps and lists, NaN and Infinity (written null), -0, BigInt beside a number.
    const small = fc.anything({
      key: fc.constantFrom('a', 'b', '0', '__proto__'),
      maxDepth: 2,
      maxKeys: 3,
      withSparseArray: true,
      values: [
        fc.constantFrom('x', 'y', null, undefined, 0, -0, 1, Number.NaN, Number.POSITIVE_INFINITY, 1n, true),
        fc.constant(() => 1),
      ],
    });
    let equal = 0;
    fc.assert(
      fc.property(small, small, (a, b) => {
        const expected = canonicalJson(a) === canonicalJson(b);
        if (expected) equal++;
        assert.equal(canonicalEqual(a, b), expected, `${canonicalJson(a)} vs ${canonicalJson(b)}`);
        assert.equal(canonicalEqual(a, reorderedCopy(a)), true);
      }),
      { numRuns: 5000 },
    );
    assert.ok(equal > 100, `only ${equal} equal pairs drawn`);
  });

  it('ignores key order and keys without a JSON form, and sees a changed value at any depth', () => {
    assert.equal(canonicalEqual({ a: 1, b: { c: 'x', d: undefined } }, { b: { c: 'x' }, a: 1 }), true);
    assert.equal(canonicalEqual({ a: [undefined] }, { a: [null] }), true);
    assert.equal(canonicalEqual({ a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }), false);
    assert.equal(canonicalEqual({ a: 'x' }, { a: 'x', b: null }), false);
    assert.equal(canonicalEqual(['a'], { 0: 'a' }), false);
  });
});

/** A deep copy of plain data with its keys in reverse order (functions kept as they are). */
function reorderedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderedCopy);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse())
    Object.defineProperty(out, key, {
      value: reorderedCopy((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
