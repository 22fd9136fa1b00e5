import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ObjectStore, objectKey, parseObjectKey } from './store.ts';

const o = (name: string, rv: string, uid = `u-${name}`, namespace = 'ns') => ({
  metadata: { name, namespace, resourceVersion: rv, uid },
});

describe('ObjectStore', () => {
  it('parses every key back into the namespace and name it was made of (one codec)', () => {
    const namespace = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/));
    // The API server refuses '/' in any name (it is a path segment), so no key is ambiguous.
    const name = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('/'));
    fc.assert(
      fc.property(namespace, name, (ns, n) => {
        const key = objectKey({ metadata: { ...(ns ? { namespace: ns } : {}), name: n } });
        assert.deepEqual(parseObjectKey(key), { namespace: ns, name: n });
      }),
    );
  });

  it('keys namespace/name, or name for cluster-scoped objects', () => {
    assert.equal(objectKey(o('a', '1')), 'ns/a');
    assert.equal(objectKey({ metadata: { name: 'a' } }), 'a');
  });

  it('upserts and removes, returning the previous object', () => {
    const s = new ObjectStore<ReturnType<typeof o>>();
    assert.equal(s.upsert(o('a', '1')), undefined);
    assert.equal(s.upsert(o('a', '2'))?.metadata.resourceVersion, '1');
    assert.equal(s.get('ns', 'a')?.metadata?.resourceVersion, '2');
    assert.equal(s.remove(o('a', '3'))?.metadata.resourceVersion, '2');
    assert.equal(s.size, 0);
  });

  it('diffs a relist: vanished → deleted, new rv or uid → modified, new → added, same → nothing', () => {
    const s = new ObjectStore<ReturnType<typeof o>>();
    for (const x of [o('same', '1'), o('changed', '1'), o('gone', '1'), o('recreated', '1', 'old-uid')]) s.upsert(x);
    const diff = s.replace([o('same', '1'), o('changed', '5'), o('recreated', '1', 'new-uid'), o('new', '6')]);
    assert.deepEqual(
      diff.deleted.map((x) => x.obj.metadata.name),
      ['gone'],
    );
    assert.deepEqual(
      diff.added.map((x) => x.obj.metadata.name),
      ['new'],
    );
    assert.deepEqual(
      diff.modified.map(
        (m) => `${m.old.metadata.name}:${m.old.metadata.resourceVersion}->${m.obj.metadata.resourceVersion}`,
      ),
      ['changed:1->5', 'recreated:1->1'],
    );
    assert.deepEqual(s.keys().sort(), ['ns/changed', 'ns/new', 'ns/recreated', 'ns/same']);
  });

  it('counts a generation up with every change, and only then', () => {
    const s = new ObjectStore<ReturnType<typeof o>>();
    const seen = [s.generation];
    s.upsert(o('a', '1'));
    seen.push(s.generation);
    s.get('ns', 'a');
    s.list();
    seen.push(s.generation);
    s.remove(o('a', '1'));
    seen.push(s.generation);
    s.replace([o('b', '2')]);
    seen.push(s.generation);
    assert.deepEqual(seen, [0, 1, 1, 2, 3]);
  });
});
