import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../core/index.ts';
import { CrossCluster } from '../core/names.ts';
import { testSettings } from '../core/cross-cluster/test-support.ts';
import { buildSyncStatus, formatSyncStatus } from './sync-status-report.ts';

const db = (namespace: string, name: string, meta: Partial<KubeObject['metadata']>, rest: object = {}): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Database',
  metadata: { name, namespace, ...meta },
  spec: { size: 1 },
  ...rest,
});

describe('sync-status', () => {
  it('shows generations, pause, the status upload and what is pending for every pair on either side', () => {
    const rows = buildSyncStatus(testSettings, {
      remote: [
        db(
          'tenant-a',
          'db-east',
          {
            generation: 3,
            uid: 'r',
            finalizers: [CrossCluster.finalizer],
            annotations: { [CrossCluster.remoteGeneration]: '3', [CrossCluster.localGeneration]: '2' },
          },
          { status: { ready: true } },
        ),
        db('tenant-b', 'db-east', { generation: 1, annotations: { [CrossCluster.paused]: 'true' } }),
        db('tenant-a', 'ignored', { generation: 1 }),
      ],
      local: [db('tenant-a-local', 'db', { generation: 2, uid: 'l', annotations: {} }, { status: { ready: false } })],
      localNamespaces: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'tenant-a-local', annotations: { [CrossCluster.namespaceOwner]: 'db' } },
        },
      ],
      localSecrets: [],
    });
    assert.deepEqual(rows, [
      {
        namespace: 'tenant-a',
        name: 'db',
        phase: 'Syncing',
        remoteGeneration: 3,
        syncedRemoteGeneration: 3,
        localGeneration: 2,
        statusUploaded: false,
        pending: ['upload-status'],
      },
      {
        namespace: 'tenant-b',
        name: 'db',
        phase: 'Paused',
        remoteGeneration: 1,
        paused: 'remote',
        statusUploaded: false,
        pending: [],
        reason: `remote object has ${CrossCluster.paused}=true`,
      },
    ]);
    const table = formatSyncStatus(rows);
    assert.match(
      table,
      /^NAMESPACE\s+NAME\s+PHASE\s+REMOTE-GEN\s+SYNCED-GEN\s+LOCAL-GEN\s+PAUSED\s+STATUS-UPLOADED\s+PENDING\n/,
    );
    assert.match(table, /tenant-a\s+db\s+Syncing\s+3\s+3\s+2\s+-\s+no\s+upload-status/);
  });
});
