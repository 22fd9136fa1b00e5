import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { runCli } from './cli.ts';
import type { CompletionLookup } from './completion.ts';
import { complete, formatCompletion } from './completion.ts';

const lookup: CompletionLookup = {
  namespaces: async () => ['default', 'platform', 'team-a', 'team-b'],
  contexts: async () => ['dev', 'prod'],
  objects: async (ns, mirrors) =>
    ns === 'platform' ? ['db', 'configmap/settings', ...(mirrors ? ['db-copy'] : [])] : [],
};
const words = async (...args: string[]) => (await complete(args, lookup)).candidates;

describe('completion', () => {
  it('offers subcommands first, then flags for a dash', async () => {
    assert.deepEqual(await words(''), ['status', 'explain', 'sync', 'render', 'completion']);
    assert.deepEqual(await words('s'), ['status', 'sync']);
    assert.ok((await words('sync', '--d')).includes('--dry-run'));
    assert.ok(!(await words('status', '--d')).includes('--dry-run'));
  });

  it('offers namespaces after -n, contexts after --context and formats after -o', async () => {
    assert.deepEqual(await words('status', '-n', 'team'), ['team-a', 'team-b']);
    assert.deepEqual(await words('status', '--context', ''), ['dev', 'prod']);
    assert.deepEqual(await words('status', '-o', 'y'), ['yaml']);
  });

  it('offers source names from the named namespace, and mirrors too for explain', async () => {
    assert.deepEqual(await words('sync', '-n', 'platform', ''), ['db', 'configmap/settings']);
    assert.deepEqual(await words('explain', '-n', 'platform', 'd'), ['db', 'db-copy']);
  });

  it('prints cobra’s format with a directive, and nothing when the cluster fails', async () => {
    assert.equal(formatCompletion({ candidates: ['a', 'b'], directive: 4 }), 'a\nb\n:4\n');
    const failing: CompletionLookup = { ...lookup, namespaces: () => Promise.reject(new Error('down')) };
    assert.deepEqual(await complete(['status', '-n', ''], failing), { candidates: [], directive: 4 });
  });

  it('completion install writes an executable kubectl_complete-reflect that calls the plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compl-'));
    try {
      let stdout = '';
      const code = await runCli(['completion', 'install', '--dir', dir], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        stdin: Readable.from([]) as never,
        env: {},
        openSession: () => Promise.reject(new Error('no cluster')),
        selfPath: '/opt/bin/kubectl-reflect',
      });
      assert.equal(code, 0);
      const shim = join(dir, 'kubectl_complete-reflect');
      assert.equal(stdout, `wrote ${shim}\n`);
      assert.match(
        readFileSync(shim, 'utf8'),
        /^#!\/bin\/sh\n[^]*exec "\/opt\/bin\/kubectl-reflect" __complete "\$@"\n$/,
      );
      assert.equal(statSync(shim).mode & 0o111, 0o111);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
