import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRETS } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { autoKinds, kindsProblem } from './kind-policy.ts';

const ROLEBINDINGS: ResourceType = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'rolebindings',
  kind: 'RoleBinding',
  namespaced: true,
};
const PODS: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

describe('kindsProblem (--kinds at start-up)', () => {
  it('refuses an access-granting kind unless source namespaces are named for it', () => {
    assert.match(kindsProblem([SECRETS, ROLEBINDINGS], undefined) ?? '', /RoleBinding.*access-kind-source-namespaces/);
    assert.equal(kindsProblem([SECRETS, ROLEBINDINGS], ['platform']), undefined);
  });

  it('refuses a denied kind whatever the flags, and accepts the defaults', () => {
    assert.match(kindsProblem([PODS], ['platform']) ?? '', /Pod/);
    assert.equal(kindsProblem([SECRETS], undefined), undefined);
  });
});

describe('autoKinds (--kinds auto)', () => {
  it('keeps what the core allows: never Pods, RoleBindings only with access-kind source namespaces', () => {
    const labels = (types: ResourceType[]) => types.map((t) => t.resource);
    assert.deepEqual(labels(autoKinds([SECRETS, PODS, ROLEBINDINGS], undefined)), ['secrets']);
    assert.deepEqual(labels(autoKinds([SECRETS, PODS, ROLEBINDINGS], ['platform'])), ['secrets', 'rolebindings']);
  });
});
