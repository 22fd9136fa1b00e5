// The command line of `kubectl reflect`: kubectl's flags, the subcommands, and exit codes; commands run after parsing.
import yargs from 'yargs';
import pkg from '../package.json' with { type: 'json' };
import type { Argv } from 'yargs';
import { runExplain } from './commands/explain.ts';
import { runRender } from './commands/render.ts';
import { runStatus } from './commands/status.ts';
import { runSyncStatus } from './commands/sync-status.ts';
import { runSync } from './commands/sync.ts';
import { runCompletion } from './commands/completion.ts';
import { runMigrate } from './commands/migrate.ts';
import { MIGRATE_FROM } from '../core/index.ts';
import type { MigrateFrom } from '../core/index.ts';
import { CONNECTION_FLAGS, connectionOptionsOf } from '../kube/connection.ts';
import type { ConnectionFlag } from '../kube/connection.ts';
import type { Io } from './io.ts';
import type { GlobalOptions } from './options.ts';

/** The plugin's version: package.json's, inlined by the bundler. */
export const VERSION: string = pkg.version;

type Parsed = Record<string, unknown>;

/** The flags that take a value, with their short forms: given with none, they are an error, as kubectl's are. */
const VALUE_FLAGS: Readonly<Record<string, string>> = {
  kubeconfig: '',
  context: '',
  namespace: 'n',
  output: 'o',
  selector: 'l',
  'request-timeout': '',
  kinds: '',
  within: '',
  'exclude-namespaces': '',
  'push-source-namespaces': '',
  'access-kind-source-namespaces': '',
};

function globalOptions(a: Parsed): GlobalOptions {
  for (const [flag, short] of Object.entries(VALUE_FLAGS))
    if (a[flag] === '') throw new Error(`flag needs an argument: --${flag}${short === '' ? '' : ` (-${short})`}`);
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  const list = (k: string) =>
    str(k)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const o: GlobalOptions = {
    ...connectionOptionsOf(a),
    allNamespaces: a['all-namespaces'] === true,
    noHeaders: a['no-headers'] === true,
    kinds: list('kinds') ?? ['secrets', 'configmaps'],
  };
  if (a['allow-all'] === true) o.allowAll = true;
  if (a['ignore-unknown'] === true) o.ignoreUnknown = true;
  for (const [key, flag] of [
    ['namespace', 'namespace'],
    ['output', 'output'],
    ['selector', 'selector'],
  ] as const) {
    const v = str(flag);
    if (v !== undefined) o[key] = v;
  }
  for (const [key, flag] of [
    ['within', 'within'],
    ['excludeNamespaces', 'exclude-namespaces'],
    ['pushSourceNamespaces', 'push-source-namespaces'],
    ['accessKindSourceNamespaces', 'access-kind-source-namespaces'],
  ] as const) {
    const v = list(flag);
    if (v !== undefined) o[key] = v;
  }
  return o;
}

/** A connection flag as a global yargs option, described as the controller describes it. */
function connectionFlag(flag: ConnectionFlag): { type: 'string'; describe: string; global: true } {
  return { type: 'string', describe: CONNECTION_FLAGS[flag].describe, global: true };
}

