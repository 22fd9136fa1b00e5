import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, contentHash } from './content-hash.ts';

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
});
