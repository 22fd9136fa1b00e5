import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from './index.ts';
import { parseObject } from './index.ts';

const R = 'reflector.v1.k8s.emberstack.com/';
const N = 'kube-reflect.io/';

function obj(annotations: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'src', namespace: 'platform', annotations, labels } };
}

describe('parseObject', () => {
  const cases: {
    name: string;
    annotations: Record<string, string>;
    labels?: Record<string, string>;
    expect: (p: ReturnType<typeof parseObject>) => void;
  }[] = [
    {
      name: 'an object without our annotations is neither a source nor a mirror',
      annotations: { 'example.com/x': 'y' },
      expect: (p) =>
        assert.deepEqual(
          [p.isSource, p.spec, p.pull, p.pushedBy, p.findings],
          [false, undefined, undefined, undefined, []],
        ),
    },
    {
      name: 'Reflector booleans parse like .NET bool.TryParse: any case, trimmed',
      annotations: { [`${R}reflection-allowed`]: ' True ', [`${R}reflection-auto-enabled`]: 'TRUE' },
      expect: (p) => {
        assert.equal(p.spec?.dialect, 'reflector');
        assert.equal(p.spec?.allowed?.all, true);
        assert.equal(p.spec?.push?.all, true);
      },
    },
    {
      name: 'a Reflector boolean that is not true or false is an error naming the annotation',
      annotations: { [`${R}reflection-allowed`]: 'yes' },
      expect: (p) => {
        assert.equal(p.spec, undefined);
        assert.equal(p.findings[0]?.reason, 'InvalidAnnotation');
        assert.equal(p.findings[0]?.annotation, `${R}reflection-allowed`);
        assert.match(p.findings[0]?.message ?? '', /Secret platform\/src.*"yes" is not "true" or "false"/);
      },
    },
    {
      name: 'a Reflector source without reflection-allowed pushes nothing and allows nothing',
      annotations: { [`${R}reflection-auto-enabled`]: 'true' },
      expect: (p) => assert.deepEqual([p.isSource, p.spec?.push, p.spec?.allowed], [true, undefined, undefined]),
    },
    {
      name: 'an unknown key under our prefix is an error',
      annotations: { [`${N}to`]: 'all', [`${N}too`]: 'x' },
      expect: (p) => {
        assert.equal(p.spec, undefined);
        assert.deepEqual(
          p.findings.map((f) => [f.reason, f.annotation]),
          [['UnknownAnnotation', `${N}too`]],
        );
      },
    },
    {
      name: 'an unknown key under the Reflector prefix is an error too',
      annotations: { [`${R}reflection-alowed`]: 'true' },
      expect: (p) => assert.equal(p.findings[0]?.reason, 'UnknownAnnotation'),
    },
    {
      name: 'mixing the two dialects for targeting is an error',
      annotations: { [`${R}reflection-allowed`]: 'true', [`${N}to`]: 'all' },
      expect: (p) =>
        assert.deepEqual(
          p.findings.map((f) => f.reason),
          ['MixedDialects'],
        ),
    },
    {
      name: 'native modifiers apply to Reflector sources',
      annotations: {
        [`${R}reflection-allowed`]: 'true',
        [`${N}copy-labels`]: 'all',
        [`${N}on-source-delete`]: 'orphan',
      },
      expect: (p) => {
        assert.equal(p.spec?.copyLabels.include, 'all');
        assert.equal(p.spec?.onSourceDelete, 'orphan');
      },
    },
    {
      name: 'a native modifier without targeting is an error',
      annotations: { [`${N}paused`]: 'true' },
      expect: (p) => assert.equal(p.findings[0]?.annotation, `${N}paused`),
    },
    {
      name: 'an empty native target list is an error, never all namespaces',
      annotations: { [`${N}to`]: ' , ' },
      expect: (p) => {
        assert.equal(p.spec, undefined);
        assert.match(p.findings[0]?.message ?? '', /names no namespaces/);
      },
    },
    {
      name: 'native entries are names, globs, regexes, all and exclusions',
      annotations: { [`${N}to`]: 'team-a, team-*, regex:^app-[0-9]{1,3}$, !team-legacy' },
      expect: (p) => {
        assert.deepEqual(
          p.spec?.push?.patterns.map((x) => x.kind),
          ['exact', 'glob', 'regex'],
        );
        assert.deepEqual(
          p.spec?.push?.exclusions.map((x) => x.text),
          ['team-legacy'],
        );
      },
    },
    {
      name: 'a native entry that is no name, glob or regex is an error',
      annotations: { [`${N}to`]: 'Team_A' },
      expect: (p) => assert.match(p.findings[0]?.message ?? '', /entry "Team_A"/),
    },
    {
      name: 'max-targets must be a positive whole number',
      annotations: { [`${N}to`]: 'all', [`${N}max-targets`]: '-3' },
      expect: (p) => assert.equal(p.findings[0]?.annotation, `${N}max-targets`),
    },
    {
      name: 'once-version implies once',
      annotations: { [`${N}to`]: 'all', [`${N}once-version`]: 'v2' },
      expect: (p) => assert.deepEqual(p.spec?.once, { version: 'v2' }),
    },
    {
      name: 'a Reflector reflects annotation makes a pull mirror',
      annotations: { [`${R}reflects`]: 'platform/db' },
      expect: (p) =>
        assert.deepEqual(
          [p.pull?.from, p.pull?.dialect, p.isSource],
          [{ namespace: 'platform', name: 'db' }, 'reflector', false],
        ),
    },
    {
      name: 'a reflects value that is not namespace/name is an error',
      annotations: { [`${R}reflects`]: 'db' },
      expect: (p) => assert.equal(p.findings[0]?.reason, 'InvalidAnnotation'),
    },
    {
      name: 'an object cannot pull from itself',
      annotations: { [`${N}from`]: 'platform/src' },
      expect: (p) => assert.match(p.findings[0]?.message ?? '', /cannot reflect itself/),
    },
    {
      name: 'an auto mirror made by Reflector is recognised as a pushed mirror to adopt',
      annotations: { [`${R}reflects`]: 'platform/db', [`${R}auto-reflects`]: 'True' },
      expect: (p) => assert.deepEqual([p.pushedBy, p.pull], [{ sourceKey: 'platform/db', by: 'reflector' }, undefined]),
    },
    {
      name: 'our own mirror is recognised by its label and source annotation',
      annotations: { [`${N}source`]: 'platform/db', [`${N}content-hash`]: 'sha256:0' },
      labels: { [`${N}mirror`]: 'true' },
      expect: (p) => assert.deepEqual(p.pushedBy, { sourceKey: 'platform/db', by: 'kube-reflect' }),
    },
  ];
  for (const c of cases) it(c.name, () => c.expect(parseObject(obj(c.annotations, c.labels))));
});
