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
      /^NAMESPACE\s+NAME\s+PHASE\s+REMOTE-GEN\s+SYNCED-GEN\s+LOCAL-GEN\s+PAUSED\s+STATUS-UPLOADED\s+LAST-UPLOAD\s+PENDING\s+LAST-ERROR\n/,
    );
    assert.match(table, /tenant-a\s+db\s+Syncing\s+3\s+3\s+2\s+-\s+no\s+-\s+upload-status\s+-/);
  });

  it('shows the last upload from our field manager times and the last refused write from its Event', () => {
    const mf = (manager: string, time: string, subresource?: string) => ({
      manager,
      operation: 'Update',
      time,
      ...(subresource ? { subresource } : {}),
    });
    const remote = db(
      'tenant-a',
      'db-east',
      {
        generation: 1,
        uid: 'r',
        finalizers: [CrossCluster.finalizer],
        annotations: { [CrossCluster.remoteGeneration]: '1', [CrossCluster.localGeneration]: '1' },
        managedFields: [
          mf('kube-reflect', '2026-12-02T10:00:00Z', 'status'),
          mf('kube-reflect', '2026-12-02T11:00:00Z'),
          mf('someone-else', '2026-12-02T11:30:00Z', 'status'),
        ],
      },
      { status: { ready: true } },
    );
    const secret = (name: string, time: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'tenant-a-local', managedFields: [mf('kube-reflect', time)] },
    });
    const event = (name: string, at: string, note: string, regarding: string, count?: number): KubeObject =>
      ({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name, namespace: 'tenant-a-local' },
        reason: name.startsWith('other') ? 'TargetBlocked' : 'CrossClusterSyncFailed',
        note,
        eventTime: at,
        regarding: { namespace: 'tenant-a-local', name: regarding },
        ...(count ? { series: { count, lastObservedTime: at } } : {}),
      }) as KubeObject;
    const input = {
      remote: [remote],
      local: [db('tenant-a-local', 'db', { generation: 1, uid: 'l' }, { status: { ready: true } })],
      localNamespaces: [],
      localSecrets: [secret('creds', '2026-12-02T10:30:00Z'), secret('unlisted', '2026-12-02T12:00:00Z')],
      events: [
        event('e1', '2026-12-02T10:10:00.000000Z', 'old', 'db'),
        event('e2', '2026-12-02T10:20:00.000000Z', 'secrets "creds-east" is forbidden', 'db', 3),
        event('other', '2026-12-02T10:50:00.000000Z', 'not ours', 'db'),
        event('e3', '2026-12-02T10:55:00.000000Z', 'another object', 'cache'),
      ],
    };
    const [row] = buildSyncStatus(testSettings, input);
    // The status entry (10:00) and the listed Secret's hash (10:30); not the spec-side entry, another manager, or an
    // unlisted Secret.
    assert.equal(row?.lastUploadAt, '2026-12-02T10:30:00Z');
    assert.deepEqual(row?.lastError, {
      at: '2026-12-02T10:20:00.000000Z',
      message: 'secrets "creds-east" is forbidden',
      count: 3,
    });
    const table = formatSyncStatus([row!], Date.parse('2026-12-02T10:35:00Z'));
    assert.match(table, /yes\s+5m ago\s+.*\s+15m ago: secrets "creds-east" is forbidden\n$/);
  });
});
