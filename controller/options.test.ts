import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from './options.ts';

describe('reflect-controller transform flags', () => {
  it('default to 50 rules and 10 KiB per source', () => {
    assert.deepEqual(parseOptions([])?.transformLimits, { maxRules: 50, maxBytes: 10240 });
  });

  it('take --transform-max-rules and --transform-max-bytes, within sane bounds', () => {
    assert.deepEqual(parseOptions(['--transform-max-rules=10', '--transform-max-bytes', '4096'])?.transformLimits, {
      maxRules: 10,
      maxBytes: 4096,
    });
    assert.throws(() => parseOptions(['--transform-max-rules=0']), /positive whole number/);
    assert.throws(() => parseOptions(['--transform-max-bytes=300000']), /at most 262144/);
  });
});

describe("reflect-controller's peer flags", () => {
  it('--allow-all and --ignore-unknown are off by default and on when given', () => {
    const off = parseOptions([]);
    assert.deepEqual([off?.allowAll, off?.ignoreUnknown], [false, false]);
    const on = parseOptions(['--allow-all', '--ignore-unknown']);
    assert.deepEqual([on?.allowAll, on?.ignoreUnknown], [true, true]);
  });
});
