import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { within } from './status.ts';

describe('within', () => {
  it('resolves with what the promise resolves with in time', async () => {
    assert.deepEqual(await within(Promise.resolve([1]), 1000), [1]);
  });

  it('resolves with undefined when the promise is late or rejects', async () => {
    assert.equal(await within(new Promise<number>(() => undefined), 10), undefined);
    assert.equal(await within(Promise.reject(new Error('no')), 1000), undefined);
  });
});