/** Builds the yargs parser; `chosen` receives the command to run once parsing succeeds. */
function parser(argv: readonly string[], io: Io, choose: (run: () => Promise<number>) => void): Argv {
  return yargs([...argv])
    .scriptName('kubectl reflect')
    .usage(
      '$0 <command> [flags]\n\nShow, explain and sync kube-reflect mirrors of Secrets, ConfigMaps and other namespaced objects.',
    )
    .parserConfiguration({
      'boolean-negation': false,
      'camel-case-expansion': false,
      // kubectl (pflag) keeps the last of a repeated flag.
      'duplicate-arguments-array': false,
    })
    .option('kubeconfig', connectionFlag('kubeconfig'))
    .option('context', connectionFlag('context'))
    .option('namespace', {
      alias: 'n',
      type: 'string',
      describe: "The namespace (default: the context's)",
      global: true,
    })
    .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'Sources in all namespaces', global: true })
    .option('output', { alias: 'o', type: 'string', describe: 'Output format: wide, json, yaml or name', global: true })
    .option('selector', {
      alias: 'l',
      type: 'string',
      describe: 'Label selector on sources (e.g. team=a)',
      global: true,
    })
    .option('request-timeout', connectionFlag('request-timeout'))
    .option('no-headers', { type: 'boolean', describe: 'Print tables without headers', global: true })
    .option('kinds', { type: 'string', describe: 'Kinds to read (default secrets,configmaps)', global: true })
    .option('within', {
      type: 'string',
      describe: 'Act as if only these namespaces existed (comma list), like a controller limited to them',
      global: true,
    })
    .option('exclude-namespaces', {
      type: 'string',
      describe: "Namespaces never written (comma list): the controller's --exclude-namespaces",
      global: true,
    })
    .option('push-source-namespaces', {
      type: 'string',
      describe: "Only sources in these namespaces may push (comma list): the controller's policy",
      global: true,
    })
    .option('access-kind-source-namespaces', {
      type: 'string',
      describe:
        "Namespaces whose Roles, RoleBindings, ServiceAccounts and workloads may be mirrored: the controller's policy",
      global: true,
    })
    .option('allow-all', {
      type: 'boolean',
      describe: "k8s-replicator and mittwald pulls may copy any source, annotated or not: the controller's --allow-all",
      global: true,
    })
    .option('ignore-unknown', {
      type: 'boolean',
      describe: "Unknown k8s-replicator/ annotations are no error: the controller's --ignore-unknown",
      global: true,
    })
    .command(
      'status [source]',
      'Show each source, its target namespaces and the state of every mirror (live in a terminal); with ' +
        '--sync-resource, the objects cross-cluster sync keeps with a remote cluster',
      (y) =>
        syncStatusOptions(
          y.positional('source', { type: 'string', describe: '[kind/]name of a source (kind defaults to secret)' }),
          false,
        ),
      (a) =>
        choose(() => {
          if (a['sync-resource'] === undefined) return runStatus(io, globalOptions(a), a.source as string | undefined);
          if (typeof a.source === 'string') throw new Error('status --sync-resource takes no source argument');
          if (typeof a['remote-kubeconfig'] !== 'string')
            throw new Error('status --sync-resource needs --remote-kubeconfig (the remote cluster is read too)');
          return runSyncStatus(io, globalOptions(a), syncStatusFlags(a));
        }),
    )
    .command(
      'sync-status',
      'Show cross-cluster pairs with a remote cluster: phase, generations, pause, last upload, pending writes, errors',
      (y) => syncStatusOptions(y, true),
      (a) => choose(() => runSyncStatus(io, globalOptions(a), syncStatusFlags(a))),
    )
    .command(
      'explain <object>',
      'Explain, namespace by namespace, why a source is or is not mirrored there (a mirror: through its source)',
      (y) =>
        y.positional('object', { type: 'string', describe: '[kind/]name of a source or a mirror', demandOption: true }),
      (a) => choose(() => runExplain(io, globalOptions(a), a.object as string)),
    )
    .command(
      'sync [source]',
      'Plan and write mirrors now, as the controller would (no controller needed)',
      (y) =>
        y
          .positional('source', {
            type: 'string',
            describe: '[kind/]name of a source; omit for every source in the namespace',
          })
          .option('dry-run', { type: 'boolean', describe: 'Print the plan as a diff and change nothing' }),
      (a) => choose(() => runSync(io, globalOptions(a), a.source as string | undefined, a['dry-run'] === true)),
    )
    .command(
      'migrate',
      'Rewrite Reflector and peer annotations into the native dialect, proving each object plans the same mirrors',
      (y) =>
        y
          .option('from', { type: 'string', choices: [...MIGRATE_FROM], describe: 'Migrate only this dialect' })
          .option('filename', {
            alias: 'f',
            type: 'string',
            array: true,
            describe:
              'Manifest files or directories to rewrite in place (comments and layout kept) instead of the cluster',
          })
          .option('dry-run', { type: 'boolean', describe: 'Print the diff and change nothing' }),
      (a) =>
        choose(() =>
          runMigrate(io, globalOptions(a), {
            ...(typeof a.from === 'string' ? { from: a.from as MigrateFrom } : {}),
            files: ((a.filename as string[] | undefined) ?? []).map(String),
            dryRun: a['dry-run'] === true,
          }),
        ),
    )
    .command(
      'render [dir]',
      'Run the KRM function over the YAML files of a directory, or stdin ("-"), and print the result',
      (y) => y.positional('dir', { type: 'string', describe: 'a directory, a file, or - for stdin' }),
      (a) => choose(() => runRender(io, a.dir as string | undefined)),
    )
    .command(
      'completion [action]',
      'Shell completion for kubectl reflect: print how to set it up, or "install" it next to kubectl-reflect',
      (y) =>
        y
          .positional('action', { type: 'string', choices: ['install'] })
          .option('dir', { type: 'string', describe: 'Where install writes kubectl_complete-reflect' }),
      (a) => choose(() => runCompletion(io, a.action as string | undefined, a.dir as string | undefined)),
    )
    .command(
      '__complete',
      false,
      (y) => y.strict(false),
      (a) => choose(() => runCompletion(io, '__complete', undefined, (a._ as string[]).slice(1).map(String))),
    )
    .example('$0 status -A', 'every source in every namespace')
    .example('$0 explain secret/db -n platform', 'why db is or is not mirrored to each namespace')
    .example('$0 sync -n platform --dry-run', 'what a sync would change, as a diff')
    .example('$0 migrate -A --dry-run', 'what moving every object to the native dialect would change')
    .demandCommand(1, 'say which command to run')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(120, io.stdout.columns ?? 100));
}

