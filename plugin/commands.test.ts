import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOver } from './testdata/harness.ts';
import { parseSourceArg } from './source-ref.ts';
import { describeWrite } from './sync.ts';
import { goldenWorld } from './testdata/world.ts';
import type { ReadWorld } from './read-world.ts';
import type { KubeObject, World } from '../core/index.ts';
import { configMap, namespace, pushTo, secret } from '../test/fixtures.ts';
import { formatTable } from './table.ts';

describe('arguments', () => {
  it('reads SOURCE as [kind/]name with kubectl’s kind spellings', () => {
    assert.deepEqual(parseSourceArg('db'), { kind: 'secret', name: 'db' });
    assert.deepEqual(parseSourceArg('secret/db'), { kind: 'secret', name: 'db' });
    // The kind stays as typed: discovery resolves it, as it does --kinds.
    assert.deepEqual(parseSourceArg('cm/x'), { kind: 'cm', name: 'x' });
    assert.deepEqual(parseSourceArg('netpol/x'), { kind: 'netpol', name: 'x' });
    assert.throws(() => parseSourceArg('a/b/c'), /is not \[kind\/\]name/);
    assert.throws(() => parseSourceArg('secret/'), /is not \[kind\/\]name/);
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

describe('a user who may read one namespace only', () => {
  const R = 'reflector.v1.k8s.emberstack.com/';
  // What such a user reads of the golden world: team-a's objects (mirrors of platform's sources among them), and a
  // source with a pull mirror of its own.
  const limited = (): ReadWorld => {
    const g = goldenWorld();
    return {
      namespaces: [{ name: 'team-a', labels: {} }],
      objects: [
        ...g.objects.filter((o) => o.metadata.namespace === 'team-a'),
        configMap('team-a', 'conf', { k: 'v' }, { annotations: { [`${R}reflection-allowed`]: 'true' }, uid: 'u-c' }),
        configMap('team-a', 'conf-copy', {}, { annotations: { [`${R}reflects`]: 'team-a/conf' }, uid: 'u-cc' }),
      ],
      limitedTo: ['team-a'],
      unread: ['cluster-wide lists (Forbidden)'],
    };
  };

  it('syncs its own namespace, never touches mirrors whose sources it cannot see, and says what it could not read', async () => {
    for (const args of [
      ['sync', '-n', 'team-a'],
      ['sync', '-A', '-n', 'team-a'],
    ]) {
      const out = await runOver(limited(), [...args, '--dry-run']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /^warning: read only namespace team-a: you may not read cluster-wide lists/);
      assert.deepEqual(
        out.stdout.split('\n').filter((l) => / \(dry run\)$/.test(l)),
        ['configmap/team-a/conf-copy filled (dry run)'],
      );
    }
  });

  it('shows the sources it can read, and explains a mirror whose source it cannot read without calling it orphaned', async () => {
    const status = await runOver(limited(), ['status', '-A', '-o', 'name']);
    assert.equal(status.stdout, 'configmap/conf\n');
    const explained = await runOver(limited(), ['explain', 'db', '-n', 'team-a']);
    assert.equal(explained.code, 0);
    assert.match(explained.stdout, /Its source is in a namespace you may not read/);
    assert.doesNotMatch(explained.stdout, /orphaned/);
  });
});

describe('naming a source as kubectl does, through discovery', () => {
  const netpol = (namespace: string, name: string, annotations: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, annotations, uid: `u-${namespace}-${name}` },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  // A NetworkPolicy and a Secret share the name x: naming the kind must pick exactly one of them.
  const world = (): World => ({
    namespaces: [namespace('platform'), namespace('team-a')],
    objects: [
      netpol('platform', 'x', { 'kube-reflect.io/to': 'team-a' }),
      secret('platform', 'x', { k: 'v' }, pushTo('team-a')),
    ],
  });
  const kinds = '--kinds=secrets,networkpolicies.networking.k8s.io';

  for (const spelling of [
    'networkpolicies/x',
    'netpol/x',
    'networkpolicy/x',
    'NetworkPolicy/x',
    'networkpolicies.networking.k8s.io/x',
  ]) {
    it(`sync ${spelling} plans the NetworkPolicy's mirror, and only it`, async () => {
      const out = await runOver(world(), ['sync', spelling, kinds, '--dry-run']);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(
        out.stdout.split('\n').filter((l) => l.endsWith('(dry run)')),
        ['networkpolicy.networking.k8s.io/team-a/x created (dry run)'],
      );
    });
  }

  it('explain netpol/x explains the NetworkPolicy; status netpol/x shows it', async () => {
    const explained = await runOver(world(), ['explain', 'netpol/x', kinds]);
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /^NetworkPolicy platform\/x: It pushes mirrors named x/);
    const status = await runOver(world(), ['status', 'netpol/x', kinds, '-o', 'name']);
    assert.equal(status.stdout, 'networkpolicy.networking.k8s.io/x\n');
  });

  it('refuses a kind discovery does not know, and a source of the right name but another kind', async () => {
    const unknown = await runOver(world(), ['sync', 'widgets/x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: kind "widgets" is not served by this cluster/);
    const other = await runOver(world(), ['sync', 'cm/x', kinds]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^error: cm "x" not found in namespace "platform"/);
  });
});

describe("the controller's exclusions and policies", () => {
  it('sync --exclude-namespaces writes nothing there, and status and explain count it as no target', async () => {
    const out = await runOver(goldenWorld(), ['sync', '-A', '--exclude-namespaces=team-b,apps', '--dry-run']);
    const writes = out.stdout.split('\n').filter((l) => l.endsWith('(dry run)'));
    assert.ok(writes.length > 0);
    assert.deepEqual(
      writes.filter((l) => /\/(team-b|apps)\//.test(l)),
      [],
    );
    const all = await runOver(goldenWorld(), ['sync', '-A', '--dry-run']);
    assert.ok(all.stdout.split('\n').some((l) => /\/team-b\/.*\(dry run\)$/.test(l)));
    const explained = await runOver(goldenWorld(), ['explain', 'db', '--exclude-namespaces=team-b']);
    assert.match(explained.stdout, /^team-b +no /m);
  });

  it('sync --push-source-namespaces refuses to push from elsewhere, as the controller would', async () => {
    const out = await runOver(goldenWorld(), ['sync', 'db', '--push-source-namespaces=infra', '--dry-run']);
    assert.equal(out.code, 1);
    assert.doesNotMatch(out.stdout, /created|updated|reverted/);
    assert.match(out.stderr, /PushSourceNotAllowed/);
  });
});
