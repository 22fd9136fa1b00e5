import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTransform } from './apply.ts';
import { parseTransformRules } from './rules.ts';
import { contextValue, executeTemplate } from './template-eval.ts';
import { TemplateSyntaxError } from './template-lex.ts';
import { parseTemplate } from './template-parse.ts';
import { Budget, DEFAULT_TEMPLATE_LIMITS, TemplateRuntimeError } from './template-values.ts';

const raw = {
  TargetNamespace: 'prod-eu',
  SourceNamespace: 'platform',
  SourceName: 'app-config',
  TargetName: 'app-config',
  Labels: { app: 'web', 'app.kubernetes.io/name': 'shop' },
  Annotations: { owner: 'team-a' },
};
const ctx = contextValue(raw);

function run(text: string, limits = DEFAULT_TEMPLATE_LIMITS): string {
  return executeTemplate(parseTemplate(text), ctx, new Budget(limits));
}

describe('transform templates: what KubeMirror users write', () => {
  it('prints the context fields', () => {
    assert.equal(run('https://{{.TargetNamespace}}.api.example.com'), 'https://prod-eu.api.example.com');
    assert.equal(run('{{.SourceNamespace}}/{{.SourceName}}->{{.TargetName}}'), 'platform/app-config->app-config');
    assert.equal(run('{{.Labels.app}} {{.Annotations.owner}} {{$.TargetNamespace}}'), 'web team-a prod-eu');
  });

  it('calls functions with arguments and through pipelines (the piped value is the last argument)', () => {
    assert.equal(run('{{replace .TargetNamespace "-" "_"}}'), 'prod_eu');
    // Go's strings.ReplaceAll with an empty old string inserts before every character (code point) and at the end.
    assert.equal(run('{{replace "a\u{1F600}b" "" "-"}}'), '-a-\u{1F600}-b-');
    assert.equal(run('{{replace "" "" "-"}}'), '-');
    assert.equal(run('{{.TargetNamespace | upper}}'), 'PROD-EU');
    assert.equal(
      run('{{.TargetNamespace | trimPrefix "prod-" | upper}}'),
      'PROD-',
      'as in Go: trimPrefix("prod-", ns)',
    );
    assert.equal(run('{{trimPrefix .TargetNamespace "prod-" | upper}}'), 'EU');
    assert.equal(run('{{trimSuffix .TargetNamespace "-eu"}}'), 'prod');
    assert.equal(run('{{lower "ABC"}}'), 'abc');
    assert.equal(run('{{(index .Labels "app.kubernetes.io/name") | upper}}'), 'SHOP');
    assert.equal(
      run('{{printf "%s-%d-%v-%v %%" .SourceName 3 true .Labels}}'),
      'app-config-3-true-map[app:web app.kubernetes.io/name:shop] %',
    );
    assert.equal(run('{{quote .TargetNamespace "a\\"b\\n"}}'), '"prod-eu" "a\\"b\\n"');
    assert.equal(run('{{b64enc "héllo"}}'), 'aMOpbGxv');
    assert.equal(run('{{b64enc "héllo" | b64dec}}'), 'héllo');
    assert.equal(run('{{len "héllo"}} {{len .Labels}}'), '6 2', 'len counts UTF-8 bytes, as Go');
    assert.equal(run('{{print 1 2 "a" 3}}'), '1 2a3', 'fmt.Sprint spacing');
  });

  it('uses default for missing keys and empty strings, as KubeMirror', () => {
    assert.equal(run('{{default "none" .Labels.missing}}'), 'none');
    assert.equal(run('{{.Labels.missing | default "none"}}'), 'none');
    assert.equal(run('{{default "none" ""}}'), 'none');
    assert.equal(run('{{default "none" .Labels.app}}'), 'web');
    assert.equal(run('{{index .Labels "missing"}}'), '', 'index of a missing key is the zero value, as Go');
  });

  it('branches with if / else if / else and Go truth', () => {
    const t = '{{if hasPrefix .TargetNamespace "prod-"}}P{{else if eq .TargetNamespace "dev"}}D{{else}}O{{end}}';
    assert.equal(run(t), 'P');
    assert.equal(run('{{if .Labels.missing}}yes{{else}}no{{end}}'), 'no');
    assert.equal(run('{{if and .Labels.app (not (eq .Labels.app "api"))}}yes{{end}}'), 'yes');
    assert.equal(run('{{if or "" 0 .Labels.app}}{{or "" .Labels.app}}{{end}}'), 'web');
    assert.equal(run('{{if ne .SourceName "x"}}a{{if false}}b{{else}}c{{end}}{{end}}'), 'ac');
  });

  it('honours trim markers and comments', () => {
    assert.equal(run('a  {{- /* a comment */ -}}  b {{- " c " -}}   d'), 'ab c d');
    assert.equal(run('{{/* only a comment */}}x'), 'x');
    assert.equal(run('{{-3}}'), '-3', '"{{-3}}" is a number, not a trim marker');
    assert.equal(run('{{`raw \\n`}}'), 'raw \\n');
  });
});

