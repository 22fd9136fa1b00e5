import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob } from '../patterns/index.ts';
import { parsePath } from './path.ts';
import { parseTransformRules } from './rules.ts';

function errors(text: string, limits?: { maxRules: number; maxBytes: number }): string[] {
  const r = parseTransformRules(text, limits);
  assert.equal(r.ok, false, `expected errors for ${text}`);
  return r.ok ? [] : r.errors;
}

describe('transform rule parsing', () => {
  it("reads KubeMirror's schema: path and one of value, template, merge, delete, with namespacePattern", () => {
    const r = parseTransformRules(`rules:
  - path: data.LOG_LEVEL
    value: error
    namespacePattern: "prod-*"
  - path: data.API_URL
    template: "https://{{.TargetNamespace}}.api.example.com"
  - path: metadata.labels
    merge:
      environment: production
  - path: data.DEBUG_MODE
    delete: true
  - path: data.REPLICAS
    value: 3
  - path: data.ALL
    value: x
    namespacePattern: ""
`);
    assert.ok(r.ok);
    assert.deepEqual(
      r.rules.map((x) => [x.number, x.path, x.action.type, x.namespacePattern?.text]),
      [
        [1, 'data.LOG_LEVEL', 'value', 'prod-*'],
        [2, 'data.API_URL', 'template', undefined],
        [3, 'metadata.labels', 'merge', undefined],
        [4, 'data.DEBUG_MODE', 'delete', undefined],
        [5, 'data.REPLICAS', 'value', undefined],
        [6, 'data.ALL', 'value', undefined],
      ],
    );
    assert.deepEqual(r.rules[4]?.action, { type: 'value', value: '3' }, 'the failsafe schema reads scalars as text');
    assert.equal(r.rules[0]?.namespacePattern?.matches('prod-eu'), true);
    assert.equal(r.rules[0]?.namespacePattern?.matches('preprod-eu'), false, 'anchored');
  });

  it('accepts empty text and an empty list', () => {
    assert.deepEqual(parseTransformRules(''), { ok: true, rules: [] });
    assert.deepEqual(parseTransformRules('rules: []'), { ok: true, rules: [] });
  });

  it('names the rule in every error', () => {
    assert.deepEqual(errors('rules:\n  - path: data.A\n  - path: data.B\n    value: x\n    template: y\n'), [
      'rule 1 (data.A): must have exactly one of value, template, merge or delete',
      'rule 2 (data.B): must have exactly one of value, template, merge or delete',
    ]);
    assert.deepEqual(errors('rules:\n  - path: data.A\n    template: "{{nope}}"\n'), [
      'rule 1 (data.A): template: function "nope" not defined',
    ]);
    assert.match(
      errors('rules:\n  - path: data.A\n    value: x\n    namespacepattern: prod-*\n')[0]!,
      /unknown key "namespacepattern"/,
    );
    assert.match(errors('rules:\n  - value: x\n')[0]!, /rule 1: "path:" must be a string/);
    assert.match(errors('rules:\n  - path: data.A\n    delete: false\n')[0]!, /exactly one of/);
    assert.match(errors('rules:\n  - path: data.A\n    value: {a: b}\n')[0]!, /single value/);
    assert.match(
      errors('rules:\n  - path: data.A\n    value: x\n    namespacePattern: "prod-*/x"\n')[0]!,
      /namespacePattern: invalid glob/,
    );
  });

  it('rejects malformed YAML, unknown top-level keys and non-lists', () => {
    assert.match(errors('rules: [')[0]!, /invalid YAML/);
    assert.match(errors('rule:\n  - path: a\n')[0]!, /unknown key "rule"/);
    assert.match(errors('rules: x')[0]!, /must be a list/);
    assert.match(errors('- path: a')[0]!, /must be a map/);
    assert.match(errors('rules:\n  - path: a\n    value: x\n    value: y\n')[0]!, /invalid YAML/);
  });

  it('enforces the rule count and byte limits before parsing', () => {
    const many = `rules:\n${'  - path: data.A\n    value: x\n'.repeat(51)}`;
    assert.match(errors(many)[0]!, /51 rules exceed the limit of 50/);
    assert.match(errors(`rules: []\n#${'x'.repeat(10240)}`)[0]!, /bytes long; the limit is 10240/);
    assert.match(errors('rules:\n  - path: data.A\n    value: x\n', { maxRules: 5, maxBytes: 10 })[0]!, /limit is 10/);
  });

  it('refuses alias expansion bombs', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'rules: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    assert.match(errors(bomb)[0]!, /invalid YAML: Excessive alias count/);
  });

  it('forbids paths that identify the mirror, decide how it is written, or are ours', () => {
    const bad = (path: string, extra = 'value: x') => errors(`rules:\n  - path: ${path}\n    ${extra}\n`)[0]!;
    assert.match(bad('metadata.name'), /only metadata.labels and metadata.annotations/);
    assert.match(bad('metadata.namespace'), /only metadata.labels and metadata.annotations/);
    assert.match(bad('metadata.ownerReferences[0]'), /only metadata.labels/);
    assert.match(bad('type'), /type cannot be transformed/);
    assert.match(bad('kind'), /kind cannot be transformed/);
    assert.match(bad('apiVersion'), /cannot be transformed/);
    assert.match(bad('immutable'), /cannot be transformed/);
    assert.match(bad('metadata.labels["kube-reflect.io/mirror"]'), /never set on mirrors/);
    assert.match(bad('metadata.annotations["kube-reflect.io/content-hash"]'), /never set on mirrors/);
    assert.match(bad('metadata.labels["app.kubernetes.io/managed-by"]'), /never set on mirrors/);
    assert.match(bad('metadata.annotations', 'merge: {"helm.sh/chart": x}'), /never set on mirrors/);
    assert.match(bad('metadata.labels', 'merge: {"bad key!": x}'), /label key "bad key!"/);
    assert.match(bad('metadata.labels', 'merge: {team: "not a label value!"}'), /label team/);
    assert.match(bad('metadata.labels', 'value: x'), /only merge applies/);
    assert.match(bad('metadata.labels.a.b'), /holds strings/);
    assert.match(bad('data.__proto__'), /__proto__/);
    assert.match(bad('data', 'merge: {__proto__: {polluted: x}}'), /__proto__/);
  });
});

