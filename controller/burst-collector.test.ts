import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../kube/test-support/fake-clock.ts';
import { BurstCollector } from './burst-collector.ts';

function collector(minWrites = 100, quietMs = 1000) {
  const clock = new FakeClock();
  let collections = 0;
  const c = new BurstCollector({ collect: () => collections++, clock, minWrites, quietMs });
  return { clock, c, collections: () => collections };
}

describe('BurstCollector', () => {
  it('collects once, a quiet period after a burst of writes', async () => {
    const { clock, c, collections } = collector();
    for (let i = 0; i < 10; i++) c.reconciled(10);
    await clock.advance(999);
    assert.equal(collections(), 0, 'not before the quiet period is over');
    await clock.advance(1);
    assert.equal(collections(), 1);
    await clock.advance(60_000);
    assert.equal(collections(), 1, 'once per burst');
  });

  it('waits while reconciles go on, writes or not (our own watch events come back after the plan)', async () => {
    const { clock, c, collections } = collector();
    c.reconciled(1000);
    for (let i = 0; i < 5; i++) {
      await clock.advance(500);
      c.reconciled(0);
    }
    assert.equal(collections(), 0);
    await clock.advance(1000);
    assert.equal(collections(), 1);
  });

  it('does not collect after fewer writes than a burst, and counts writes again after a collection', async () => {
    const { clock, c, collections } = collector();
    c.reconciled(99);
    await clock.advance(5000);
    assert.equal(collections(), 0, '99 writes are no burst');
    c.reconciled(1);
    await clock.advance(1000);
    assert.equal(collections(), 1, 'the 100th write makes one');
    c.reconciled(99);
    await clock.advance(5000);
    assert.equal(collections(), 1, 'the count started over');
  });

  it('collects nothing once stopped', async () => {
    const { clock, c, collections } = collector();
    c.reconciled(500);
    c.stop();
    await clock.advance(5000);
    assert.equal(collections(), 0);
  });
});
