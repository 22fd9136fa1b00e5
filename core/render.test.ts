import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from './kube-object.ts';
import { Provenance } from './names.ts';
import { parseObject } from './parse-object.ts';
import { isDrifted, isInSync, RenderMemo, renderMirror, renderMirrorOutcome } from './render.ts';

const source: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-*' } },
  type: 'Opaque',
  data: { b: 'Yg==', a: 'YQ==' },
};
const spec = parseObject(source).spec!;
const desired = renderMirror(source, spec, { namespace: 'team-a', name: 'db' }, 'push')!;

describe('isInSync', () => {
  it('holds for the rendered mirror and for one with extra keys, not for an edited value or another hash', () => {
    const extra = structuredClone(desired);
    extra.metadata.labels = { ...extra.metadata.labels, added: 'by-hand' };
    assert.equal(isInSync(structuredClone(desired), desired), true);
    assert.equal(isInSync(extra, desired), true);
    const edited = structuredClone(desired);
    (edited.data as Record<string, string>).a = 'eA==';
    assert.equal(isInSync(edited, desired), false);
    assert.equal(isDrifted(edited, desired), true);
    const older = structuredClone(desired);
    older.metadata.annotations![Provenance.contentHash] = 'sha256:older';
    assert.equal(isInSync(older, desired), false);
    assert.equal(isDrifted(older, desired), false);
  });

  it('is false whenever the live content hash differs, whatever else is equal (the hash is a managed annotation)', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (hash) => {
        const live = structuredClone(desired);
        if (hash === undefined) delete live.metadata.annotations![Provenance.contentHash];
        else live.metadata.annotations![Provenance.contentHash] = hash;
        assert.equal(isInSync(live, desired), hash === desired.metadata.annotations![Provenance.contentHash]);
      }),
    );
  });
});

describe('renderMirrorOutcome with a memo', () => {
  it('renders what it renders without one, and each mirror owns its Secret data', () => {
    const memo = new RenderMemo();
    const a = renderMirrorOutcome(source, spec, { namespace: 'team-a', name: 'db' }, 'push', memo).object!;
    const b = renderMirrorOutcome(source, spec, { namespace: 'team-b', name: 'db' }, 'push', memo).object!;
    assert.deepEqual(a, renderMirror(source, spec, { namespace: 'team-a', name: 'db' }, 'push'));
    assert.deepEqual(b, renderMirror(source, spec, { namespace: 'team-b', name: 'db' }, 'push'));
    assert.deepEqual(Object.keys(a.data as object), ['a', 'b']);
    assert.notEqual(a.data, b.data);
    (a.data as Record<string, string>).a = 'changed';
    assert.equal((b.data as Record<string, string>).a, 'YQ==');
  });
});
