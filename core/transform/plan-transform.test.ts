import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, pushTo, secret, world } from '../../test/fixtures.ts';
import type { KubeObject, World } from '../index.ts';
import { applyPlanToWorld, explainSource, Native, planReflection, Provenance } from '../index.ts';

const RULES = `rules:
  - path: data.LOG_LEVEL
    value: error
    namespacePattern: "prod-*"
  - path: data.API_URL
    template: "https://{{.TargetNamespace}}.api.example.com"
  - path: metadata.labels
    merge: { environment: production }
  - path: data.DEBUG_MODE
    delete: true
`;

function source(rules = RULES, extra: Record<string, string> = {}): KubeObject {
  return configMap(
    'platform',
    'app-config',
    { LOG_LEVEL: 'debug', API_URL: 'https://localhost:8080', DEBUG_MODE: 'true' },
    pushTo('dev-*, prod-*', { [Native.transform]: rules, ...extra }),
  );
}

function mirrorIn(w: World, ns: string): KubeObject | undefined {
  return w.objects.find((o) => o.metadata.namespace === ns && o.metadata.name === 'app-config');
}

function converge(w: World): World {
  let cur = w;
  for (let i = 0; i < 3; i++) {
    const plan = planReflection(cur);
    if (plan.apply.length === 0 && plan.delete.length === 0) return cur;
    cur = applyPlanToWorld(cur, plan);
  }
  return cur;
}

