import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError } from './errors.ts';
import { discoverNamespacedTypes, parseResourceName, resolveResourceTypes } from './resources.ts';
import type { DiscoveryClient } from './resources.ts';

const docs: Record<string, unknown> = {
  '/apis': {
    groups: [
      { name: 'networking.k8s.io', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
      {
        name: 'example.com',
        versions: [{ version: 'v1' }, { version: 'v1beta1' }],
        preferredVersion: { version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    resources: [
      { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret' },
      { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', shortNames: ['ns'] },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod' },
    ],
  },
  '/apis/networking.k8s.io/v1': {
    resources: [{ name: 'ingresses', singularName: 'ingress', namespaced: true, kind: 'Ingress', shortNames: ['ing'] }],
  },
  '/apis/example.com/v1': {
    resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget' }],
  },
  '/apis/example.com/v1beta1': {
    resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget' }],
  },
};

function fakeDiscovery(): DiscoveryClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    getPath<T>(path: string): Promise<T> {
      paths.push(path);
      const doc = docs[path];
      if (doc === undefined)
        return Promise.reject(new KubeApiError({ verb: 'get', resource: path }, 404, 'NotFound', 'x'));
      return Promise.resolve(doc as T);
    },
  };
}

describe('parseResourceName', () => {
  it('reads resource, resource.group, resource.version.group and Kind.version', () => {
    assert.deepEqual(parseResourceName('secrets'), [{ name: 'secrets', group: undefined, version: undefined }]);
    assert.deepEqual(parseResourceName('ingresses.networking.k8s.io'), [
      { name: 'ingresses', group: 'networking.k8s.io', version: undefined },
    ]);
    assert.deepEqual(parseResourceName('widgets.v1.example.com'), [
      { name: 'widgets', version: 'v1', group: 'example.com' },
      { name: 'widgets', group: 'v1.example.com', version: undefined },
    ]);
    assert.deepEqual(parseResourceName('Secret.v1')[0], { name: 'Secret', version: 'v1', group: '' });
  });
});

describe('resolveResourceTypes', () => {
  it('resolves built-ins without discovery', async () => {
    const d = fakeDiscovery();
    const types = await resolveResourceTypes(d, ['secrets', 'ConfigMap', 'Secret.v1', 'leases.coordination.k8s.io']);
    assert.deepEqual(
      types.map((t) => t.kind),
      ['Secret', 'ConfigMap', 'Lease'],
    );
    assert.deepEqual(d.paths, []);
  });

  it('resolves other kinds through discovery: groups, versions, kinds, short names', async () => {
    const d = fakeDiscovery();
    const types = await resolveResourceTypes(d, [
      'ingresses.networking.k8s.io',
      'widgets.v1beta1.example.com',
      'Widget.v1.example.com',
      'ing',
    ]);
    assert.deepEqual(
      types.map((t) => `${t.resource}.${t.version}.${t.group}`),
      // One resource in two versions is one set of objects: the first spelling wins.
      ['ingresses.v1.networking.k8s.io', 'widgets.v1beta1.example.com'],
    );
  });

  it('refuses cluster-scoped, unknown and subresource names', async () => {
    await assert.rejects(
      resolveResourceTypes(fakeDiscovery(), ['ns']),
      /kind "ns" \(namespaces, Namespace\) is cluster-scoped/,
    );
    await assert.rejects(
      resolveResourceTypes(fakeDiscovery(), ['gizmos.example.com']),
      /"gizmos.example.com" is not served/,
    );
    await assert.rejects(resolveResourceTypes(fakeDiscovery(), ['pods/log']), /subresources/);
  });
});

describe('discoverNamespacedTypes (--kinds auto)', () => {
  const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const autoDocs: Record<string, unknown> = {
    '/apis': {
      groups: [
        {
          name: 'example.com',
          versions: [{ version: 'v1' }, { version: 'v1beta1' }],
          preferredVersion: { version: 'v1' },
        },
        { name: 'metrics.k8s.io', versions: [{ version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' } },
      ],
    },
    '/api/v1': {
      resources: [
        { name: 'secrets', namespaced: true, kind: 'Secret', verbs },
        { name: 'namespaces', namespaced: false, kind: 'Namespace', verbs },
        { name: 'pods/log', namespaced: true, kind: 'Pod', verbs: ['get'] },
        { name: 'bindings', namespaced: true, kind: 'Binding', verbs: ['create'] },
      ],
    },
    '/apis/example.com/v1': { resources: [{ name: 'widgets', namespaced: true, kind: 'Widget', verbs }] },
    '/apis/example.com/v1beta1': { resources: [{ name: 'gadgets', namespaced: true, kind: 'Gadget', verbs }] },
  };
  const client: DiscoveryClient = {
    getPath<T>(path: string): Promise<T> {
      // An aggregated API that is down answers 503.
      if (path === '/apis/metrics.k8s.io/v1beta1')
        return Promise.reject(new KubeApiError({ verb: 'get', resource: path }, 503, 'ServiceUnavailable', 'down'));
      const doc = autoDocs[path];
      if (doc === undefined)
        return Promise.reject(new KubeApiError({ verb: 'get', resource: path }, 404, 'NotFound', 'x'));
      return Promise.resolve(doc as T);
    },
  };

  it("lists namespaced kinds with every verb mirroring needs, in each group's preferred version; a failing group is reported", async () => {
    const found = await discoverNamespacedTypes(client);
    assert.deepEqual(
      found.types.map((t) => `${t.resource}.${t.version}.${t.group}`),
      ['secrets.v1.', 'widgets.v1.example.com'],
    );
    assert.deepEqual(found.unavailableGroups, ['metrics.k8s.io']);
  });
});
