import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  it('processes a key added many times while queued only once', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ workers: 1, process: async (k) => (seen.push(k), 'done') });
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    q.start();
    await q.idle();
    assert.deepEqual(seen, ['a', 'b']);
    await q.shutdown(100);
  });

  it('never processes one key concurrently, and processes it again if it was added meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue({
      workers: 4,
      process: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        await sleep(20);
        running--;
        return 'done';
      },
    });
    q.start();
    q.add('k');
    await sleep(5);
    q.add('k');
    q.add('k');
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
      process: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(10);
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

  it('retries a failing key with growing delays and stops retrying once it succeeds', async () => {
    // The retry timer is the test's: it records each delay asked for and fires at once, so no wall clock is involved.
    const delays: number[] = [];
    let calls = 0;
    const q = new WorkQueue({
      workers: 1,
      baseDelayMs: 10,
      random: () => 0.5,
      timer: {
        set: (fn, ms) => {
          delays.push(ms);
          queueMicrotask(fn);
          return delays.length;
        },
        clear: () => {},
      },
      process: async () => (++calls < 4 ? 'retry' : 'done'),
    });
    q.start();
    q.add('k');
    await q.idle();
    assert.equal(calls, 4);
    assert.deepEqual(delays, [10, 20, 40]);
    assert.equal(q.stats().retries, 3);
    await q.shutdown(100);
  });

  it('treats a thrown error as a retry and reports it', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const q = new WorkQueue({
      workers: 1,
      baseDelayMs: 1,
      onError: (_k, e) => errors.push(e),
      process: async () => {
        if (n++ === 0) throw new Error('boom');
        return 'done';
      },
    });
    q.start();
    q.add('k');
    await q.idle();
    assert.equal(errors.length, 1);
    assert.equal(n, 2);
    await q.shutdown(100);
  });

  it('finishes in-flight work on shutdown and takes no new keys', async () => {
    let finished = 0;
    const q = new WorkQueue({ workers: 2, process: async () => (await sleep(30), finished++, 'done') });
    q.start();
    q.add('a');
    await sleep(5);
    const drained = await q.shutdown(1000);
    q.add('b');
    assert.equal(drained, true);
    assert.equal(finished, 1);
  });
});
