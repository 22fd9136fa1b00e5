import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheForm, KindIndex } from './kind-index.ts';
import type { KubeObject } from '../core/index.ts';

const meta = (
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace, name, annotations, labels, resourceVersion: '1' },
});

describe('KindIndex maps every event back to the source keys it concerns', () => {
  it('a source maps to itself, on add, update and delete', () => {
    const idx = new KindIndex('v1', 'Secret');
    const src = meta('platform', 'db', { 'kube-reflect.io/to': 'team-*' });
    assert.deepEqual(idx.update('platform/db', src), ['platform/db']);
    assert.deepEqual(idx.update('platform/db', { ...src, metadata: { ...src.metadata, resourceVersion: '2' } }), [
      'platform/db',
    ]);
    assert.deepEqual(idx.update('platform/db', undefined), ['platform/db']);
  });

  it('a pushed mirror maps to its source, and a pull mirror to the source it names', () => {
    const idx = new KindIndex('v1', 'Secret');
    const mirror = meta(
      'team-a',
      'db',
      { 'kube-reflect.io/source': 'platform/db' },
      { 'kube-reflect.io/mirror': 'true' },
    );
    assert.deepEqual(idx.update('team-a/db', mirror), ['platform/db']);
    const pull = meta('team-b', 'creds', { 'reflector.v1.k8s.emberstack.com/reflects': 'platform/db' });
    assert.deepEqual(idx.update('team-b/creds', pull), ['platform/db']);
    assert.deepEqual(
      idx.mirrorsOf('platform/db').map((m) => [m.object.metadata.namespace, m.pull]),
      [
        ['team-a', false],
        ['team-b', true],
      ],
    );
  });

  it('deleting a foreign object maps to every source whose mirrors carry its name', () => {
    const idx = new KindIndex('v1', 'ConfigMap');
    idx.update('platform/cfg', meta('platform', 'cfg', { 'kube-reflect.io/to': 'team-a' }));
    idx.update(
      'other/renamed',
      meta('other', 'renamed', { 'kube-reflect.io/to': 'team-a', 'kube-reflect.io/mirror-name': 'cfg' }),
    );
    idx.update('team-a/cfg', meta('team-a', 'cfg'));
    assert.deepEqual(idx.update('team-a/cfg', undefined), ['other/renamed', 'platform/cfg']);
  });

  it('a namespace maps to the sources that target it and to those with mirrors in it', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.update('platform/a', meta('platform', 'a', { 'kube-reflect.io/to': 'team-*' }));
    idx.update('platform/b', meta('platform', 'b', { 'kube-reflect.io/to': 'web' }));
    idx.update(
      'team-x/old',
      meta('team-x', 'old', { 'kube-reflect.io/source': 'platform/c' }, { 'kube-reflect.io/mirror': 'true' }),
    );
    assert.deepEqual(idx.sourcesForNamespace({ name: 'team-x', labels: {} }), ['platform/a', 'platform/c']);
    assert.deepEqual(idx.sourcesForNamespace({ name: 'web', labels: {} }), ['platform/b']);
  });

  it('lists every source key, including sources known only from their mirrors', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.update('platform/a', meta('platform', 'a', { 'kube-reflect.io/to': 'all' }));
    idx.update(
      'team/gone',
      meta('team', 'gone', { 'kube-reflect.io/source': 'platform/gone' }, { 'kube-reflect.io/mirror': 'true' }),
    );
    assert.deepEqual(idx.allSourceKeys(), ['platform/a', 'platform/gone']);
  });
});