describe('transforms through the planner', () => {
  it('renders a different mirror per namespace, and leaves the source as it was', () => {
    const src = source();
    const before = structuredClone(src);
    const plan = planReflection(world(['platform', 'dev-a', 'prod-eu'], [src]));
    assert.deepEqual(src, before);
    const byNs = Object.fromEntries(plan.apply.map((a) => [a.object.metadata.namespace, a.object]));
    assert.deepEqual(byNs['dev-a']?.data, { API_URL: 'https://dev-a.api.example.com', LOG_LEVEL: 'debug' });
    assert.deepEqual(byNs['prod-eu']?.data, { API_URL: 'https://prod-eu.api.example.com', LOG_LEVEL: 'error' });
    assert.equal(byNs['prod-eu']?.metadata.labels?.environment, 'production');
    assert.equal(byNs['prod-eu']?.metadata.labels?.['kube-reflect.io/mirror'], 'true', 'provenance is added after');
    assert.notEqual(
      byNs['dev-a']?.metadata.annotations?.[Provenance.contentHash],
      byNs['prod-eu']?.metadata.annotations?.[Provenance.contentHash],
      'the hash covers the transformed mirror',
    );
    assert.deepEqual(
      plan.mirrors.map((m) => [m.mirror.namespace, m.transform]),
      [
        ['dev-a', { applied: [2, 3, 4], failed: [] }],
        ['prod-eu', { applied: [1, 2, 3, 4], failed: [] }],
      ],
    );
  });

  it('plans nothing for a converged world: a restart writes nothing', () => {
    const done = converge(world(['platform', 'dev-a', 'prod-eu'], [source()]));
    assert.equal(mirrorIn(done, 'prod-eu')?.data?.['LOG_LEVEL' as never], 'error');
    const again = planReflection(structuredClone(done));
    assert.deepEqual([again.apply, again.delete], [[], []]);
    assert.ok(again.mirrors.every((m) => m.state === 'in-sync'));
  });

  it('detects and reverts an edit of a transformed mirror', () => {
    const done = converge(world(['platform', 'prod-eu'], [source()]));
    const edited = structuredClone(done);
    const m = mirrorIn(edited, 'prod-eu')!;
    (m.data as Record<string, string>).LOG_LEVEL = 'debug';
    const plan = planReflection(edited);
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, (a.object.data as Record<string, string>).LOG_LEVEL]),
      [['drift', 'error']],
    );
  });

  it('updates mirrors when the rules change', () => {
    const done = converge(world(['platform', 'prod-eu'], [source()]));
    const changed = {
      ...done,
      objects: done.objects.map((o) =>
        o.metadata.namespace === 'platform' ? source(RULES.replace('value: error', 'value: warn')) : o,
      ),
    };
    const plan = planReflection(changed);
    assert.deepEqual(
      plan.apply.map((a) => [a.reason, (a.object.data as Record<string, string>).LOG_LEVEL]),
      [['update', 'warn']],
    );
  });

  it('writes Secret data rules as decoded text, stored base64-encoded', () => {
    const src = secret(
      'platform',
      'app-credentials',
      { APP_KEY: 'k', ADMIN_PASSWORD: 'super-secret', DB_HOST: 'localhost' },
      pushTo('app-*', {
        [Native.transform]: `rules:
  - path: data.ADMIN_PASSWORD
    delete: true
  - path: data.DB_HOST
    template: "{{.TargetNamespace}}.postgres.svc.cluster.local"
  - path: data
    merge: { EXTRA: plain }
`,
      }),
    );
    const plan = planReflection(world(['platform', 'app-1'], [src]));
    const data = plan.apply[0]?.object.data as Record<string, string>;
    const decoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(decoded, { APP_KEY: 'k', DB_HOST: 'app-1.postgres.svc.cluster.local', EXTRA: 'plain' });
    assert.equal(plan.apply[0]?.object.type, 'Opaque');
  });

  it('skips a failing rule with a warning, and applies the rest', () => {
    const src = source(`rules:
  - path: data.API_URL
    template: "{{.Labels.missing}}"
  - path: data.LOG_LEVEL
    value: warn
`);
    const plan = planReflection(world(['platform', 'dev-a'], [src]));
    assert.deepEqual((plan.apply[0]?.object.data as Record<string, string>).LOG_LEVEL, 'warn');
    assert.deepEqual((plan.apply[0]?.object.data as Record<string, string>).API_URL, 'https://localhost:8080');
    assert.deepEqual(
      plan.findings.map((f) => [f.reason, f.severity, f.object.namespace, f.annotation]),
      [['TransformFailed', 'warning', 'dev-a', Native.transform]],
    );
    assert.match(plan.findings[0]!.message, /transform rule 1 \(data.API_URL\) failed: .*; the rule was skipped/);
    assert.deepEqual(plan.mirrors[0]?.transform, { applied: [2], failed: [1] });
  });

  it('with transform-strict, a failing rule stops the mirror in that namespace and keeps the one there', () => {
    const rules = `rules:
  - path: data.API_URL
    template: '{{if eq .TargetNamespace "dev-b"}}{{.Labels.missing}}{{else}}ok{{end}}'
`;
    const good = converge(world(['platform', 'dev-a', 'dev-b'], [source(rules.replace('dev-b', 'none'))]));
    const strict = {
      ...good,
      objects: good.objects.map((o) =>
        o.metadata.namespace === 'platform' ? source(rules, { [Native.transformStrict]: 'true' }) : o,
      ),
    };
    const plan = planReflection(strict);
    assert.deepEqual(plan.apply, [], 'dev-a is unchanged, dev-b is not rewritten');
    assert.deepEqual(plan.delete, [], 'the old dev-b mirror is not deleted');
    assert.deepEqual(
      plan.mirrors.map((m) => [m.mirror.namespace, m.state]),
      [
        ['dev-a', 'in-sync'],
        ['dev-b', 'blocked'],
      ],
    );
    assert.match(plan.findings[0]!.message, /the mirror was not written \(transform-strict\)/);
  });

  it('an ill-formed rule is an InvalidAnnotation error and nothing is done for the source', () => {
    const src = source('rules:\n  - path: data.ADMIN_PASSWORD\n    delet: true\n');
    const plan = planReflection(world(['platform', 'dev-a'], [src]));
    assert.deepEqual(plan.apply, []);
    assert.deepEqual(
      plan.findings.map((f) => [f.reason, f.annotation]),
      [['InvalidAnnotation', Native.transform]],
    );
    assert.match(plan.findings[0]!.message, /rule 1 \(data.ADMIN_PASSWORD\): unknown key "delet"/);
  });

  it('obeys the limits passed by the surface', () => {
    const plan = planReflection(world(['platform', 'dev-a'], [source()]), {
      transformLimits: { maxRules: 2, maxBytes: 10240 },
    });
    assert.deepEqual(plan.apply, []);
    assert.match(plan.findings[0]!.message, /4 rules exceed the limit of 2/);
  });

  it('transforms pull mirrors in their own namespace', () => {
    const src = configMap(
      'platform',
      'cfg',
      { URL: 'x' },
      {
        annotations: {
          [Native.allowedNamespaces]: 'dev-*',
          [Native.transform]: 'rules:\n  - path: data.URL\n    template: "{{.TargetNamespace}}/{{.TargetName}}"\n',
        },
      },
    );
    const pull = configMap('dev-a', 'my-cfg', {}, { annotations: { [Native.from]: 'platform/cfg' } });
    const plan = planReflection(world(['platform', 'dev-a'], [src, pull]));
    assert.deepEqual(plan.apply[0]?.object.data, { URL: 'dev-a/my-cfg' });
  });

  it('explain lists the rules applied in each namespace', () => {
    const src = source();
    const ex = explainSource(world(['platform', 'dev-a', 'prod-eu', 'other'], [src]), src);
    const byNs = Object.fromEntries(ex.namespaces.map((n) => [n.namespace, n.transform]));
    assert.deepEqual(byNs['prod-eu'], {
      applied: [
        '1 data.LOG_LEVEL (value, prod-*)',
        '2 data.API_URL (template)',
        '3 metadata.labels (merge)',
        '4 data.DEBUG_MODE (delete)',
      ],
      failed: [],
    });
    assert.deepEqual(byNs['dev-a']?.applied.length, 3);
    assert.equal(byNs['other'], undefined);
  });
});
