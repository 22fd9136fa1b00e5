import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOver } from './testdata/harness.ts';
import { parseRequestTimeout } from './options.ts';
import { parseSourceArg } from './source-ref.ts';
import { describeWrite } from './sync.ts';
import { goldenWorld } from './testdata/world.ts';
import { formatTable } from './table.ts';

describe('arguments', () => {
  it('reads SOURCE as [kind/]name with kubectl’s kind spellings', () => {
    assert.deepEqual(parseSourceArg('db'), { kind: 'secret', name: 'db' });
    assert.deepEqual(parseSourceArg('secret/db'), { kind: 'secret', name: 'db' });
    assert.deepEqual(parseSourceArg('cm/x'), { kind: 'configmap', name: 'x' });
    assert.deepEqual(parseSourceArg('ConfigMaps/x'), { kind: 'configmap', name: 'x' });
    assert.throws(() => parseSourceArg('a/b/c'), /is not \[kind\/\]name/);
    assert.throws(() => parseSourceArg('secret/'), /is not \[kind\/\]name/);
  });

  it('reads --request-timeout as kubectl does', () => {
    assert.equal(parseRequestTimeout('30s'), 30_000);
    assert.equal(parseRequestTimeout('1m'), 60_000);
    assert.equal(parseRequestTimeout('5'), 5000);
    assert.equal(parseRequestTimeout('250ms'), 250);
    assert.equal(parseRequestTimeout(undefined), undefined);
    assert.ok((parseRequestTimeout('0') ?? 0) >= 86_400_000);
    assert.throws(() => parseRequestTimeout('soon'), /invalid --request-timeout/);
  });
});

const ESC = '\x1b';

describe('output', () => {
  it('pads columns like kubectl: the widest cell plus three spaces, no trailing blanks', () => {
    assert.equal(
      formatTable(
        ['name', 'state'],
        [
          ['a', 'in-sync'],
          ['long-name', '-'],
        ],
      ),
      'NAME        STATE\na           in-sync\nlong-name   -\n',
    );
    assert.equal(formatTable(['name', 'x'], [['a', '1']], { noHeaders: true }), 'a   1\n');
  });

  it('says what each write did, kubectl style', () => {
    const w = { action: 'apply' as const, object: 'Secret/team-a/db', reason: 'create', outcome: 'done' as const };
    assert.equal(describeWrite(w), 'secret/team-a/db created');
    assert.equal(describeWrite({ ...w, reason: 'drift' }, true), 'secret/team-a/db reverted (dry run)');
    assert.equal(describeWrite({ ...w, action: 'delete', reason: 'source-deleted' }), 'secret/team-a/db deleted');
    assert.equal(
      describeWrite({ ...w, outcome: 'failed', error: '403 Forbidden' }),
      'secret/team-a/db not created: 403 Forbidden',
    );
    assert.equal(
      describeWrite({ ...w, object: 'NetworkPolicy.networking.k8s.io/a/np' }),
      'networkpolicy.networking.k8s.io/a/np created',
    );
  });

  it('colours the dry-run diff only on a terminal without NO_COLOR', async () => {
    const plain = await runOver(goldenWorld(), ['sync', 'tls', '--dry-run']);
    assert.ok(!plain.stdout.includes(ESC));
    const tty = await runOver(goldenWorld(), ['sync', 'tls', '--dry-run'], { tty: true });
    assert.ok(tty.stdout.includes(`${ESC}[31m-  crt: `));
    assert.ok(tty.stdout.includes(`${ESC}[32m+  crt: `));
    const noColor = await runOver(goldenWorld(), ['sync', 'tls', '--dry-run'], { tty: true, env: { NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes(ESC));
  });
});
