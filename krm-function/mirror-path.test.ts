import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mirrorPath, pathSegment } from './mirror-path.ts';

describe('mirror paths', () => {
  it('no value can add a directory level or climb out of the package', () => {
    for (const v of ['..', '.', '../../x', 'a/b', '', '...', 'a\\b', '%2e%2e']) {
      const seg = pathSegment(v);
      assert.ok(
        !seg.includes('/') && !seg.includes('\\') && seg !== '.' && seg !== '..' && seg !== '',
        `${v} -> ${seg}`,
      );
    }
    const mirror = { apiVersion: 'v1', kind: '../../X', metadata: { name: '../y', namespace: '..' } };
    const path = mirrorPath('mirrors/{namespace}/{kind}-{name}.yaml', mirror, {
      apiVersion: 'v1',
      kind: 'X',
      namespace: '/etc',
      name: 'p',
    });
    assert.equal(path, 'mirrors/__/.._.._x-.._y.yaml');
    assert.ok(!path.split('/').includes('..'));
  });

  it('valid names pass unchanged', () => {
    const mirror = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web.v2', namespace: 'team-a' } };
    assert.equal(
      mirrorPath('{group}/{namespace}/{kind}-{name}.yaml', mirror, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'p',
        name: 'web',
      }),
      'apps/team-a/deployment-web.v2.yaml',
    );
  });
});
