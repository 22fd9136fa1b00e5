import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../content-hash.ts';
import type { KubeObject } from '../kube-object.ts';
import { Native, Provenance } from '../names.ts';
import { parseObject } from '../parse-object.ts';
import { renderMirrorOutcome } from '../render.ts';
import { applyTransform } from './apply.ts';
import { parseTransformRules } from './rules.ts';
import { contextValue, executeTemplate } from './template-eval.ts';
import { TemplateSyntaxError } from './template-lex.ts';
import { parseTemplate } from './template-parse.ts';
import { Budget, TemplateRuntimeError } from './template-values.ts';

const ctx = {
  TargetNamespace: 'prod-eu',
  SourceNamespace: 'platform',
  SourceName: 'cfg',
  TargetName: 'cfg',
  Labels: { app: 'web', tier: 'front' },
  Annotations: { owner: 'x' },
};

// Pieces a template is made of, good and bad, so random sequences reach deep into the parser and interpreter.
const TOKENS = [
  '{{',
  '}}',
  '{{- ',
  ' -}}',
  '(',
  ')',
  '|',
  ' ',
  '.',
  '$',
  '"',
  '`',
  '\\',
  '/*',
  '*/',
  'x',
  '-',
  '1',
  '99999',
  '.TargetNamespace',
  '.Labels',
  '.Labels.app',
  '.Labels.none',
  '.Nope',
  'if',
  'else',
  'end',
  'range',
  'with',
  'upper',
  'lower',
  'replace',
  'printf',
  'print',
  'quote',
  'default',
  'index',
  'len',
  'eq',
  'ne',
  'and',
  'or',
  'not',
  'b64enc',
  'b64dec',
  'trimPrefix',
  'hasSuffix',
  '"%s"',
  '"%d"',
  '"%v"',
  '"%999999999s"',
  '""',
  '"a"',
  'true',
  'nil',
  '$x := 1',
  '{{end}}',
  '{{else}}',
  '{{if .Labels.app}}',
];

const tokenTemplate = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));

// Well-formed but hostile: deep nesting, long pipelines, growing replaces, huge printf arguments.
const hostile = fc.oneof(
  fc.nat({ max: 40 }).map((n) => `{{${'('.repeat(n)}.TargetNamespace${')'.repeat(n)}}}`),
  fc.nat({ max: 200 }).map((n) => `{{.TargetNamespace${' | upper | lower'.repeat(n)}}}`),
  fc.nat({ max: 8 }).map((n) => {
    let e = '.TargetNamespace';
    for (let i = 0; i < n; i++) e = `(replace ${e} "" "0123456789abcdef")`;
    return `{{${e}}}`;
  }),
  fc
    .nat({ max: 30 })
    .map((n) => `{{printf "%s%s" ${'(printf "%s%s" .TargetNamespace .TargetNamespace) '.repeat(2)}}}`.repeat(n)),
  fc.nat({ max: 40 }).map((n) => `${'{{if true}}'.repeat(n)}x${'{{end}}'.repeat(n)}`),
  fc.string({ maxLength: 200 }),
);

function evaluate(text: string, maxSteps = 20000): { out?: string; error?: string; steps: number } {
  const budget = new Budget({ maxSteps, maxOutput: 65536 });
  try {
    const out = executeTemplate(parseTemplate(text), contextValue(ctx), budget);
    return { out, steps: budget.steps };
  } catch (err) {
    assert.ok(
      err instanceof TemplateSyntaxError || err instanceof TemplateRuntimeError,
      `threw ${String(err)} for ${JSON.stringify(text)}`,
    );
    return { error: err.message, steps: budget.steps };
  }
}

describe('transform templates, fuzzed', () => {
  it('always end within the budget and throw nothing but template errors', () => {
    fc.assert(
      fc.property(fc.oneof(tokenTemplate, hostile), (text) => {
        const r = evaluate(text);
        // A call is charged after it produced its result, so the budget can be overrun by at most one call's charge.
        assert.ok(r.steps <= 20000 + 1 + (65536 >> 4), `${r.steps} steps`);
        if (r.out !== undefined) assert.ok(r.out.length <= 65536);
      }),
      { numRuns: 3000 },
    );
  });

  it('are deterministic: the same template gives the same output or the same error', () => {
    fc.assert(
      fc.property(fc.oneof(tokenTemplate, hostile), (text) => {
        assert.deepEqual(evaluate(text), evaluate(text));
      }),
      { numRuns: 500 },
    );
  });
});

const ruleArb = fc.record({
  path: fc.constantFrom(
    'data.A',
    'data.B',
    'data["x.y"]',
    'metadata.labels.env',
    'spec.list[0].name',
    'spec.list[5]',
    'spec.n',
  ),
  action: fc.oneof(
    fc.string({ maxLength: 8 }).map((v) => `value: ${JSON.stringify(v)}`),
    fc.constantFrom(
      'template: "{{.TargetNamespace}}"',
      'template: "{{.Labels.none}}"',
      'delete: true',
      'merge: {k: v}',
    ),
  ),
  pattern: fc.constantFrom('', 'prod-*', 'dev-?', '*'),
});

