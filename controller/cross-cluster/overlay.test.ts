import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteOverlay } from './overlay.ts';

const at = (rv: string, v = '') => ({ metadata: { resourceVersion: rv }, v });

describe('WriteOverlay', () => {
  it('prefers our write until the cache holds its resourceVersion, then forgets it', () => {
    const o = new WriteOverlay<ReturnType<typeof at>>();
    o.remember('k', at('12', 'ours'));
    assert.equal(o.pick('k', at('11'))?.v, 'ours');
    assert.equal(o.pick('k', undefined)?.v, 'ours');
    o.observe('k', at('11'));
    assert.equal(o.size, 1);
    o.observe('k', at('12', 'cache'));
    assert.equal(o.size, 0);
    assert.equal(o.pick('k', at('12', 'cache'))?.v, 'cache');
  });

  it('takes a newer cached object over our write', () => {
    const o = new WriteOverlay<ReturnType<typeof at>>();
    o.remember('k', at('12', 'ours'));
    assert.equal(o.pick('k', at('15', 'cache'))?.v, 'cache');
    assert.equal(o.size, 0);
  });

  it('forgets an entry whose watch event never came, after the ttl', () => {
    let now = 0;
    const o = new WriteOverlay<ReturnType<typeof at>>(1000, () => now);
    o.remember('k', at('12', 'ours'));
    now = 1001;
    assert.equal(o.pick('k', at('11', 'cache'))?.v, 'cache');
  });
});
