// A tenant who may write objects in one namespace gains no reach by writing a peer's annotations instead of ours: every
// dialect goes through the same target decision and policies (opt-out label, exclusions, push-source namespaces,
// denied and access-granting kinds, denied Secret types), and a peer's pull needs the source's own permission.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namespace, secret, world } from '../../test/fixtures.ts';
import type { KubeObject, PlanOptions } from '../index.ts';
import { planReflection } from '../index.ts';
import { K8sReplicator, KubeMirror, Kubed, Labels, Mittwald, Native, Reflector } from '../names.ts';

/** A tenant's source in namespace `tenant` asking, in each dialect, for a copy in every namespace it can name. */
const everywhere: Record<string, { labels?: Record<string, string>; annotations: Record<string, string> }> = {
  native: { annotations: { [Native.to]: '*' } },
  'k8s-replicator': { annotations: { [K8sReplicator.replicateToNamespaces]: '.*' } },
  mittwald: { annotations: { [Mittwald.replicateTo]: '.*' } },
  kubed: { annotations: { [Kubed.sync]: '' } },
  kubemirror: {
    labels: { [KubeMirror.enabled]: 'true' },
    annotations: { [KubeMirror.sync]: 'true', [KubeMirror.targetNamespaces]: 'all' },
  },
};

const namespaces = [
  namespace('tenant'),
  namespace('open'),
  namespace('opted-out', { [Labels.acceptMirrors]: 'false' }),
  namespace('excluded'),
  namespace('platform'),
];

const written = (objects: KubeObject[], options: PlanOptions = {}) =>
  planReflection(world(namespaces, objects), options)
    .apply.map((a) => a.object.metadata.namespace)
    .sort();

describe('a tenant writing a peer dialect reaches no further than with the native one', () => {
  for (const [dialect, meta] of Object.entries(everywhere)) {
    it(`${dialect}: no copy in an opted-out or excluded namespace; none at all outside the push-source namespaces`, () => {
      const source = secret('tenant', 'token', { t: 'x' }, meta);
      assert.deepEqual(written([source], { excludeNamespaces: ['excluded'] }), ['open', 'platform']);
      const plan = planReflection(world(namespaces, [source]), { pushSourceNamespaces: ['platform'] });
      assert.deepEqual(plan.apply, []);
      assert.ok(plan.findings.some((f) => f.reason === 'PushSourceNotAllowed'));
    });

    it(`${dialect}: a service-account token or a RoleBinding is never copied`, () => {
      const token = secret('tenant', 'sa', { token: 'x' }, meta, 'kubernetes.io/service-account-token');
      const binding: KubeObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'admin', namespace: 'tenant', ...meta },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'Group', name: 'tenant-users' }],
      };
      assert.deepEqual(written([token, binding]), []);
    });
  }

  it("a peer's pull copies nothing from a source that does not allow the puller's namespace, whatever its dialect", () => {
    const sources = [
      secret('platform', 'none', { p: 'x' }),
      secret('platform', 'native', { p: 'x' }, { annotations: { [Native.allowedNamespaces]: 'open' } }),
      secret(
        'platform',
        'reflector',
        { p: 'x' },
        {
          annotations: { [Reflector.allowed]: 'true', [Reflector.allowedNamespaces]: 'open' },
        },
      ),
      secret('platform', 'k8s', { p: 'x' }, { annotations: { [K8sReplicator.replicationAllowedNamespaces]: 'open' } }),
      secret(
        'platform',
        'mw',
        { p: 'x' },
        {
          annotations: { [Mittwald.replicationAllowed]: 'true', [Mittwald.replicationAllowedNamespaces]: 'open' },
        },
      ),
    ];
    const pulls = sources.flatMap((s) => [
      secret(
        'tenant',
        `k8s-${s.metadata.name}`,
        {},
        { annotations: { [K8sReplicator.replicateFrom]: `platform/${s.metadata.name}` } },
      ),
      secret(
        'tenant',
        `mw-${s.metadata.name}`,
        {},
        { annotations: { [Mittwald.replicateFrom]: `platform/${s.metadata.name}` } },
      ),
    ]);
    const plan = planReflection(world(namespaces, [...sources, ...pulls]));
    assert.deepEqual(
      plan.apply.filter((a) => a.reason !== 'clear'),
      [],
    );
    for (const p of pulls) {
      const data = plan.apply.find((a) => a.object.metadata.name === p.metadata.name)?.object.data ?? {};
      assert.ok(!Object.values(data as object).includes('eA=='), `${p.metadata.name} got the source's data`);
    }
  });
});