describe('KindIndex keeps the newer of our own write and the watch', () => {
  const mirror = (rv: string, uid = 'u1', data = rv): KubeObject => ({
    ...meta('team-a', 'db', { 'kube-reflect.io/source': 'platform/db' }, { 'kube-reflect.io/mirror': 'true' }),
    metadata: {
      namespace: 'team-a',
      name: 'db',
      uid,
      resourceVersion: rv,
      annotations: { 'kube-reflect.io/source': 'platform/db' },
      labels: { 'kube-reflect.io/mirror': 'true' },
    },
    data: { v: data },
  });

  it('records a write the watch has not delivered, and skips the older watch events until it catches up', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.recordWritten('team-a/db', mirror('10'));
    assert.equal(idx.get('team-a/db')?.metadata.resourceVersion, '10');
    assert.deepEqual(idx.mirrorsOf('platform/db').length, 1);
    assert.deepEqual(idx.update('team-a/db', mirror('9')), []);
    assert.equal(idx.get('team-a/db')?.metadata.resourceVersion, '10');
    // The echo of our write changes nothing a plan reads: no source is reconciled again for it.
    const echo = mirror('10');
    assert.deepEqual(idx.update('team-a/db', echo), []);
    assert.equal(idx.get('team-a/db'), echo, "the cache holds the watch's copy");
    assert.deepEqual(idx.mirrorsOf('platform/db').length, 1);
    // Caught up: from here the watch alone decides, as before any write.
    assert.deepEqual(idx.update('team-a/db', mirror('11')), ['platform/db']);
    assert.equal(idx.get('team-a/db')?.metadata.resourceVersion, '11');
    assert.deepEqual(idx.update('team-a/db', mirror('11')), ['platform/db'], 'an event the watch repeats is no echo');
  });

  it('holds the events of a key our write is in flight to, and hands them out unless they were its echo', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.expectWrites(['team-a/db']);
    assert.deepEqual(idx.update('team-a/db', mirror('10')), [], 'held');
    assert.equal(idx.get('team-a/db')?.metadata.resourceVersion, '10', 'but cached at once');
    assert.deepEqual(idx.settleWrites([['team-a/db', mirror('10')]], 'platform/db'), [], 'our own echo');
    // A write that failed (no answer): whatever the watch said meanwhile is news.
    idx.expectWrites(['team-a/db']);
    assert.deepEqual(idx.update('team-a/db', mirror('11')), []);
    assert.deepEqual(idx.settleWrites([['team-a/db', undefined]], 'platform/db'), ['platform/db']);
    // Settled: events go straight out again.
    assert.deepEqual(idx.update('team-a/db', mirror('12')), ['platform/db']);
    // Two writes in flight to one key: the first answer hands out what was held, the second finds nothing.
    idx.expectWrites(['team-a/db']);
    idx.expectWrites(['team-a/db']);
    assert.deepEqual(idx.update('team-a/db', mirror('13')), []);
    assert.deepEqual(idx.settleWrites([['team-a/db', mirror('13')]], 'platform/db'), ['platform/db']);
    assert.deepEqual(idx.settleWrites([['team-a/db', mirror('13')]], 'platform/db'), []);
  });

  it('a pull mirror we write that is itself a source names the sources that read it, on the answer or its echo', () => {
    // ns2/b pulls ns1/a and is pulled by ns3/c: writing b changes what c's plan reads, though not what a's does.
    const pullMirror = (rv: string, data: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        namespace: 'ns2',
        name: 'b',
        uid: 'ub',
        resourceVersion: rv,
        annotations: { 'kube-reflect.io/from': 'ns1/a', 'kube-reflect.io/allowed-namespaces': 'ns3' },
      },
      data: { k: data },
    });
    const idx = new KindIndex('v1', 'ConfigMap');
    idx.update('ns2/b', pullMirror('5', 'stale'));
    idx.update('ns3/c', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'ns3', name: 'c', resourceVersion: '6', annotations: { 'kube-reflect.io/from': 'ns2/b' } },
    });
    // The answer first: the write names both; the reconcile of ns1/a leaves itself out.
    assert.deepEqual(idx.recordWritten('ns2/b', pullMirror('10', 'from-a')), ['ns1/a', 'ns2/b']);
    assert.deepEqual(idx.update('ns2/b', pullMirror('10', 'from-a')), [], 'its echo');
    // The echo first, held while the write is in flight: the echo still names ns2/b, never the writer.
    idx.expectWrites(['ns2/b']);
    assert.deepEqual(idx.update('ns2/b', pullMirror('11', 'again')), []);
    assert.deepEqual(idx.recordWritten('ns2/b', pullMirror('11', 'again')), [], 'the watch was first');
    assert.deepEqual(idx.settleWrites([['ns2/b', pullMirror('11', 'again')]], 'ns1/a'), ['ns2/b']);
  });

  it('a watch event at the version we wrote, but of another object under the name, is no echo', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.recordWritten('team-a/db', mirror('10', 'ours'));
    assert.deepEqual(idx.update('team-a/db', mirror('10', 'theirs')), ['platform/db']);
    assert.equal(idx.get('team-a/db')?.metadata.uid, 'theirs');
  });

  it('never replaces a newer watch event with an older answer, nor writes through a resourceVersion it cannot order', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.update('team-a/db', mirror('12', 'u1', 'watch'));
    idx.recordWritten('team-a/db', mirror('11'));
    assert.deepEqual(idx.get('team-a/db')?.data, { v: 'watch' });
    idx.recordWritten('team-a/db', mirror('12'));
    assert.deepEqual(idx.get('team-a/db')?.data, { v: 'watch' });
    idx.update('team-a/db', mirror('a7'));
    idx.recordWritten('team-a/db', mirror('13'));
    assert.equal(idx.get('team-a/db')?.metadata.resourceVersion, 'a7');
    idx.recordWritten('team-b/db', { ...mirror('x1'), metadata: { ...mirror('x1').metadata, namespace: 'team-b' } });
    assert.equal(idx.get('team-b/db'), undefined);
  });

  it('forgets an object it deleted, ignores later events of that uid, and keeps one created again since', () => {
    const idx = new KindIndex('v1', 'Secret');
    idx.update('team-a/db', mirror('5', 'old'));
    idx.recordDeleted('team-a/db', 'other');
    assert.equal(idx.get('team-a/db')?.metadata.uid, 'old', 'another uid than the one deleted stays');
    idx.recordDeleted('team-a/db', 'old');
    assert.equal(idx.get('team-a/db'), undefined);
    assert.deepEqual(idx.update('team-a/db', mirror('6', 'old')), [], 'a late update of the deleted object');
    assert.equal(idx.get('team-a/db'), undefined);
    // Recreated: the watch's deletion of the old object must not remove the new one it has not delivered yet.
    idx.recordWritten('team-a/db', mirror('20', 'new'));
    assert.deepEqual(idx.update('team-a/db', undefined, mirror('7', 'old')), []);
    assert.equal(idx.get('team-a/db')?.metadata.uid, 'new');
    assert.deepEqual(idx.update('team-a/db', mirror('20', 'new')), [], 'the echo of the recreate');
    assert.deepEqual(idx.update('team-a/db', undefined, mirror('21', 'new')), ['platform/db']);
    assert.equal(idx.get('team-a/db'), undefined);
  });

  it('a relist that no longer has an object we wrote forgets it, though the cache only ever saw an older one', () => {
    // The watch was down: we recreated the mirror (uid "new", written through), someone deleted it by hand, and the
    // relist's diff reports the deletion of the last object the cache saw (uid "old").
    const idx = new KindIndex('v1', 'Secret');
    idx.update('team-a/db', mirror('5', 'old'));
    idx.recordWritten('team-a/db', mirror('20', 'new'));
    assert.deepEqual(idx.update('team-a/db', undefined, mirror('5', 'old'), '19'), [], 'a list older than our write');
    assert.equal(idx.get('team-a/db')?.metadata.uid, 'new');
    assert.deepEqual(idx.update('team-a/db', undefined, mirror('5', 'old'), '25'), ['platform/db']);
    assert.equal(idx.get('team-a/db'), undefined, 'the source is reconciled and recreates its mirror');
  });
});

