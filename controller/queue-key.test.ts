import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeQueueKey, encodeQueueKey, sourceQueueKey } from './queue-key.ts';

const dns = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?$/);

describe('queue keys', () => {
  it('decode what they encode, with and without a focus', () => {
    fc.assert(
      fc.property(dns, dns, dns, fc.option(dns, { nil: undefined }), (resource, namespace, name, focus) => {
        const k = focus === undefined ? { resource, namespace, name } : { resource, namespace, name, focus };
        assert.deepEqual(decodeQueueKey(encodeQueueKey(k)), k);
      }),
    );
  });

  it('tell a focused reconcile from a full one', () => {
    const full = encodeQueueKey({ resource: 'secrets', namespace: 'p', name: 'db' });
    assert.notEqual(full, encodeQueueKey({ resource: 'secrets', namespace: 'p', name: 'db', focus: 'team-a' }));
  });

  it('name the whole source of a focused key, so the queue runs a source one key at a time', () => {
    const full = encodeQueueKey({ resource: 'secrets', namespace: 'p', name: 'db' });
    assert.equal(
      sourceQueueKey(encodeQueueKey({ resource: 'secrets', namespace: 'p', name: 'db', focus: 'team-a' })),
      full,
    );
    assert.equal(sourceQueueKey(full), full);
  });
});
