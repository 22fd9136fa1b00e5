import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from './backoff.ts';
import { FakeClock } from './test-support/fake-clock.ts';

describe('Backoff', () => {
  it('doubles from 200 ms and caps at 30 s without jitter', () => {
    const b = new Backoff({ random: () => 0, clock: new FakeClock() });
    const delays = Array.from({ length: 10 }, () => b.next());
    assert.deepEqual(delays, [200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it('jitters down to half the delay at most', () => {
    const b = new Backoff({ random: () => 1, clock: new FakeClock() });
    assert.deepEqual([b.next(), b.next()], [100, 200]);
    const r = new Backoff({ random: Math.random, clock: new FakeClock() });
    for (let i = 0; i < 100; i++) {
      const d = r.next();
      assert.ok(d >= 100 && d <= 30_000, String(d));
    }
  });

  it('starts over after a healthy period, and on reset()', async () => {
    const clock = new FakeClock();
    const b = new Backoff({ random: () => 0, clock, resetAfterMs: 60_000 });
    b.next();
    b.next();
    assert.equal(b.next(), 800);
    await clock.advance(59_999);
    assert.equal(b.next(), 1600);
    await clock.advance(60_000);
    assert.equal(b.next(), 200);
    b.next();
    b.reset();
    assert.equal(b.next(), 200);
  });
});
