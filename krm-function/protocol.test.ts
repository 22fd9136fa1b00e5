// The trust breaks of reflect-fn's input and output, through each protocol: the KRM ResourceList (fast and whole
// paths), kustomize's legacy stream with its config file, and `kubectl reflect render`'s entry (renderPackage).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Outcome } from './protocol.ts';
import { renderPackage, runFunction } from './protocol.ts';
import { YAML_OPTIONS } from './yaml-options.ts';

const RL = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
const CONFIG = 'apiVersion: fn.kube-reflect.io/v1alpha1\nkind: ReflectConfig\nmetadata: {name: r}\nspec: {}\n';

function krm(stdin: string | Uint8Array): Outcome {
  return runFunction({ args: [], stdin, readFile: () => undefined });
}

function legacy(stdin: string | Uint8Array, config = CONFIG): Outcome {
  return runFunction({ args: ['config.yaml'], stdin, readFile: (p) => (p === 'config.yaml' ? config : undefined) });
}

function bombLines(indent: string): string {
  const lines = [`${indent}l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i <= 6; i++)
    lines.push(
      `${indent}l${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

const BOMB_WIDGET =
  'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: bomb\n  namespace: platform\n  annotations:\n' +
  '    kube-reflect.io/to: team-a\nspec:\n';

describe('break 4: alias bombs are refused on every protocol, naming the item', () => {
  const itemBomb = `${RL}- ${BOMB_WIDGET.replace(/\n(?=.)/g, '\n  ')}${bombLines('    ')}- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n`;

  it('ResourceList', () => {
    const out = krm(itemBomb);
    assert.equal(out.code, 2);
    assert.match(
      out.stderr,
      /ResourceList\.items\[0\] \(Widget platform\/bomb\): its YAML aliases expand to more than/,
    );
  });

  it('ResourceList in flow style (the document path)', () => {
    const flow = `{apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: [{kind: Widget, apiVersion: v1, metadata: {name: b}, spec: {${bombLines('').trim().split('\n').join(', ')}}}]}\n`;
    const out = krm(flow);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /ResourceList\.items\[0\] \(Widget b\): its YAML aliases expand/);
  });

  it('ResourceList functionConfig', () => {
    const out = krm(
      `${RL}- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\nfunctionConfig:\n${bombLines('  ')}`,
    );
    assert.equal(out.code, 2);
    assert.match(out.stderr, /ResourceList\.functionConfig: its YAML aliases expand/);
  });

  it('legacy stream and its config file', () => {
    const stream = `apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n---\n${BOMB_WIDGET}${bombLines('  ')}`;
    const out = legacy(stream);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /document 2 of stdin \(Widget platform\/bomb\): its YAML aliases expand/);
    const config = legacy('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n', `${CONFIG}${bombLines('')}`);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /config\.yaml \(ReflectConfig r\): its YAML aliases expand/);
  });

  it('kubectl reflect render', () => {
    const out = renderPackage([
      { name: 'pkg/bomb.yaml', data: `${BOMB_WIDGET}${bombLines('  ')}` },
      { name: 'pkg/ns.yaml', data: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n' },
    ]);
    assert.equal(out.ok, false);
    assert.match(out.ok ? '' : out.error, /\(Widget platform\/bomb\): its YAML aliases expand/);
  });
});

describe('break 5: mirrors carry exactly the values Kubernetes reads from the source', () => {
  it('time-like values stay strings, big integers keep every digit, other scalars keep their meaning', () => {
    const input =
      `${RL}- apiVersion: example.com/v1\n  kind: Widget\n  metadata: {name: w, namespace: platform, annotations: {kube-reflect.io/to: team-a}}\n` +
      '  spec: {window: 01:30, ratio: 16:9, mac: 0:1:2:3:4:5, big: 12345678901234567890, octal: 0777, hex: 0x1F, o: 0o17, ' +
      'yes: yes, exp: 1e3, inf: .inf, nil: ~, date: 2024-01-01, quoted: "0777", huge: 0xFFFFFFFFFFFFFFFFFF}\n' +
      '- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    const items = (parse(out.stdout, YAML_OPTIONS) as { items: { metadata: { namespace: string }; spec?: unknown }[] })
      .items;
    const mirror = items.find((i) => i.metadata.namespace === 'team-a' && i.spec !== undefined);
    assert.deepEqual(mirror?.spec, {
      window: '01:30',
      ratio: '16:9',
      mac: '0:1:2:3:4:5',
      big: 12345678901234567890n,
      octal: 511,
      hex: 31,
      o: 15,
      true: true,
      exp: 1000,
      inf: Infinity,
      nil: null,
      date: '2024-01-01',
      quoted: '0777',
      huge: '0xFFFFFFFFFFFFFFFFFF',
    });
    assert.match(out.stdout, /big: 12345678901234567890\n/);
  });

  it('a ConfigMap value Kubernetes would reject (a number) is copied as written, not rounded', () => {
    const input = `${RL}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, namespace: p, annotations: {kube-reflect.io/to: a}}\n  data: {num: 9007199254740993}\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n`;
    const out = krm(input);
    assert.equal(out.stdout.match(/num: 9007199254740993\b/g)?.length, 2, out.stdout);
  });
});

const UNRELATED =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated, namespace: apps}\ndata:\n  ratio: 16:9\n  window: 1:5\n  mac: 0:1:2:3:4:5\n  flags: [ on,   yes ]   # odd spacing\n  big: 12345678901234567890\n';

