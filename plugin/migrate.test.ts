import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configMap, world } from '../test/fixtures.ts';
import { patchOf } from './commands/migrate.ts';
import { runOver } from './testdata/harness.ts';
import { migrateObject } from '../core/index.ts';

const MANIFEST = `# shared settings
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings # keep this comment
  namespace: src
  annotations:
    kubed.appscode.com/sync: "env=prod"
data: {a: "1"}
---
# untouched
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: src}
data: {b: "2"}
`;

describe('kubectl reflect migrate', () => {
  it('rewrites manifest files in place, keeping comments and every untouched byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    const file = join(dir, 'settings.yaml');
    writeFileSync(file, MANIFEST);
    const dry = await runOver(world([], []), ['migrate', '-f', file, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /\+ {4}kube-reflect\.io\/to-selector: env=prod/);
    assert.equal(readFileSync(file, 'utf8'), MANIFEST);
    const run = await runOver(world([], []), ['migrate', '-f', file]);
    assert.equal(run.code, 0, run.stderr);
    const after = readFileSync(file, 'utf8');
    assert.ok(after.includes('# keep this comment') && after.startsWith('# shared settings\n'));
    assert.ok(
      after.endsWith(
        '---\n# untouched\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: src}\ndata: {b: "2"}\n',
      ),
    );
    assert.doesNotMatch(after, /kubed\.appscode\.com/);
    const again = await runOver(world([], []), ['migrate', '-f', file]);
    assert.match(again.stdout, /^0 migrated, 0 refused/);
  });

  it('names the file, the document and the line of a repeated key, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    const file = join(dir, 'settings.yaml');
    const text = `${MANIFEST}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice, namespace: src}\ndata:\n  a: "1"\n  a: "2"\n`;
    writeFileSync(file, text);
    const run = await runOver(world([], []), ['migrate', '-f', file]);
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      new RegExp(`${file} is not valid YAML \\(document 3\\): .*Map keys must be unique at line 22, column 3`),
    );
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('refuses with the reason and exit code 1 what the native dialect cannot say', async () => {
    const src = configMap('platform', 'cfg', {}, { annotations: { 'k8s-replicator/replicate-to': 'one,two' } });
    const out = await runOver(world(['platform'], [src]), ['migrate', '--dry-run']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /refused ConfigMap platform\/cfg \(k8s-replicator\): .*several names/);
  });

  it('patches each object once, conditional on its resourceVersion', () => {
    const src = configMap('src', 'cfg', {}, { annotations: { 'kubed.appscode.com/sync': '', keep: 'x' } });
    src.metadata.resourceVersion = '42';
    const result = migrateObject(src, world(['src', 'a'], [src]));
    assert.equal(result.status, 'migrated');
    if (result.status !== 'migrated') return;
    assert.deepEqual(patchOf(src, result), [
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'remove', path: '/metadata/annotations/kubed.appscode.com~1sync' },
      { op: 'add', path: '/metadata/annotations/kube-reflect.io~1to', value: 'all' },
      { op: 'add', path: '/metadata/annotations/kube-reflect.io~1copy-labels', value: 'all' },
      { op: 'add', path: '/metadata/annotations/kube-reflect.io~1copy-annotations', value: 'all' },
    ]);
  });
});
