#!/usr/bin/env node
// Bundles each executable entry into one self-contained ESM file under dist/bin/ (all dependencies inlined).
// Usage: node scripts/build.mjs [name...]   (default: every entry). Add a surface by adding a row to ENTRIES.
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every executable we ship: its name in dist/bin and its entry file. */
export const ENTRIES = [
  // A short batch run on one core's worth of work: --single-threaded keeps V8's GC and compiler threads out (their
  // CPU bought a 10,000-object package no wall time), and a 1 MiB young generation is scavenged while it is still
  // in cache. bench/krm, 10,000 objects: 0.99 -> 0.64 s CPU and 122 -> 85 MiB peak RSS (mean of 6, load ~4); 100,000
  // objects as JSON 3.1 -> 2.3 s CPU and no slower. The benchmark's identity function runs with the same flags.
  { name: 'reflect-fn', entry: 'krm-function/main.ts', nodeFlags: ['--single-threaded', '--max-semi-space-size=1'] },
  // Ink loads react-devtools-core only when DEV=true; it is not installed, so a stub stands in for it.
  {
    name: 'kubectl-reflect',
    entry: 'plugin/main.ts',
    options: {
      alias: { 'react-devtools-core': join(root, 'plugin/tui/devtools-stub.ts') },
      define: { 'process.env.NODE_ENV': '"production"' },
    },
  },
  { name: 'kubectl_complete-reflect', entry: 'plugin/complete-main.ts' },
  // A 1 MiB young generation: bursts (a fan-out's renders and responses) no longer leave 16 MiB semi-spaces committed;
  // bench/run.ts's scale scenario measured 121 -> 108 MiB peak and 121 -> 81 MiB steady RSS, CPU unchanged.
  // --optimize-for-size grows the old generation in smaller steps, so the garbage of a burst (list pages, a fan-out's
  // requests) is collected before the heap doubles; --no-opt leaves TurboFan out: its compiled code, zones and the
  // pages of the node binary it runs from. Against a fake apiserver (docs/operations.md, Memory): 20,000 Secrets
  // peak 114 -> 79 MiB, steady 112 -> 71; a 3,000-mirror fan-out 125 -> 72 MiB, about 20 % more CPU for it, the same
  // time. The controller's hot work is I/O and JSON.parse (native), so optimised JavaScript bought it little.
  //
  // lazyClientNode: client-node (exec plugins and auth providers only) goes to a file of its own beside the bundle,
  // imported the first time a kubeconfig user needs it. V8 keeps the source text of every script it loads, so inlined
  // it held 1.2 of the bundle's 2.0 MB in every controller's heap, used or not. Real control plane, 20,000 Secrets +
  // 1,000 mirrors (bench/controller/real-peak.ts, same runs): peak 81.4, 81.7, 82.2 -> 78.9, 78.7, 78.4 MiB.
  {
    name: 'reflect-controller',
    entry: 'controller/main.ts',
    nodeFlags: ['--max-semi-space-size=1', '--optimize-for-size', '--no-opt'],
    lazyClientNode: true,
  },
];

/** The file beside a bundle that holds kube/client-node-auth.ts when the entry has lazyClientNode. */
export const CLIENT_NODE_AUTH_FILE = 'client-node-auth.mjs';

// credentials.ts imports kube/client-node-auth.ts dynamically; with lazyClientNode that import is left to run time and
// names the file built beside the bundle (resolved against the bundle's own URL, wherever it is installed).
const lazyClientNodeAuth = {
  name: 'lazy-client-node-auth',
  setup(b) {
    b.onResolve({ filter: /^\.\/client-node-auth\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./${CLIENT_NODE_AUTH_FILE}`, external: true } : undefined,
    );
  },
};

// Some CommonJS dependencies call require() for Node built-ins; an ESM bundle has no require unless we make one.
// Node flags an entry needs ride on the shebang (`env -S`), so the bundle runs the same however it is started.
const banner = (nodeFlags = []) =>
  [
    nodeFlags.length === 0 ? '#!/usr/bin/env node' : `#!/usr/bin/env -S node ${nodeFlags.join(' ')}`,
    "import { createRequire as __krCreateRequire } from 'node:module';",
    'const require = __krCreateRequire(import.meta.url);',
  ].join('\n');

// client-node re-exports its whole generated API from one index and does not declare itself free of side effects, so
// esbuild keeps all of it. We use its KubeConfig only: marking the package side-effect free lets the rest be dropped,
// which makes the bundles smaller and every process start faster and smaller.
const treeShakeClientNode = {
  name: 'tree-shake-client-node',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const inside = args.importer.includes('/node_modules/@kubernetes/client-node/');
      if (!inside && !args.path.startsWith('@kubernetes/client-node')) return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (r.errors.length > 0 || r.external || !r.path.includes('/node_modules/@kubernetes/client-node/')) return r;
      return { path: r.path, sideEffects: false };
    });
  },
};

/**
 * Bundles one entry file into an executable ESM file; returns the output path. With lazyClientNode, also writes
 * kube/client-node-auth.ts as CLIENT_NODE_AUTH_FILE beside it (the bundle imports it from there when needed).
 */
export async function bundle(entry, outfile, options = {}, nodeFlags = [], lazyClientNode = false) {
  if (lazyClientNode)
    await bundle('kube/client-node-auth.ts', join(dirname(outfile), CLIENT_NODE_AUTH_FILE), {}, [], false);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner(nodeFlags) },
    legalComments: 'none',
    sourcemap: false,
    // Whitespace and comments only (names stay readable in stack traces): V8 keeps every script's source in the heap,
    // and one non-Latin-1 character in a dependency's comment made the whole 2 MB bundle a two-byte string, 4 MB.
    // Idle controller: large-object space 4.1 -> 1.6 MiB, RSS 62 -> 59.5 MiB against a fake apiserver.
    minifyWhitespace: true,
    logLevel: 'warning',
    plugins: lazyClientNode ? [treeShakeClientNode, lazyClientNodeAuth] : [treeShakeClientNode],
    ...options,
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

/** Builds the named entries (all when none is named) into dist/bin; returns their paths. */
export async function buildAll(names = []) {
  const unknown = names.filter((n) => !ENTRIES.some((e) => e.name === n));
  if (unknown.length > 0)
    throw new Error(`unknown entry ${unknown.join(', ')}; known: ${ENTRIES.map((e) => e.name).join(', ')}`);
  const chosen = ENTRIES.filter(
    (e) => (names.length === 0 || names.includes(e.name)) && existsSync(join(root, e.entry)),
  );
  const out = [];
  for (const e of chosen)
    out.push(await bundle(e.entry, join(root, 'dist', 'bin', e.name), e.options, e.nodeFlags, e.lazyClientNode));
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildAll(process.argv.slice(2));
  for (const p of built) console.log(`built ${p}`);
}