describe('break 6: objects reflect-fn does not generate leave byte for byte', () => {
  it('legacy stream', () => {
    const out = legacy(UNRELATED);
    assert.equal(out.stdout, UNRELATED);
    const two = `# head\n${UNRELATED}---\n\n# second\n${UNRELATED.replace('unrelated', 'other')}...\n---\n`;
    assert.equal(legacy(two).stdout, two);
  });

  it('kubectl reflect render, from stdin and from files', () => {
    const out = renderPackage([{ name: 'stdin', data: UNRELATED }]);
    assert.deepEqual(out, { ok: true, output: UNRELATED, results: [], failed: false });
    const files = renderPackage([
      { name: 'a.yaml', data: UNRELATED },
      { name: 'b.yaml', data: `---\n${UNRELATED.replace('unrelated', 'b')}` },
    ]);
    assert.equal(files.ok && files.output, `${UNRELATED}---\n${UNRELATED.replace('unrelated', 'b')}`);
  });

  it('ResourceList, beside generated mirrors, in block style', () => {
    const input = `${RL}- ${UNRELATED.replace(/\n(?=.)/g, '\n  ')}- {apiVersion: v1, kind: ConfigMap, metadata: {name: s, namespace: p, annotations: {kube-reflect.io/to: a}}, data: {k: 01:30}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n`;
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(out.stdout.startsWith(input), out.stdout);
  });

  it('an edited pull mirror changes only the fields reflect-fn fills; its own annotations keep their bytes', () => {
    const input =
      `${RL}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: src, namespace: p, annotations: {kube-reflect.io/allowed-namespaces: a}}\n  data: {k: "v2"}\n` +
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: pulled\n    namespace: a\n    annotations:\n' +
      '      kube-reflect.io/from: p/src\n      team.example/ratio: 16:9 # kept\n      team.example/window: 1:5\n' +
      '  data:\n    k: v1\n';
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /team\.example\/ratio: 16:9 # kept\n/);
    assert.match(out.stdout, /team\.example\/window: 1:5\n/);
    assert.match(out.stdout, /k: v2\n/);
  });
});

describe('local config', () => {
  it('an item marked local-config is never deployed, so it does not stand in the way of a mirror of the same name', () => {
    const input =
      `${RL}  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: shared\n      namespace: team-a\n` +
      '      annotations:\n        config.kubernetes.io/local-config: "true"\n    data:\n      k: local\n' +
      '  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: shared\n      namespace: platform\n' +
      '      annotations:\n        kube-reflect.io/to: team-a\n    data:\n      k: v\n' +
      '  - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    const mirror = out.stdout.slice(out.stdout.lastIndexOf('- apiVersion'));
    assert.match(mirror, /name: shared\n +namespace: team-a\n/);
    assert.match(mirror, /kube-reflect\.io\/source: platform\/shared\n/);
    assert.doesNotMatch(out.stdout, /ForeignObject|not ours/);
  });
});

describe('break 8: an alias across items', () => {
  const input =
    `${RL}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: common\n    namespace: platform\n    annotations: &ann\n` +
    '      kube-reflect.io/to: team-a\n  data: {k: v}\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n' +
    '    namespace: platform\n    annotations: *ann\n  data: {k: dg==}\n- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';

  it('is valid YAML (a ResourceList is one document) and works: both sources are mirrored', () => {
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(out.stdout.startsWith(input));
    assert.match(out.stdout, /name: common\n {4}namespace: team-a/);
    assert.match(out.stdout, /name: s\n {4}namespace: team-a/);
    assert.equal(krm(out.stdout).stdout, out.stdout, 'a fixed point');
  });

  it("a merge key brings another item's annotations in: that item is a source too, though its text names none", () => {
    const merged =
      `${RL}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: one\n    namespace: platform\n    annotations: &ann\n` +
      '      kube-reflect.io/to: team-a\n  data: {k: v}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n' +
      '    namespace: platform\n    annotations:\n      <<: *ann\n  data: {k: w}\n' +
      '- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';
    const out = krm(merged);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /name: one\n {4}namespace: team-a/);
    assert.match(out.stdout, /name: two\n {4}namespace: team-a/);
  });

  it('an item reflect-fn would edit that shares an anchor is left as it is, with an error naming it', () => {
    const pull =
      `${RL}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: src, namespace: p, annotations: {kube-reflect.io/allowed-namespaces: a}}\n  data: &d {k: v2}\n` +
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: pulled, namespace: a, annotations: {kube-reflect.io/from: p/src}}\n  data: *d\n' +
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: other, namespace: a, annotations: {kube-reflect.io/from: p/src}}\n  data: {k: v1}\n';
    const out = krm(pull);
    assert.equal(out.code, 1);
    assert.ok(
      out.stdout.startsWith(
        pull.slice(0, pull.indexOf('- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: other')),
      ),
    );
    assert.match(out.stdout, /ResourceList\.items\[1\] \(ConfigMap a\/pulled\) shares a YAML anchor/);
  });

  it('an alias to an anchor in another stream document is an error naming it (anchors are per document)', () => {
    const out = legacy(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: *m\n',
    );
    assert.equal(out.code, 2);
    assert.match(out.stderr, /document 2 of stdin: the alias \*m names no anchor before it/);
  });
});

