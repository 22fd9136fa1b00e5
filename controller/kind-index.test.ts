import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KindIndex } from './kind-index.ts';
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