describe('transform paths', () => {
  it('parses dotted fields, indexes and quoted keys', () => {
    assert.deepEqual(parsePath('spec.template.spec.containers[0].env[12].value'), {
      ok: true,
      segments: [
        { key: 'spec' },
        { key: 'template' },
        { key: 'spec' },
        { key: 'containers' },
        { index: 0 },
        { key: 'env' },
        { index: 12 },
        { key: 'value' },
      ],
    });
    assert.deepEqual(parsePath(`data["app.properties"]`), {
      ok: true,
      segments: [{ key: 'data' }, { key: 'app.properties' }],
    });
    assert.deepEqual(parsePath(`metadata.labels['a.b/c']`), {
      ok: true,
      segments: [{ key: 'metadata' }, { key: 'labels' }, { key: 'a.b/c' }],
    });
    assert.deepEqual(parsePath(`data["q\\"x"]`), { ok: true, segments: [{ key: 'data' }, { key: 'q"x' }] });
  });

  it('rejects malformed paths', () => {
    for (const p of ['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a[-1]', 'a]', 'a["x"', 'a[""]', 'a[1]b', 'a[999999]']) {
      assert.equal(parsePath(p).ok, false, p);
    }
  });
});

describe('namespace patterns of rules', () => {
  it('match as the anchored globs of core/patterns do, on the fast path and off it', () => {
    const patterns = ['prod-*', '*-staging', 'namespace-?', 'prod-*-v?', '*', 'a*b*c', '**x', '[ab]-*', '{dev,prod}-*'];
    const names = [
      'prod-eu',
      'prod-',
      'preprod-eu',
      'x-staging',
      'namespace-1',
      'namespace-12',
      'prod-a-v1',
      'abc',
      'aXbYc',
      'ab',
      'x',
      'a-1',
      'dev-1',
    ];
    for (const p of patterns) {
      const r = parseTransformRules(`rules:\n  - path: data.A\n    value: x\n    namespacePattern: "${p}"\n`);
      assert.ok(r.ok, p);
      const reference = compileGlob(p);
      assert.ok(reference.ok);
      for (const n of names)
        assert.equal(r.rules[0]!.namespacePattern!.matches(n), reference.pattern.matches(n), `${p} ${n}`);
    }
  });
});
