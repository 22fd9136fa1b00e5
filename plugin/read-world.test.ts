import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../core/index.ts';
import { KubeApiError } from '../kube/errors.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { SECRETS, resourceLabel } from '../kube/resource-type.ts';
import type { WorldClient } from './read-world.ts';
import { limitWarning, readWorld } from './read-world.ts';

const secret = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
});

/** A fake API server: what a user may read, by "resource" (cluster-wide) or "resource@namespace". */
function server(allowed: Set<string>, namespaces: Record<string, Record<string, string>>, objects: KubeObject[]) {
  const calls: string[] = [];
  const deny = (verb: string, type: ResourceType, namespace?: string) =>
    new KubeApiError(
      { verb, resource: resourceLabel(type), ...(namespace ? { namespace } : {}) },
      403,
      'Forbidden',
      'no',
    );
  const client: WorldClient = {
    list: (async (type: ResourceType, o: { namespace?: string } = {}) => {
      const where = o.namespace === undefined ? type.resource : `${type.resource}@${o.namespace}`;
      calls.push(`list ${where}`);
      if (!allowed.has(where)) throw deny('list', type, o.namespace);
      if (type.resource === 'namespaces')
        return {
          items: Object.entries(namespaces).map(([name, labels]) => ({ metadata: { name, labels } })),
          resourceVersion: '1',
        };
      return {
        items: objects.filter((x) => o.namespace === undefined || x.metadata.namespace === o.namespace),
        resourceVersion: '1',
      };
    }) as never,
    get: (async (type: ResourceType, _ns: string | undefined, name: string) => {
      calls.push(`get ${type.resource}/${name}`);
      if (namespaces[name] === undefined)
        throw new KubeApiError({ verb: 'get', resource: 'namespaces', name }, 404, 'NotFound', 'not found');
      if (!allowed.has(`${type.resource}/${name}`)) throw deny('get', type);
      return { metadata: { name, labels: namespaces[name] } };
    }) as never,
  };
  return { client, calls };
}

const NS = { platform: {}, 'team-a': { env: 'prod' }, 'team-b': {} };
const OBJECTS = [secret('platform', 'db'), secret('team-a', 'db'), secret('team-b', 'x')];

describe('reading the world for a command', () => {
  it('reads the whole cluster when allowed, and refuses a --within namespace that does not exist', async () => {
    const { client } = server(new Set(['namespaces', 'secrets']), NS, OBJECTS);
    const all = await readWorld(client, [SECRETS], { namespace: 'team-a' });
    assert.equal(all.limitedTo, undefined);
    assert.equal(all.objects.length, 3);
    assert.equal(limitWarning(all), '');
    await assert.rejects(
      readWorld(client, [SECRETS], { namespace: 'team-a', within: ['team-a', 'nosuchns'] }),
      /--within names namespaces that do not exist: nosuchns/,
    );
  });

  it('falls back to the -n namespace when cluster-wide lists are forbidden, and says what it could not read', async () => {
    const { client, calls } = server(new Set(['secrets@team-a']), NS, OBJECTS);
    const w = await readWorld(client, [SECRETS], { namespace: 'team-a' });
    assert.deepEqual(w.limitedTo, ['team-a']);
    assert.deepEqual(w.namespaces, [{ name: 'team-a', labels: {} }]);
    assert.deepEqual(
      w.objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
      ['team-a/db'],
    );
    assert.ok(!calls.some((c) => c.includes('@platform') || c.includes('@team-b')), calls.join(', '));
    assert.match(
      limitWarning(w),
      /^warning: read only namespace team-a: you may not read cluster-wide lists \(Forbidden\); nor the labels of namespace team-a/,
    );
  });

  it('keeps namespace labels it may read, and names a namespace it may not list in', async () => {
    const { client } = server(new Set(['secrets@team-a', 'namespaces/team-a']), NS, OBJECTS);
    const w = await readWorld(client, [SECRETS], { namespace: 'team-a' });
    assert.deepEqual(w.namespaces, [{ name: 'team-a', labels: { env: 'prod' } }]);
    await assert.rejects(
      readWorld(client, [SECRETS], { namespace: 'team-a', within: ['team-a', 'team-b'] }),
      /you may not list secrets in namespace team-b/,
    );
    await assert.rejects(readWorld(client, [SECRETS], { namespace: 'nosuchns' }), /namespace "nosuchns" not found/);
  });
});
