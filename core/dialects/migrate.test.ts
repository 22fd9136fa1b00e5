import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, world } from '../../test/fixtures.ts';
import { KubeMirror, Native } from '../names.ts';
import { migrateObject } from './migrate.ts';

describe('migrateObject', () => {
  it('rewrites a KubeMirror source into native keys and drops its enabled label', () => {
    const src = configMap(
      'src',
      'cfg',
      { a: '1' },
      {
        labels: { [KubeMirror.enabled]: 'true', team: 'x' },
        annotations: { [KubeMirror.sync]: 'true', [KubeMirror.targetNamespaces]: 'app-*,prod' },
      },
    );
    const r = migrateObject(src, world(['src', 'app-1', 'prod'], [src]));
    assert.equal(r.status, 'migrated');
    if (r.status !== 'migrated') return;
    assert.deepEqual(r.after.metadata.labels, { team: 'x' });
    assert.deepEqual(r.after.metadata.annotations, {
      [Native.to]: 'app-*,prod,!kube-system,!kube-public,!kube-node-lease',
      [Native.copyLabels]: 'all',
      [Native.copyAnnotations]: 'all',
    });
  });

  it('refuses what the native dialect cannot say, with the reason', () => {
    const w = (o: ReturnType<typeof configMap>) => world(['src', 'team-a', 'team-b'], [o]);
    const names = configMap('src', 'cfg', {}, { annotations: { 'k8s-replicator/replicate-to': 'one,two' } });
    const uncapped = configMap(
      'src',
      'cfg',
      {},
      {
        annotations: {
          'replicator.v1.mittwald.de/replicate-to': 'team-a',
          'replicator.v1.mittwald.de/replication-allowed': 'true',
          'replicator.v1.mittwald.de/replication-allowed-namespaces': 'team-b',
        },
      },
    );
    const firstMatch = configMap(
      'src',
      'cfg',
      {},
      {
        annotations: {
          'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
          'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': 'team-a|team-ab',
        },
      },
    );
    const broken = configMap('src', 'cfg', {}, { annotations: { 'kubed.appscode.com/sync': 'a in (' } });
    const reasons = [names, uncapped, firstMatch, broken].map((o) => {
      const r = migrateObject(o, w(o));
      return r.status === 'refused' ? r.reason : r.status;
    });
    assert.match(reasons[0]!, /several names/);
    assert.match(reasons[1]!, /limit pulls only/);
    assert.match(reasons[2]!, /first-match/);
    assert.match(reasons[3]!, /fix its findings first/);
  });

  it('leaves native objects, mirrors and other dialects than --from alone', () => {
    const native = configMap('src', 'a', {}, { annotations: { [Native.to]: 'team-a' } });
    const kubed = configMap('src', 'b', {}, { annotations: { 'kubed.appscode.com/sync': '' } });
    const w = world(['src', 'team-a'], [native, kubed]);
    assert.equal(migrateObject(native, w).status, 'unchanged');
    assert.equal(migrateObject(kubed, w, { from: 'mittwald' }).status, 'unchanged');
    assert.equal(migrateObject(kubed, w, { from: 'kubed' }).status, 'migrated');
  });
});