describe('transform rules, fuzzed', () => {
  it('never change the source, and the mirror is a pure function of (source, namespace, rules)', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 8 }),
        fc.constantFrom('prod-eu', 'dev-a', 'other'),
        fc.constantFrom('ConfigMap', 'Secret', 'Widget'),
        fc.boolean(),
        (rules, namespace, kind, strict) => {
          const text = `rules:\n${rules
            .map(
              (r) =>
                `  - path: ${JSON.stringify(r.path)}\n    ${r.action}\n    namespacePattern: ${JSON.stringify(r.pattern)}\n`,
            )
            .join('')}`;
          const source: KubeObject = {
            apiVersion: kind === 'Widget' ? 'example.com/v1' : 'v1',
            kind,
            metadata: {
              name: 'cfg',
              namespace: 'platform',
              labels: { env: 'x' },
              annotations: {
                [Native.to]: '*',
                [Native.transform]: text,
                ...(strict ? { [Native.transformStrict]: 'true' } : {}),
              },
            },
            ...(kind === 'Widget' ? { spec: { list: [{ name: 'a' }], n: 3 } } : { data: { A: 'YQ==', B: 'Yg==' } }),
          };
          const before = canonicalJson(source);
          const spec = parseObject(source).spec;
          if (spec === undefined) return;
          const render = () => renderMirrorOutcome(source, spec, { namespace, name: 'cfg' }, 'push');
          const first = render();
          assert.equal(canonicalJson(source), before, 'the source changed');
          assert.equal(canonicalJson(render()), canonicalJson(first));
          const copy = structuredClone(source);
          assert.equal(
            canonicalJson(renderMirrorOutcome(copy, parseObject(copy).spec!, { namespace, name: 'cfg' }, 'push')),
            canonicalJson(first),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('give mirrors whose content hash differs whenever their content differs', () => {
    const rulesText = (rules: { path: string; action: string; pattern: string }[]) =>
      `rules:\n${rules
        .map(
          (r) =>
            `  - path: ${JSON.stringify(r.path)}\n    ${r.action}\n    namespacePattern: ${JSON.stringify(r.pattern)}\n`,
        )
        .join('')}`;
    fc.assert(
      fc.property(
        fc.array(fc.array(ruleArb, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('ConfigMap', 'Secret', 'Widget'),
        fc.array(fc.constantFrom('YQ==', 'Yg==', 'eA=='), { minLength: 2, maxLength: 2 }),
        (ruleSets, kind, values) => {
          const seen = new Map<string, string>();
          for (const rules of ruleSets) {
            for (const value of values) {
              const source: KubeObject = {
                apiVersion: kind === 'Widget' ? 'example.com/v1' : 'v1',
                kind,
                metadata: {
                  name: 'cfg',
                  namespace: 'platform',
                  annotations: { [Native.to]: '*', [Native.transform]: rulesText(rules) },
                },
                ...(kind === 'Widget'
                  ? { spec: { list: [{ name: value }], n: 3 } }
                  : { data: { A: value, B: 'Yg==' } }),
              };
              const spec = parseObject(source).spec;
              if (spec === undefined) continue;
              for (const namespace of ['prod-eu', 'dev-a', 'other']) {
                const mirror: KubeObject | undefined = renderMirrorOutcome(
                  source,
                  spec,
                  { namespace, name: 'cfg' },
                  'push',
                ).object;
                if (mirror === undefined) continue;
                const { [Provenance.contentHash]: hash, ...annotations }: Record<string, string> =
                  mirror.metadata.annotations ?? {};
                const content = canonicalJson({ ...mirror, metadata: { labels: mirror.metadata.labels, annotations } });
                const before = seen.get(hash!);
                if (before !== undefined) assert.equal(content, before, `two mirrors share the hash ${hash}`);
                seen.set(hash!, content);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseTransformRules never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .array(
              fc.constantFrom(
                'rules:',
                '\n',
                '  - ',
                'path: ',
                'a',
                '[0]',
                '&a',
                '*a',
                '{',
                '}',
                ': ',
                'value',
                'merge',
                'template',
                '"{{',
                '}}"',
              ),
              { maxLength: 40 },
            )
            .map((a) => a.join('')),
        ),
        (text) => {
          const r = parseTransformRules(text);
          assert.equal(typeof r.ok, 'boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('applyTransform leaves its input untouched', () => {
    const input = {
      kind: 'ConfigMap',
      content: Object.freeze({ data: Object.freeze({ A: 'a' }) }),
      labels: Object.freeze({}),
      annotations: Object.freeze({}),
    };
    const r = parseTransformRules(
      'rules:\n  - path: data.A\n    value: b\n  - path: data.C\n    template: "{{.TargetNamespace}}"\n',
    );
    assert.ok(r.ok);
    const out = applyTransform(input, r.rules, ctx);
    assert.deepEqual(out.content, { data: { A: 'b', C: 'prod-eu' } });
    assert.deepEqual(input.content, { data: { A: 'a' } });
  });
});