describe('cacheForm', () => {
  it("keeps every peer's copy whole, so adopting a once-only copy keeps the data it holds (not the source's)", () => {
    const copy = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        namespace: 'app',
        name: 'pw',
        annotations: { 'k8s-replicator/replicated-by': 'app/pw-source', 'k8s-replicator/replicate-once': 'true' },
      },
      data: { password: 'Zmlyc3Q=' },
    };
    assert.deepEqual(cacheForm(copy, 'v1', 'Secret').data, { password: 'Zmlyc3Q=' });
    const plain = { ...copy, metadata: { namespace: 'app', name: 'pw' } };
    assert.equal(cacheForm(plain, 'v1', 'Secret').data, undefined);
  });

  it('keeps whole what has a key of any dialect, by its prefix only, and only a name of the rest', () => {
    const withKeys = (labels: Record<string, string>, annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'app', name: 'pw', labels, annotations },
      data: { password: 'Zmlyc3Q=' },
    });
    const whole = (o: ReturnType<typeof withKeys>) => cacheForm(o, 'v1', 'Secret').data !== undefined;
    assert.ok(whole(withKeys({ 'kube-reflect.io/mirror': 'true' }, {})));
    assert.ok(whole(withKeys({}, { 'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true' })));
    assert.ok(whole(withKeys({ app: 'x' }, { 'x/y': 'z', 'replicator.v1.mittwald.de/replicate-to': 'a' })));
    assert.ok(whole(withKeys({ 'kubemirror.raczylo.com/enabled': 'true' }, {})));
    // A dot in a prefix is a dot, and a prefix must start the key.
    assert.ok(!whole(withKeys({ 'kube-reflectXio/mirror': 'true' }, { 'x.kube-reflect.io/to': 'a' })));
    assert.ok(!whole(withKeys({ app: 'x' }, { 'kube-reflect.io': 'no slash' })));
  });
});
