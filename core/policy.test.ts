import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, pushTo, world } from '../test/fixtures.ts';
import type { KubeObject } from './index.ts';
import {
  accessDenialOf,
  applyPlanToWorld,
  explainSource,
  isDeniedGroupKind,
  kindDenialOf,
  planReflection,
} from './index.ts';

function roleBinding(ns: string, name: string, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' },
    subjects: [{ kind: 'User', name: 'tenant' }],
  };
}

describe('administrator policies', () => {
  describe('excludeNamespaces', () => {
    it('makes an excluded namespace no target at all: no write, no missing mirror, no part of the cap', () => {
      const src = configMap('platform', 'cfg', { a: '1' }, pushTo('all', { 'kube-reflect.io/max-targets': '1' }));
      const w = world(['platform', 'team-a', 'kube-system'], [src]);
      const plan = planReflection(w, { excludeNamespaces: ['kube-system'] });
      assert.deepEqual(
        plan.apply.map((a) => a.object.metadata.namespace),
        ['team-a'],
      );
      assert.deepEqual(
        plan.mirrors.map((m) => [m.mirror.namespace, m.state]),
        [['team-a', 'missing']],
      );
      assert.deepEqual(plan.findings, []);
    });

    it('never deletes or fills in an excluded namespace', () => {
      const src = configMap('platform', 'cfg', { a: '1' }, pushTo('kube-system'));
      const mirrored = applyPlanToWorld(
        world(['platform', 'kube-system'], [src]),
        planReflection(world(['platform', 'kube-system'], [src])),
      );
      const gone = { ...mirrored, objects: mirrored.objects.filter((o) => o !== src) };
      const plan = planReflection(gone, { excludeNamespaces: ['kube-system'] });
      assert.deepEqual([plan.apply, plan.delete], [[], []]);
      const puller = configMap('kube-system', 'copy', {}, { annotations: { 'kube-reflect.io/from': 'platform/cfg' } });
      const pull = planReflection(world(['platform', 'kube-system'], [src, puller]), {
        excludeNamespaces: ['kube-system'],
      });
      assert.deepEqual(pull.apply, []);
    });

    it('says so in an explanation', () => {
      const src = configMap('platform', 'cfg', { a: '1' }, pushTo('all'));
      const e = explainSource(world(['platform', 'kube-system'], [src]), src, { excludeNamespaces: ['kube-system'] });
      const ks = e.namespaces.find((n) => n.namespace === 'kube-system');
      assert.equal(ks?.target, false);
      assert.equal(ks?.why, "excluded by the controller's --exclude-namespaces");
    });
  });

  describe('sources', () => {
    it('scopes by kind: a ConfigMap and a Secret with one namespace/name are two sources', () => {
      const cm = configMap('platform', 'x', { a: '1' }, pushTo('team-a'));
      const s: KubeObject = {
        ...configMap('platform', 'x', {}, pushTo('team-a')),
        kind: 'Secret',
        data: { a: 'MQ==' },
      };
      const plan = planReflection(world(['platform', 'team-a'], [cm, s]), {
        sources: [{ group: '', kind: 'Secret', namespace: 'platform', name: 'x' }],
      });
      assert.deepEqual(
        plan.apply.map((a) => a.object.kind),
        ['Secret'],
      );
    });
  });

  describe('pushSourceNamespaces', () => {
    const w = world(
      ['platform', 'tenant', 'team-a'],
      [
        configMap('platform', 'ok', { a: '1' }, pushTo('team-a')),
        configMap('tenant', 'evil', { a: '2' }, pushTo('team-a')),
      ],
    );

    it('lets only sources in the listed namespaces push; the others get an error and nothing is written', () => {
      const plan = planReflection(w, { pushSourceNamespaces: ['platform'] });
      assert.deepEqual(
        plan.apply.map((a) => `${a.object.metadata.namespace}/${a.object.metadata.name}`),
        ['team-a/ok'],
      );
      assert.deepEqual(
        plan.findings.map((f) => [f.reason, f.object.namespace, f.object.name, f.severity]),
        [['PushSourceNotAllowed', 'tenant', 'evil', 'error']],
      );
    });

    it('deletes nothing of a source the policy now forbids', () => {
      const mirrored = applyPlanToWorld(w, planReflection(w));
      const plan = planReflection(mirrored, { pushSourceNamespaces: ['platform'] });
      assert.deepEqual([plan.apply, plan.delete], [[], []]);
    });

    it('leaves pulls alone: a namespace may still copy a source that allows it', () => {
      const src = configMap(
        'tenant',
        'shared',
        { a: '1' },
        {
          annotations: { 'kube-reflect.io/allowed-namespaces': 'team-a' },
        },
      );
      const puller = configMap('team-a', 'copy', {}, { annotations: { 'kube-reflect.io/from': 'tenant/shared' } });
      const plan = planReflection(world(['tenant', 'team-a'], [src, puller]), { pushSourceNamespaces: ['platform'] });
      assert.deepEqual(
        plan.apply.map((a) => [a.reason, a.object.metadata.namespace]),
        [['fill', 'team-a']],
      );
      assert.deepEqual(plan.findings, []);
    });
  });

  describe('access kinds', () => {
    it('denies RoleBindings, Roles and ServiceAccounts as kinds unless some namespace is allowed', () => {
      for (const gk of [
        { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
        { group: 'rbac.authorization.k8s.io', kind: 'Role' },
        { group: '', kind: 'ServiceAccount' },
      ]) {
        assert.equal(isDeniedGroupKind(gk), true, gk.kind);
        assert.equal(isDeniedGroupKind(gk, { accessKindSourceNamespaces: ['platform'] }), false, gk.kind);
      }
      assert.equal(isDeniedGroupKind({ group: '', kind: 'Pod' }, { accessKindSourceNamespaces: ['platform'] }), true);
      assert.equal(isDeniedGroupKind('Secret'), false);
    });

    it('never copies a tenant RoleBinding, pushed or pulled; copies the allowed namespace one', () => {
      const evil = roleBinding('tenant', 'read-secrets', { 'kube-reflect.io/to': 'all' });
      const good = roleBinding('platform', 'view', { 'kube-reflect.io/to': 'team-a' });
      const shared = roleBinding('tenant', 'shared', { 'kube-reflect.io/allowed-namespaces': 'team-a' });
      const puller = roleBinding('team-a', 'copy', { 'kube-reflect.io/from': 'tenant/shared' });
      const w = world(['platform', 'tenant', 'team-a', 'kube-system'], [evil, good, shared, puller]);
      const none = planReflection(w);
      assert.deepEqual(none.apply, []);
      const allowed = planReflection(w, { accessKindSourceNamespaces: ['platform'] });
      assert.deepEqual(
        allowed.apply.map((a) => `${a.object.metadata.namespace}/${a.object.metadata.name}`),
        ['team-a/view'],
      );
      assert.deepEqual(
        allowed.findings.map((f) => [f.reason, f.object.namespace, f.object.name]),
        [
          ['PullDenied', 'team-a', 'copy'],
          ['AccessKindNotAllowed', 'tenant', 'read-secrets'],
          ['AccessKindNotAllowed', 'tenant', 'shared'],
        ],
      );
    });
  });
});

describe('workload kinds', () => {
  it('mirrors a Deployment only from a namespace the administrator names, without refusing the kind at start-up', () => {
    assert.equal(kindDenialOf('Deployment.apps'), undefined);
    assert.equal(isDeniedGroupKind({ group: 'apps', kind: 'StatefulSet' }), false);
    for (const kind of ['Deployment.apps', 'StatefulSet.apps', 'DaemonSet.apps']) {
      assert.equal(accessDenialOf(kind, 'tenant', {})?.reason, 'AccessKindNotAllowed', kind);
      assert.match(accessDenialOf(kind, 'tenant', { accessKindSourceNamespaces: ['platform'] })!.message, /runs pods/);
      assert.equal(accessDenialOf(kind, 'platform', { accessKindSourceNamespaces: ['platform'] }), undefined);
    }
    assert.equal(accessDenialOf('ConfigMap', 'tenant', {}), undefined);
  });
});
