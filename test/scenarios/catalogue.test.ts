import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import type { Scenario } from './catalogue.ts';
import { checkScenario, compareContent, loadAllScenarios } from './catalogue.ts';
import { converge } from './converge.ts';

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

  // The catalogue's own transform scenarios: what they prove must fail when a rule's effect is missing.
  const outcomeOf = (file: string) => {
    const scenario = loadAllScenarios().find((x) => x.file === file) as Scenario;
    const access = scenario.options?.accessKindSourceNamespaces;
    const { world } = converge(
      { namespaces: scenario.namespaces, objects: scenario.objects },
      access === undefined ? {} : { accessKindSourceNamespaces: access },
    );
    const objects = structuredClone(world.objects) as KubeObject[];
    const at = (kind: string, namespace: string) =>
      objects.find((o) => o.kind === kind && o.metadata.namespace === namespace) as KubeObject & {
        spec: Record<string, unknown>;
      };
    return { scenario, objects, at };
  };

  it('36: a NetworkPolicy mirror that kept the peer its delete rule removes fails', () => {
    const { scenario, objects, at } = outcomeOf('36-transform-array-indexes.yaml');
    assert.deepEqual(checkScenario(scenario, { objects }), []);
    const from = (at('NetworkPolicy', 'team-a').spec.ingress as { from: unknown[] }[])[0]!.from;
    from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'legacy' } } });
    assert.equal(checkScenario(scenario, { objects }).length, 1);
    assert.match(
      checkScenario(scenario, { objects })[0]!,
      /^mirror NetworkPolicy team-a\/same-team spec\.ingress\[0\]\.from has 2 items/,
    );
  });

  it('76: Deployment defaults on source and mirror pass; a deleted annotation or env entry that stayed fails', () => {
    const { scenario, objects, at } = outcomeOf('76-transform-deployment-registry.yaml');
    assert.deepEqual(checkScenario(scenario, { objects }), []);
    // What a real API server adds, on the stored source and on the mirror alike.
    for (const ns of ['platform', 'team-a', 'team-b']) {
      const spec = at('Deployment', ns).spec as Record<string, unknown> & {
        template: { spec: Record<string, unknown> };
      };
      spec.revisionHistoryLimit = 10;
      spec.template.spec.dnsPolicy = 'ClusterFirst';
    }
    assert.deepEqual(checkScenario(scenario, { objects }), []);
    const template = at('Deployment', 'team-b').spec.template as {
      metadata: { annotations: Record<string, string> };
      spec: { containers: { env: unknown[] }[] };
    };
    template.metadata.annotations['debug.example.com/profile'] = 'on';
    template.spec.containers[0]!.env.push({ name: 'DEBUG', value: 'true' });
    assert.deepEqual(checkScenario(scenario, { objects }), [
      'mirror Deployment team-b/api spec.template.metadata.annotations["debug.example.com/profile"] is "on", which is neither expected nor a server default',
      'mirror Deployment team-b/api spec.template.spec.containers[0].env has 3 items [{"name":"LOG_LEVEL","value":"warn"},{"name":"DATABASE_URL","value":"postgres://team-b-db.svc:5432"},{"name":"DEBUG","value":"true"}], want 2: [{"name":"LOG_LEVEL","value":"warn"},{"name":"DATABASE_URL","value":"postgres://team-b-db.svc:5432"}]',
    ]);
  });
});