describe('transform templates: errors are errors, never empty strings', () => {
  const syntax = (text: string, message: RegExp) =>
    assert.throws(
      () => parseTemplate(text),
      (e: unknown) => e instanceof TemplateSyntaxError && message.test(e.message),
    );
  const runtime = (text: string, message: RegExp) =>
    assert.throws(
      () => run(text),
      (e: unknown) => e instanceof TemplateRuntimeError && message.test(e.message),
    );

  it('rejects unknown functions and fields when parsing', () => {
    syntax('{{env "HOME"}}', /function "env" not defined/);
    syntax('{{.Nope}}', /can't evaluate field Nope/);
    syntax('{{.TargetNamespace.x}}', /can't evaluate field x/);
    syntax('{{.Labels.a.b}}', /can't evaluate field b/);
    syntax('{{upper}}', /wrong number of args for upper: want 1 got 0/);
    syntax('{{replace "a" "b"}}', /wrong number of args for replace/);
    syntax('{{.Labels.app "x"}}', /can't give argument to non-function/);
  });

  it('rejects what the subset does not support, and malformed actions', () => {
    for (const word of ['range', 'with', 'define', 'template', 'block'])
      syntax(`{{${word} .Labels}}{{end}}`, /not supported/);
    syntax('{{$x := 1}}', /variables are not supported/);
    syntax('{{if .Labels.app}}x', /has no \{\{end\}\}/);
    syntax('x{{end}}', /unexpected \{\{end\}\}/);
    syntax('{{else}}', /unexpected \{\{else\}\}/);
    syntax('{{.TargetNamespace', /unclosed action/);
    syntax('{{"abc}}', /unterminated quoted string/);
    syntax('{{/* open', /unclosed comment/);
    syntax('{{ | upper}}', /missing command/);
    syntax('{{1.5}}', /bad number syntax/);
    syntax('{{99999999999999999999}}', /out of range/);
    syntax(`${'{{if true}}'.repeat(40)}${'{{end}}'.repeat(40)}`, /nested deeper/);
    syntax(`{{${'('.repeat(40)}1${')'.repeat(40)}}}`, /nested deeper/);
  });

  it('fails at run time on type errors, bad printf verbs and missing values', () => {
    runtime('{{.Labels.missing}}', /no value to print/);
    runtime('{{printf "%x" 1}}', /only %s, %d, %v/);
    runtime('{{printf "%5s" "a"}}', /only %s, %d, %v/);
    runtime('{{printf "%s" 1}}', /%s of int/);
    runtime('{{printf "%d" "a"}}', /%d of string/);
    runtime('{{printf "%s"}}', /missing argument/);
    runtime('{{printf "x" 1}}', /extra argument/);
    runtime('{{upper 1}}', /want string/);
    runtime('{{eq "a" 1}}', /incompatible types/);
    runtime('{{b64dec "@@@@"}}', /illegal base64/);
    runtime('{{b64dec "/w=="}}', /not UTF-8/);
    runtime('{{.}}', /whole context/);
  });

  it('stops at the output cap before building an oversized string', () => {
    const limits = { maxSteps: 1_000_000, maxOutput: 1000 };
    runtime(
      '{{replace (replace (replace (replace "abcdefghij" "" "0123456789") "" "0123456789") "" "0123456789") "" "0123456789"}}',
      /output exceeds 65536/,
    );
    assert.throws(
      () =>
        run(
          '{{replace "aaaaaaaaaa" "a" "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}}',
          limits,
        ),
      /output exceeds 1000/,
    );
    assert.throws(() => run(`${'x'.repeat(600)}{{"${'y'.repeat(600)}"}}`, limits), /more than 1000 characters/);
  });

  it('caps what all templates of one mirror write together, not each one alone', () => {
    const parsed = parseTransformRules(
      `rules:\n${[1, 2, 3].map((i) => `  - path: data.K${i}\n    template: "{{printf \\"%s\\" \\"${'z'.repeat(400)}\\"}}"\n`).join('')}`,
    );
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const input = { kind: 'ConfigMap', content: { data: {} }, labels: {}, annotations: {} };
    const result = applyTransform(input, parsed.rules, raw, { maxSteps: 20000, maxOutput: 1000 });
    assert.deepEqual(result.applied, [1, 2]);
    assert.deepEqual(
      result.failed.map((f) => [f.rule, f.why]),
      [[3, 'the template output exceeds the 200 characters this mirror may still write']],
    );
  });

  it('stops at the step budget', () => {
    const limits = { maxSteps: 50, maxOutput: 65536 };
    assert.throws(() => run('{{upper "a"}}'.repeat(40), limits), /budget of 50 steps/);
    assert.equal(run('{{upper "a"}}'.repeat(5), limits), 'AAAAA');
  });
});
