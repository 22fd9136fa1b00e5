import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, settle } from '../kube/test-support/fake-clock.ts';
import { WorkQueue } from './work-queue.ts';

/** Work the test finishes when it chooses: process() awaits gate.wait(), the test calls gate.open(). */
function gates() {
  const waiting: Array<() => void> = [];
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Lets the oldest waiting call go on. */
    open: async () => {
      waiting.shift()?.();
      await settle();
    },
    get waiting() {
      return waiting.length;
    },
  };
}

describe('WorkQueue', () => {
  it('processes a key added many times while queued only once', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ workers: 1, clock: new FakeClock(), process: async (k) => (seen.push(k), 'done') });
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    q.start();
    await q.idle();
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(await q.shutdown(100), true);
  });

  it('never processes one key concurrently, and processes it again if it was added meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const gate = gates();
    const q = new WorkQueue({
      workers: 4,
      clock: new FakeClock(),
      process: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        await gate.wait();
        running--;
        return 'done';
      },
    });
    q.start();
    q.add('k');
    await settle();
    assert.equal(gate.waiting, 1, 'the first run is in flight');
    q.add('k');
    q.add('k');
    await settle();
    assert.equal(gate.waiting, 1, 'no second run while the first is in flight, with three idle workers');
    await gate.open();
    assert.equal(gate.waiting, 1, 'the key added meanwhile runs again, once');
    await gate.open();
    await q.idle();
    assert.equal(maxRunning, 1);
    assert.equal(runs, 2);
    await q.shutdown(100);
  });

  it('never runs a key twice at once, even when it is added again as a worker picks it up', async () => {
    let running = 0;
    let maxRunning = 0;
    const q = new WorkQueue({
      workers: 8,
      clock: new FakeClock(),
      process: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await settle(1);
        running--;
        return 'done';
      },
    });
    q.add('k');
    q.start();
    // Re-add right after start and in the next microtasks, while the first worker is being handed the key.
    q.add('k');
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      q.add('k');
    }
    await q.idle();
    assert.equal(maxRunning, 1);
    await q.shutdown(100);
  });

  it('never processes two keys of one group at once; one added meanwhile runs after, before keys queued behind it', async () => {
    const seen: string[] = [];
    const gate = gates();
    const q = new WorkQueue({
      workers: 3,
      clock: new FakeClock(),
      groupOf: (k) => k.split('|')[0]!,
      process: async (k) => {
        seen.push(k);
        await gate.wait();
        return 'done';
      },
    });
    q.start();
    q.add('s|whole');
    await settle();
    q.add('s|team-a');
    q.add('s|team-a');
    q.add('t|whole');
    await settle();
    assert.deepEqual(seen, ['s|whole', 't|whole'], 'the focused key waits with a worker free; another group runs');
    assert.deepEqual(q.stats(), { depth: 1, inFlight: 2, retries: 0, processed: 0 });
    q.add('u|whole');
    await gate.open();
    assert.deepEqual(seen, ['s|whole', 't|whole', 'u|whole', 's|team-a'], 'once s|whole is done, s|team-a runs, once');
    for (let i = 0; i < 3; i++) await gate.open();
    await q.idle();
    assert.equal(seen.length, 4);
    await q.shutdown(100);
  });

  it('retries a failing key with growing delays and stops retrying once it succeeds', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const q = new WorkQueue({
      workers: 1,
      baseDelayMs: 10,
      random: () => 0.5,
      clock,
      process: async () => (++calls < 4 ? 'retry' : 'done'),
    });
    q.start();
    q.add('k');
    await clock.until('the fourth call', () => calls === 4, { stepMs: 1 });
    await q.idle();
    // Jitter 0.5 leaves each delay as it is: 10, 20, 40 ms of fake time, and nothing more once it succeeded.
    assert.deepEqual(clock.scheduled, [10, 20, 40]);
    assert.deepEqual(clock.pending(), []);
    assert.equal(q.stats().retries, 3);
    await q.shutdown(100);
  });

  it('treats a thrown error as a retry and reports it', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const q = new WorkQueue({
      workers: 1,
      baseDelayMs: 1,
      clock,
      onError: (_k, e) => errors.push(e),
      process: async () => {
        if (n++ === 0) throw new Error('boom');
        return 'done';
      },
    });
    q.start();
    q.add('k');
    await clock.until('the retry', () => n === 2, { stepMs: 1 });
    await q.idle();
    assert.equal(errors.length, 1);
    assert.equal(n, 2);
    await q.shutdown(100);
  });

  it('finishes in-flight work on shutdown and takes no new keys', async () => {
    let finished = 0;
    const gate = gates();
    const q = new WorkQueue({
      workers: 2,
      clock: new FakeClock(),
      process: async () => (await gate.wait(), finished++, 'done'),
    });
    q.start();
    q.add('a');
    await settle();
    const drained = q.shutdown(1000);
    q.add('b');
    await gate.open();
    assert.equal(await drained, true);
    assert.equal(finished, 1);
    assert.equal(gate.waiting, 0, 'b was never taken');
  });

  it('gives up waiting for in-flight work when the shutdown deadline passes', async () => {
    const clock = new FakeClock();
    const gate = gates();
    const q = new WorkQueue({ workers: 1, clock, process: async () => (await gate.wait(), 'done') });
    q.start();
    q.add('a');
    await settle();
    let drained: boolean | undefined;
    void q.shutdown(1000).then((d) => (drained = d));
    await clock.advance(999);
    assert.equal(drained, undefined);
    await clock.advance(1);
    assert.equal(drained, false);
    await gate.open();
  });
});
