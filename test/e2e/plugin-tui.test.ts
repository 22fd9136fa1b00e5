// The live status screen in a real terminal (tmux): rows appear, keys move and act, and the screen follows the cluster.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import { adminClient, createObjects, ensureNamespaces } from './support/controller-harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'dist', 'bin');
const socket = `kr-e2e-${process.pid}`;
const session = 'status';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

/** Sends keys one at a time, as a person types: a terminal delivers keys sent together as one chunk. */
async function press(...keys: string[]): Promise<void> {
  for (const key of keys) {
    tmux('send-keys', '-t', session, key);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Polls the screen until it matches; fails with the last screen after the deadline. */
async function waitFor(re: RegExp, ms = 15_000): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = screen();
    } catch {
      last = '(no tmux session)';
    }
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`screen never matched ${re}:\n${last}`);
}

function selectedRow(text: string): string {
  return text.split('\n').find((l) => l.startsWith('›')) ?? '';
}

const p = `tui${process.pid % 10000}`;
const ns = { src: `${p}-src`, a: `${p}-a`, b: `${p}-b` };
const secret = (namespace: string, name: string, to: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace, annotations: { 'kube-reflect.io/to': to } },
  data: { k: Buffer.from(name).toString('base64') },
});

describe(
  'kubectl reflect status in a terminal',
  { skip: spawnSync('tmux', ['-V']).status !== 0 ? 'tmux is not installed' : false },
  () => {
    let client: KubeClient;
    before(async () => {
      const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'kubectl-reflect'], {
        encoding: 'utf8',
      });
      assert.equal(built.status, 0, built.stderr);
      const kubeconfig = (await useTestControlPlane()).kubeconfigPath;
      client = await adminClient();
      await ensureNamespaces(
        client,
        Object.values(ns).map((name) => ({ name, labels: {} })),
      );
      await createObjects(client, [secret(ns.src, 'alpha', `${ns.a},${ns.b}`), secret(ns.src, 'beta', ns.a)]);
      const command = `env PATH=${bin}:${process.env.PATH ?? ''} KUBECONFIG=${kubeconfig} TERM=xterm-256color kubectl reflect status -n ${ns.src} --within=${Object.values(ns).join(',')}`;
      tmux('new-session', '-d', '-s', session, '-x', '110', '-y', '30', command);
    });
    after(async () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      for (const name of Object.values(ns)) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
      client.close();
    });

    it('shows every source with its counts, the first one selected', async () => {
      // The namespace's sources may show first with dots where their counts will be: wait for the counts.
      const text = await waitFor(/secret\/beta\s+\d/);
      assert.match(text, /NAMESPACE\s+NAME\s+MIRRORS\s+IN-SYNC\s+DETAILS\s+STATUS/);
      assert.match(selectedRow(text), new RegExp(`${ns.src}\\s+secret/alpha\\s+2\\s+0\\s+2 missing\\s+OutOfSync`));
      assert.match(text, new RegExp(`${ns.src}\\s+secret/beta\\s+1\\s+0\\s+1 missing\\s+OutOfSync`));
      // The frame painted before Ink loaded was drawn over in place, not left above Ink's.
      const count = (re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;
      assert.equal(count(/^kubectl reflect status · /), 1, text);
      assert.equal(count(/NAMESPACE\s+NAME/), 1, text);
      assert.equal(count(/secret\/alpha/), 1, text);
      assert.ok(text.startsWith('kubectl reflect status · '), text);
    });

    it('moves the selection with j and expands a source with enter', async () => {
      await press('j');
      await waitFor(/^›.*secret\/beta/m);
      await press('k', 'Enter');
      const text = await waitFor(new RegExp(`→ ${ns.b}\\s+alpha\\s+push\\s+missing`));
      assert.match(text, new RegExp(`→ ${ns.a}\\s+alpha\\s+push\\s+missing`));
    });

    it('syncs the selected source with s, and the screen follows the new mirrors', async () => {
      await press('s');
      await waitFor(/synced .*alpha: 2 writes/);
      const text = await waitFor(new RegExp(`secret/alpha\\s+2\\s+2\\s+-\\s+InSync`));
      assert.match(text, new RegExp(`→ ${ns.a}\\s+alpha\\s+push\\s+in-sync`));
    });

    it('shows a source created meanwhile, and the explanation with e', async () => {
      await createObjects(client, [secret(ns.src, 'gamma', ns.b)]);
      await waitFor(/secret\/gamma\s+1\s+0\s+1 missing/);
      await press('e');
      const text = await waitFor(/It pushes mirrors named alpha/);
      assert.match(text, new RegExp(`${ns.b}\\s+yes\\s+in-sync`));
    });

    it('filters with / and quits with q', async () => {
      await press('Escape', '/', 'g', 'a', 'm', 'Enter');
      const text = await waitFor(/filter \(gam\)/);
      assert.doesNotMatch(text, /secret\/beta/);
      await press('q');
      const deadline = Date.now() + 5000;
      while (spawnSync('tmux', ['-L', socket, 'has-session', '-t', session]).status === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.notEqual(
        spawnSync('tmux', ['-L', socket, 'has-session', '-t', session]).status,
        0,
        'the screen did not quit',
      );
    });
  },
);
