import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossClusterOptions, parseSyncResource } from './options.ts';

describe('cross-cluster flags', () => {
  it('parses GROUP/VERSION/RESOURCE and v1/RESOURCE', () => {
    assert.deepEqual(parseSyncResource('example.com/v1/widgets'), {
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
    });
    assert.deepEqual(parseSyncResource('v1/configmaps'), { group: '', version: 'v1', resource: 'configmaps' });
    assert.throws(() => parseSyncResource('widgets'), /GROUP\/VERSION\/RESOURCE/);
    assert.throws(() => parseSyncResource('a/b/c/d'), /GROUP\/VERSION\/RESOURCE/);
  });

  it('is off without --remote-kubeconfig, and needs both halves', () => {
    assert.equal(crossClusterOptions({}), undefined);
    assert.throws(() => crossClusterOptions({ syncResource: ['v1/configmaps'] }), /needs --remote-kubeconfig/);
    assert.throws(() => crossClusterOptions({ remoteKubeconfig: 'r' }), /at least one --sync-resource/);
  });

  it('defaults to Foreground, no suffixes or prefix, our annotation names', () => {
    assert.deepEqual(crossClusterOptions({ remoteKubeconfig: 'r', syncResource: ['example.com/v1/widgets'] }), {
      remoteKubeconfig: 'r',
      syncResources: [{ group: 'example.com', version: 'v1', resource: 'widgets' }],
      remoteResourceSuffix: '',
      localNamespaceSuffix: '',
      namespacePrefix: '',
      localSecretNames: [],
      propagationPolicy: 'Foreground',
      teleportAnnotations: false,
    });
    assert.throws(
      () => crossClusterOptions({ remoteKubeconfig: 'r', syncResource: ['v1/x'], localPropagationPolicy: 'Later' }),
      /Foreground, Background or Orphan/,
    );
  });

  it('takes --remote-namespaces as a sorted set, refusing an empty list and names outside the prefix', () => {
    const base = { remoteKubeconfig: 'r', syncResource: ['v1/configmaps'], namespacePrefix: 'tenant-' };
    assert.deepEqual(
      crossClusterOptions({ ...base, remoteNamespaces: 'tenant-b, tenant-a,tenant-b' })?.remoteNamespaces,
      ['tenant-a', 'tenant-b'],
    );
    assert.equal(crossClusterOptions(base)?.remoteNamespaces, undefined);
    assert.throws(() => crossClusterOptions({ ...base, remoteNamespaces: ' , ' }), /at least one namespace/);
    assert.throws(() => crossClusterOptions({ ...base, remoteNamespaces: 'tenant-a,kube-system' }), /"kube-system"/);
  });
});
