import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLinesParser } from './json-lines.ts';

describe('JsonLinesParser', () => {
  it('parses several lines in one chunk and skips blank lines', () => {
    const p = new JsonLinesParser();
    assert.deepEqual(p.push(Buffer.from('{"a":1}\n\n{"b":2}\r\n')), [{ a: 1 }, { b: 2 }]);
  });

  it('joins a line split across chunks, even inside a multi-byte character', () => {
    const p = new JsonLinesParser();
    const bytes = Buffer.from('{"s":"héllo ✓"}\n{"t":1}\n');
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...p.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(out, [{ s: 'héllo ✓' }, { t: 1 }]);
  });

  it('handles a multi-MB line delivered in 64 KiB chunks', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const bytes = Buffer.from(`${JSON.stringify({ type: 'ADDED', object: { data: big } })}\n`);
    const p = new JsonLinesParser();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 65536) out.push(...p.push(bytes.subarray(i, i + 65536)));
    assert.equal(out.length, 1);
    assert.equal((out[0] as { object: { data: string } }).object.data.length, big.length);
  });

  it('returns a final line without a newline from end()', () => {
    const p = new JsonLinesParser();
    assert.deepEqual(p.push(Buffer.from('{"a":1}\n{"b"')), [{ a: 1 }]);
    assert.deepEqual(p.push(Buffer.from(':2}')), []);
    assert.deepEqual(p.end(), [{ b: 2 }]);
    assert.deepEqual(p.end(), []);
  });

  it('throws on corrupt JSON instead of dropping the event', () => {
    assert.throws(() => new JsonLinesParser().push(Buffer.from('{"a":\n')), /invalid JSON in watch stream/);
  });

  it('bounds memory for a line that never ends', () => {
    const p = new JsonLinesParser(10);
    p.push(Buffer.from('{"a":'));
    assert.throws(() => p.push(Buffer.from('"0123456789"')), /exceeds 10 bytes/);
  });
});