/** Runs the plugin with these arguments; returns the exit code. Never throws for user errors. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  // cobra's completion request arrives before anything yargs could reject.
  if (argv[0] === '__complete') return runCompletion(io, '__complete', undefined, argv.slice(1));
  let run: (() => Promise<number>) | undefined;
  let failure: string | undefined;
  let printed = '';
  await withoutHelpCache(parser(argv, io, (r) => (run = r)))
    .exitProcess(false)
    .fail((msg, err) => {
      failure = msg ?? err?.message ?? 'invalid arguments';
    })
    .parseAsync([...argv], {}, (_err, _argv, output) => {
      printed = output;
    });
  if (failure !== undefined) {
    io.stderr.write(`error: ${failure}\nSee 'kubectl reflect --help' for usage.\n`);
    return 1;
  }
  if (run === undefined) {
    if (printed !== '') io.stdout.write(`${printed}\n`);
    return 0;
  }
  try {
    return await run();
  } catch (err) {
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** yargs' usage object, as far as withoutHelpCache needs it (an internal of yargs 18; absent, nothing changes). */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * Stops yargs rendering the whole help text after a command's handler (to show it, should the handler fail later):
 * our handlers only pick the command, which runs after parsing, so that text was never shown, and rendering it
 * (string-width over every line) took ~50 ms of every command's start, before the first request.
 */
function withoutHelpCache(y: Argv): Argv {
  const usage = (y as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
  return y;
}

/** The cross-cluster flags of status and sync-status: the controller's, read-only. */
function syncStatusOptions<T>(y: Argv<T>, required: boolean): Argv<T> {
  return y
    .option('remote-kubeconfig', {
      type: 'string',
      ...(required ? { demandOption: true } : {}),
      describe: 'kubeconfig of the remote cluster (cross-cluster sync)',
    })
    .option('sync-resource', {
      type: 'string',
      ...(required ? { demandOption: true } : {}),
      describe: 'GROUP/VERSION/RESOURCE (v1/RESOURCE) synced with the remote cluster',
    })
    .option('remote-resource-suffix', { type: 'string' })
    .option('local-namespace-suffix', { type: 'string' })
    .option('namespace-prefix', { type: 'string' })
    .option('remote-namespaces', { type: 'string', describe: 'read only these remote namespaces (comma list)' })
    .option('local-secret-names', { type: 'string' })
    .option('teleport-annotations', { type: 'boolean' }) as unknown as Argv<T>;
}

function syncStatusFlags(a: Parsed): Parameters<typeof runSyncStatus>[2] {
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  const pick = <K extends string>(key: K, flag: string) => {
    const v = str(flag);
    return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
  };
  return {
    remoteKubeconfig: str('remote-kubeconfig') ?? '',
    syncResource: str('sync-resource') ?? '',
    ...pick('remoteResourceSuffix', 'remote-resource-suffix'),
    ...pick('localNamespaceSuffix', 'local-namespace-suffix'),
    ...pick('namespacePrefix', 'namespace-prefix'),
    ...pick('remoteNamespaces', 'remote-namespaces'),
    ...pick('localSecretNames', 'local-secret-names'),
    teleportAnnotations: a['teleport-annotations'] === true,
  };
}
