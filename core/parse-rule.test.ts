import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secret, world } from '../test/fixtures.ts';
import { decidePull, parseObject, planReflection } from './index.ts';

const R = 'reflector.v1.k8s.emberstack.com/';

function reflectorSource(annotations: Record<string, string>) {
  return secret(
    'platform',
    'db',
    { password: 's3cret' },
    { annotations: { [`${R}reflection-allowed`]: 'true', ...annotations } },
  );
}

describe('Reflector namespace lists, as Reflector matches them', () => {
  const ns = (name: string) => ({ name, labels: { env: 'prod' } });

  for (const blank of [',', ' ', ', ,', ' , ']) {
    it(`an allowed list of only blank entries (${JSON.stringify(blank)}) allows no namespace`, () => {
      const spec = parseObject(reflectorSource({ [`${R}reflection-allowed-namespaces`]: blank })).spec!;
      assert.equal(decidePull(spec, ns('tenant')).allowed, false);
    });

    it(`an auto list of only blank entries (${JSON.stringify(blank)}) pushes nowhere, kube-system included`, () => {
      const src = reflectorSource({
        [`${R}reflection-auto-enabled`]: 'true',
        [`${R}reflection-auto-namespaces`]: blank,
      });
      const plan = planReflection(world(['platform', 'kube-system', 'tenant'], [src]));
      assert.deepEqual(plan.apply, []);
    });
  }

  it('an absent or exactly empty list, with no selector, means every namespace', () => {
    for (const list of [undefined, '']) {
      const extra: Record<string, string> = list === undefined ? {} : { [`${R}reflection-allowed-namespaces`]: list };
      const spec = parseObject(reflectorSource(extra)).spec!;
      assert.equal(decidePull(spec, ns('tenant')).allowed, true, String(list));
    }
  });

  it('a blank list with a selector allows what the selector matches', () => {
    const spec = parseObject(
      reflectorSource({
        [`${R}reflection-allowed-namespaces`]: ',',
        [`${R}reflection-allowed-namespaces-selector`]: 'env=prod',
      }),
    ).spec!;
    assert.equal(decidePull(spec, ns('tenant')).allowed, true);
    assert.equal(decidePull(spec, { name: 'dev', labels: {} }).allowed, false);
  });

  it('the trust reproduction: a "," allowed list and a " " auto list reflect nothing anywhere', () => {
    const src = reflectorSource({
      [`${R}reflection-allowed-namespaces`]: ',',
      [`${R}reflection-auto-enabled`]: 'true',
      [`${R}reflection-auto-namespaces`]: ' ',
    });
    const stolen = secret('tenant', 'stolen', {}, { annotations: { [`${R}reflects`]: 'platform/db' } });
    const plan = planReflection(world(['platform', 'kube-system', 'tenant'], [src, stolen]));
    assert.deepEqual(plan.apply, []);
    assert.deepEqual(
      plan.findings.map((f) => [f.reason, f.object.name]),
      [['PullDenied', 'stolen']],
    );
  });
});
