import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareContent } from './catalogue.ts';

// A source as written, the same source as an API server stored it (defaults added), and the expected mirror content.
const written = {
  spec: {
    template: {
      metadata: { annotations: { debug: 'on', owner: 'platform' } },
      spec: { containers: [{ name: 'app', image: 'app:v1' }] },
    },
  },
};
const stored = {
  spec: {
    strategy: { type: 'RollingUpdate' },
    template: {
      metadata: { annotations: { debug: 'on', owner: 'platform' } },
      spec: {
        dnsPolicy: 'ClusterFirst',
        containers: [{ name: 'app', image: 'app:v1', imagePullPolicy: 'IfNotPresent' }],
      },
    },
  },
};
const want = {
  spec: {
    template: {
      metadata: { annotations: { owner: 'platform' } },
      spec: { containers: [{ name: 'app', image: 'registry.team-a/app:v1' }] },
    },
  },
};
const mirror = (edit: (m: typeof stored) => void) => {
  const m = structuredClone(stored);
  delete (m.spec.template.metadata.annotations as { debug?: string }).debug;
  m.spec.template.spec.containers[0]!.image = 'registry.team-a/app:v1';
  edit(m);
  return m;
};
const check = (got: unknown, from: unknown = stored) => compareContent(want, got, from, written, '');

describe('the catalogue compares transformed content, tolerating server defaults only', () => {
  it('accepts the server defaults the stored source carries too', () => {
    assert.deepEqual(check(mirror(() => undefined)), []);
  });

  it('on an in-memory surface (stored = written) it is exact: a default the source lacks is extra', () => {
    assert.deepEqual(
      check(
        mirror(() => undefined),
        written,
      ),
      [
        'spec.template.spec.containers[0].imagePullPolicy is "IfNotPresent", which is neither expected nor a server default',
        'spec.template.spec.dnsPolicy is "ClusterFirst", which is neither expected nor a server default',
        'spec.strategy is {"type":"RollingUpdate"}, which is neither expected nor a server default',
      ],
    );
  });

  it('rejects a key a rule should have deleted, though the stored source has it', () => {
    const got = mirror((m) => (m.spec.template.metadata.annotations.debug = 'on'));
    assert.deepEqual(check(got), [
      'spec.template.metadata.annotations.debug is "on", which is neither expected nor a server default',
    ]);
  });

  it('rejects a default whose value differs from the stored source', () => {
    const got = mirror((m) => (m.spec.template.spec.dnsPolicy = 'None'));
    assert.deepEqual(check(got), [
      'spec.template.spec.dnsPolicy is "None", which is neither expected nor a server default',
    ]);
  });

  it('every named field must match, and lists must be as long', () => {
    const wrongImage = mirror((m) => (m.spec.template.spec.containers[0]!.image = 'app:v1'));
    assert.deepEqual(check(wrongImage), [
      'spec.template.spec.containers[0].image is "app:v1", want "registry.team-a/app:v1"',
    ]);
    const extraItem = mirror((m) => m.spec.template.spec.containers.push({ ...m.spec.template.spec.containers[0]! }));
    assert.equal(check(extraItem).length, 1);
    assert.match(check(extraItem)[0]!, /^spec\.template\.spec\.containers has 2 items .*, want 1:/);
    const missing = mirror((m) => delete (m.spec.template.metadata as { annotations?: unknown }).annotations);
    assert.deepEqual(check(missing), ['spec.template.metadata.annotations is missing, want {"owner":"platform"}']);
  });

  it('names keys that are no identifiers in brackets', () => {
    assert.deepEqual(compareContent({ a: { 'x.io/y': '1' } }, { a: { 'x.io/y': '2' } }, {}, {}, ''), [
      'a["x.io/y"] is "2", want "1"',
    ]);
  });
});
