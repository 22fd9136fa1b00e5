import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cannotSpell, literalPart } from './path-indexes.ts';
import { runFunction } from './protocol.ts';

const RL = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';

function krm(stdin: string): string {
  const out = runFunction({ args: [], stdin, readFile: () => undefined });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout;
}

describe('literalPart', () => {
  it('is the start all paths share, cut before a character some spelling of it could change', () => {
    assert.equal(literalPart(new Set(['mirrors/a/configmap-x.yaml', 'mirrors/b/secret-y.yaml'])), 'mirrors/');
    assert.equal(literalPart(new Set(['mirrors/a b/x.yaml'])), 'mirrors/a');
    assert.equal(literalPart(new Set(["it's/x.yaml"])), 'it');
    assert.equal(literalPart(new Set(['a/x.yaml', 'b/x.yaml'])), '');
    assert.equal(literalPart(new Set()), '');
  });
});

describe('cannotSpell', () => {
  it('is true only for a text with neither the needle nor an escape that could spell it', () => {
    assert.equal(cannotSpell('path: apps/x.yaml\n', 'mirrors/'), true);
    assert.equal(cannotSpell('path: mirrors/x.yaml\n', 'mirrors/'), false);
    assert.equal(cannotSpell('path: "mirrors\\x2Fx.yaml"\n', 'mirrors/'), false);
    assert.equal(cannotSpell('a: &p mirrors/x.yaml\nannotations: {path: *p}\n', 'mirrors/'), false);
  });
});

describe('a new mirror in a file the package already has', () => {
  // team-a's mirror of platform/shared goes to mirrors/team-a/configmap-shared.yaml, where an item already is.
  const source =
    '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: shared\n    namespace: platform\n    annotations:\n' +
    '      kube-reflect.io/to: team-a\n  data: {k: v}\n- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n';
  const occupant = (path: string) =>
    '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: other\n    namespace: team-a\n    annotations:\n' +
    `      config.kubernetes.io/path: ${path}\n      config.kubernetes.io/index: '0'\n  data: {k: w}\n`;

  it('gets the next index of that file, the path an alias to another item', () => {
    const holder =
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: files\n    namespace: team-b\n    annotations:\n' +
      '      team.example/file: &p mirrors/team-a/configmap-shared.yaml\n  data: {k: x}\n';
    const out = krm(`${RL}${holder}${occupant('*p')}${source}`);
    const mirror = out.slice(out.lastIndexOf('- apiVersion'));
    assert.match(mirror, /name: shared\n {4}namespace: team-a/);
    assert.match(mirror, /config\.kubernetes\.io\/index: "1"\n/);
  });

  for (const [how, path] of [
    ['spelled plainly', 'mirrors/team-a/configmap-shared.yaml'],
    ['spelled with an escape', '"mirrors\\x2Fteam-a/configmap-shared.yaml"'],
  ] as const) {
    it(`gets the next index of that file, the path ${how}`, () => {
      const out = krm(`${RL}${occupant(path)}${source}`);
      const mirror = out.slice(out.lastIndexOf('- apiVersion'));
      assert.match(mirror, /name: shared\n {4}namespace: team-a/);
      assert.match(mirror, /config\.kubernetes\.io\/path: mirrors\/team-a\/configmap-shared\.yaml\n/);
      assert.match(mirror, /config\.kubernetes\.io\/index: "1"\n/);
    });
  }
});