describe('input reflect-fn must not guess at', () => {
  it('invalid UTF-8 is refused with the line of the first bad byte, never replaced', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${RL}- apiVersion: v1\n  kind: ConfigMap\n  data: {k: "`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
    ]);
    const out = krm(bytes);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /stdin is not valid UTF-8: byte \d+ \(line 6\)/);
    const render = renderPackage([{ name: 'pkg/x.yaml', data: Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]) }]);
    assert.equal(
      render.ok ? '' : render.error,
      'pkg/x.yaml is not valid UTF-8: byte 3 (line 1) is not part of a character',
    );
  });

  it('a trailing `---` is accepted, as kpt and kustomize accept it', () => {
    const input = `${RL}- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n---\n`;
    const out = krm(input);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, input);
    const results = `${RL}- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: a, annotations: {kube-reflect.io/to: "("}}}\n---\n`;
    const bad = krm(results);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /\nresults:\n[\s\S]*\n---\n$/);
  });
});

describe('malformed items are error results naming the item; generated paths never leave the package', () => {
  const ns = '- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';
  const cases: [string, string, RegExp][] = [
    [
      'a kind that is a path',
      '- {apiVersion: v1, kind: ../../x, metadata: {name: s, namespace: p, annotations: {kube-reflect.io/to: team-a}}}\n',
      /ResourceList\.items\[0\]: kind "\.\.\/\.\.\/x" is not a valid kind/,
    ],
    [
      'a name that is a path',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: ../../x, namespace: p, annotations: {kube-reflect.io/to: team-a}}}\n',
      /ResourceList\.items\[0\]: metadata\.name "\.\.\/\.\.\/x" is not a valid name/,
    ],
    [
      'a group that is a path',
      '- {apiVersion: ../v1, kind: Widget, metadata: {name: s, namespace: p, annotations: {kube-reflect.io/to: team-a}}}\n',
      /apiVersion "\.\.\/v1" is not a valid API group and version/,
    ],
    [
      'a Namespace named as a path',
      '- {apiVersion: v1, kind: Namespace, metadata: {name: ../evil}}\n',
      /metadata\.name "\.\.\/evil"/,
    ],
    [
      'no name',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {namespace: p}}\n',
      /ResourceList\.items\[0\]: it has no metadata\.name/,
    ],
    [
      'a list as namespace',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: [a, b]}}\n',
      /metadata\.namespace \["a","b"\] is not a valid namespace name/,
    ],
    [
      'a list as an annotation value',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p, annotations: {kube-reflect.io/to: [team-a]}}}\n',
      /metadata\.annotations\[kube-reflect\.io\/to\] is a list, not a string/,
    ],
    ['an item that is not a map', '- just a string\n', /ResourceList\.items\[0\]: it is not an object/],
    [
      'two items with one identity',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p}, data: {k: v}}\n',
      /ResourceList\.items\[1\]: it has the same kind, namespace and name as ResourceList\.items\[0\]/,
    ],
    [
      'a second pair of items with one identity, after the first pair (each names its own first)',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p}}\n' +
        '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p}}\n' +
        '- {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: p}}\n' +
        '- {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: p}}\n',
      /ResourceList\.items\[3\]: it has the same kind, namespace and name as ResourceList\.items\[2\]/,
    ],
  ];
  for (const [name, items, message] of cases) {
    it(name, () => {
      const input = `${RL}${items}${ns}`;
      const out = krm(input);
      assert.equal(out.code, 1, out.stderr);
      assert.match(out.stderr, message);
      assert.ok(out.stdout.startsWith(input), 'every input item is kept as it was');
      const results = (parse(out.stdout, YAML_OPTIONS) as { results: { tags?: { reason?: string } }[] }).results;
      assert.ok(results.some((r) => r.tags?.reason === 'InvalidItem'));
      assert.doesNotMatch(out.stdout, /path: .*\.\./);
    });
  }

  it('a mirror-name that is a path is a finding, and no path holds ".."', () => {
    const out = krm(
      `${RL}- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: p, annotations: {kube-reflect.io/to: team-a, kube-reflect.io/mirror-name: ../../x}}}\n${ns}`,
    );
    assert.doesNotMatch(out.stdout, /path: .*\.\./);
    assert.match(out.stdout, /mirror-name/);
  });
});
