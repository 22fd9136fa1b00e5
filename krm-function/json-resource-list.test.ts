// A ResourceList sent as JSON is read with JSON.parse (json-resource-list.ts): the same answers as the same list in
// block YAML, unchanged items byte for byte, and whatever JSON.parse reads differently from go-yaml read as YAML.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { Outcome } from './protocol.ts';
import { runFunction } from './protocol.ts';
import { YAML_OPTIONS } from './yaml-options.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

function krm(stdin: string): Outcome {
  return runFunction({ args: [], stdin, readFile: () => undefined });
}

const read = (text: string): unknown => parse(text, YAML_OPTIONS);

const SOURCE = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
  data: { password: 'cGFzcw==' },
};
const TEAM_A = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
const list = (items: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...extra });

describe('reflect-fn reads a JSON ResourceList with JSON.parse', () => {
  for (const name of readdirSync(testdata).sort()) {
    if (existsSync(join(testdata, name, 'legacy-config.yaml'))) continue;
    const yaml = readFileSync(join(testdata, name, 'input.yaml'), 'utf8');
    let value: unknown;
    try {
      value = read(yaml);
    } catch {
      continue;
    }
    const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? undefined : v));
    if (json === undefined || (value as { kind?: unknown } | null)?.kind !== 'ResourceList') continue;
    it(`gives the same objects and results as block YAML: ${name}`, () => {
      // The YAML of the same value (no anchors, no comments): the JSON path must agree with it item for item.
      const fromYaml = krm(stringify(JSON.parse(json), { ...YAML_OPTIONS, lineWidth: 0 }));
      const fromJson = krm(json);
      assert.equal(fromJson.code, fromYaml.code, fromJson.stderr);
      assert.deepEqual(read(fromJson.stdout || 'null'), read(fromYaml.stdout || 'null'));
      if (fromJson.stdout !== '') assert.equal(krm(fromJson.stdout).stdout, fromJson.stdout, 'not a fixed point');
    });
  }

  it('keeps unchanged items and the text around them byte for byte, and writes new mirrors as JSON', () => {
    const foreign =
      '{ "apiVersion" : "v1",\n  "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "team-a"}, "data": {"n": "0x1F"} }';
    const text = `{"apiVersion": "config.kubernetes.io/v1",  "kind": "ResourceList", "items": [${JSON.stringify(SOURCE)},\n ${foreign}, ${JSON.stringify(TEAM_A)}]}\n`;
    const out = krm(text);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(
      out.stdout.startsWith(
        `{"apiVersion": "config.kubernetes.io/v1",  "kind": "ResourceList", "items": [${JSON.stringify(SOURCE)},\n ${foreign},\n ${JSON.stringify(TEAM_A)},\n {"apiVersion":"v1","kind":"Secret"`,
      ),
    );
    assert.ok(out.stdout.endsWith(']}\n'));
    const items = (JSON.parse(out.stdout) as { items: { metadata: { namespace?: string } }[] }).items;
    assert.equal(items.length, 4);
    assert.equal(items[3]!.metadata.namespace, 'team-a');
    assert.equal(krm(out.stdout).stdout, out.stdout);
  });

  it('replaces the results of an earlier run instead of adding to them', () => {
    const out = krm(
      list([{ ...SOURCE, metadata: { ...SOURCE.metadata, annotations: { 'kube-reflect.io/to': '!!' } } }], {
        results: [{ message: 'old', severity: 'info' }],
      }),
    );
    const results = (JSON.parse(out.stdout) as { results: { message: string }[] }).results;
    assert.ok(results.length > 0 && results.every((r) => r.message !== 'old'));
  });

  it('refuses a key given twice (as YAML does), naming the item', () => {
    const dup = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "name": "b"}}';
    const out = krm(
      `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [${JSON.stringify(TEAM_A)}, ${dup}]}`,
    );
    assert.equal(out.code, 2);
    assert.match(out.stderr, /ResourceList\.items\[1\]: .*unique/);
  });

  it('reads integers beyond 2^53 with every digit, as YAML does', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
      spec: { big: 0 },
    };
    const text = list([widget, TEAM_A]).replace('"big":0', '"big":1234567890123456789');
    const out = krm(text);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.match(/1234567890123456789/g)?.length, 2);
  });

  it('names the item whose text is not valid, with its line', () => {
    const out = krm(
      `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [\n${JSON.stringify(TEAM_A)},\n{"kind": [}\n]}`,
    );
    assert.equal(out.code, 2);
    assert.match(out.stderr, /not valid YAML/);
  });

  it('reads a non-JSON flow list and a JSON document that is not a ResourceList as before', () => {
    assert.equal(krm('{apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: []}').code, 0);
    const out = krm(JSON.stringify(TEAM_A));
    assert.equal(out.code, 2);
    assert.match(out.stderr, /not a ResourceList \(got kind Namespace\)/);
  });

  it('reads an item whose key is spelled with escapes in full, not as a bystander', () => {
    const escaped = JSON.stringify(SOURCE).replace('kube-reflect.io/to', 'kube\\u002dreflect.io\\/to');
    const out = krm(list([JSON.parse(escaped) as unknown, TEAM_A]).replace(JSON.stringify(SOURCE), escaped));
    assert.equal(out.code, 0, out.stderr);
    assert.equal((JSON.parse(out.stdout) as { items: unknown[] }).items.length, 3);
  });
});
