import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../core/index.ts';
import { planDiff } from './diff.ts';
import { maskSecretPair } from './secret-mask.ts';

const secret = (data: Record<string, string>, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'team-a', annotations },
  data,
});

describe('masking Secret values', () => {
  it('masks as kubectl diff: *** where equal or one-sided, (before)/(after) where changed', () => {
    const [b, a] = maskSecretPair(
      secret({ same: 'c2FtZQ==', changed: 'b2xk', gone: 'eA==' }),
      secret({ same: 'c2FtZQ==', changed: 'bmV3', added: 'eQ==' }),
    );
    assert.deepEqual(b?.data, { same: '***', changed: '*** (before)', gone: '***' });
    assert.deepEqual(a?.data, { same: '***', changed: '*** (after)', added: '***' });
  });

  it('masks stringData and a last-applied annotation, and leaves the inputs and other kinds alone', () => {
    const last = 'kubectl.kubernetes.io/last-applied-configuration';
    const live = {
      ...secret({}, { [last]: '{"data":{"password":"czNjcjN0"}}', note: 'kept' }),
      stringData: { p: 'x' },
    };
    const [b] = maskSecretPair(live, undefined);
    assert.deepEqual(b?.metadata.annotations, { [last]: '***', note: 'kept' });
    assert.deepEqual(b?.stringData, { p: '***' });
    assert.deepEqual(live.stringData, { p: 'x' });
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { level: 'info' } };
    assert.deepEqual(maskSecretPair(cm, cm), [cm, cm]);
  });

  it('never prints a Secret value in a dry-run diff', () => {
    const live = secret({ password: Buffer.from('old-s3cr3t').toString('base64') });
    const desired = secret({ password: Buffer.from('new-s3cr3t').toString('base64') });
    const text = planDiff(
      {
        apply: [
          {
            object: desired,
            source: { apiVersion: 'v1', kind: 'Secret', namespace: 'p', name: 'db' },
            reason: 'update',
            expect: { absent: false, resourceVersion: '1' },
          },
        ],
        delete: [],
        release: [],
        findings: [],
        mirrors: [],
        sources: [],
      },
      () => live,
    );
    assert.ok(!text.includes('b2xkLXMzY3IzdA') && !text.includes('bmV3LXMzY3IzdA'));
    assert.match(text, /^- {2}password: "\*\*\* \(before\)"$/m);
    assert.match(text, /^\+ {2}password: "\*\*\* \(after\)"$/m);
  });
});
