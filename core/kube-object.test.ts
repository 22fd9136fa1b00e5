import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { identityOf, keyOf, splitIdentity, splitKey } from './kube-object.ts';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const subdomain = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,30}[a-z0-9])?$/);
const apiVersion = fc.oneof(fc.constant('v1'), fc.constant('apps/v1'), fc.constant('networking.k8s.io/v1'));

describe('object keys and identities', () => {
  it('splitKey is the inverse of keyOf', () => {
    fc.assert(
      fc.property(label, subdomain, (namespace, name) => {
        assert.deepEqual(splitKey(keyOf({ namespace, name })), { namespace, name });
      }),
    );
  });

  it('splitIdentity is the inverse of identityOf, namespaced or cluster-scoped', () => {
    fc.assert(
      fc.property(
        apiVersion,
        fc.constantFrom('Secret', 'NetworkPolicy', 'Deployment'),
        fc.oneof(label, fc.constant('')),
        subdomain,
        (v, kind, namespace, name) => {
          const id = identityOf({ apiVersion: v, kind, namespace, name });
          const { groupKind, namespace: ns, name: n } = splitIdentity(id);
          assert.equal(`${groupKind}/${ns}/${n}`, id);
          assert.deepEqual({ ns, n }, { ns: namespace, n: name });
          assert.ok(groupKind.startsWith(kind));
        },
      ),
    );
  });
});
