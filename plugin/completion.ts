// Shell completion in cobra's `__complete` protocol, which kubectl ≥1.26 uses for plugins through kubectl_complete-reflect.

/** The subcommands, as completion offers them. */
export const SUBCOMMANDS = ['status', 'explain', 'sync', 'render', 'completion'] as const;

/** Flags every command takes; those that take a value are listed in VALUE_FLAGS. */
export const GLOBAL_FLAGS = [
  '--kubeconfig',
  '--context',
  '--namespace',
  '-n',
  '--all-namespaces',
  '-A',
  '--output',
  '-o',
  '--selector',
  '-l',
  '--request-timeout',
  '--no-headers',
  '--kinds',
  '--within',
  '--help',
  '-h',
];

/** Flags only some commands take. */
export const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = { sync: ['--dry-run'] };

const VALUE_FLAGS = new Set([
  '--kubeconfig',
  '--context',
  '--namespace',
  '-n',
  '--output',
  '-o',
  '--selector',
  '-l',
  '--request-timeout',
  '--kinds',
  '--within',
]);

/** cobra's directives: 4 = no file completion, 0 = the shell's default. */
export const NO_FILE_COMP = 4;

/** What completion may ask the cluster; each call must be quick and may fail (then nothing is offered). */
export interface CompletionLookup {
  namespaces(): Promise<string[]>;
  contexts(): Promise<string[]>;
  /** Names of sources (and mirrors when asked) in a namespace (undefined: the context's), as `[kind/]name`. */
  objects(namespace: string | undefined, mirrors: boolean): Promise<string[]>;
}

/** Returns candidates for the last word of args, and cobra's directive. */
export async function complete(
  args: readonly string[],
  lookup: CompletionLookup,
): Promise<{ candidates: string[]; directive: number }> {
  const words = args.length === 0 ? [''] : args;
  const partial = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const previous = before[before.length - 1];
  const filter = (all: readonly string[]) => ({
    candidates: all.filter((c) => c.startsWith(partial)),
    directive: NO_FILE_COMP,
  });
  const safely = async (fn: () => Promise<string[]>) => filter(await fn().catch(() => []));
  if (previous === '-n' || previous === '--namespace') return safely(() => lookup.namespaces());
  if (previous === '--context') return safely(() => lookup.contexts());
  if (previous === '-o' || previous === '--output') return filter(['wide', 'json', 'yaml', 'name']);
  if (previous === '--kubeconfig') return { candidates: [], directive: 0 };
  if (previous !== undefined && VALUE_FLAGS.has(previous)) return { candidates: [], directive: NO_FILE_COMP };
  const positionals: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const w = before[i] ?? '';
    if (w === '-n' || w === '--namespace') namespace = before[i + 1];
    if (w.startsWith('--namespace=')) namespace = w.slice('--namespace='.length);
    if (VALUE_FLAGS.has(w)) i++;
    else if (!w.startsWith('-')) positionals.push(w);
  }
  const command = positionals[0];
  if (partial.startsWith('-')) return filter([...GLOBAL_FLAGS, ...(COMMAND_FLAGS[command ?? ''] ?? [])]);
  if (command === undefined) return filter(SUBCOMMANDS);
  if (positionals.length > 1) return { candidates: [], directive: NO_FILE_COMP };
  if (command === 'render') return { candidates: [], directive: 0 };
  if (command === 'completion') return filter(['install']);
  if (command === 'status' || command === 'sync' || command === 'explain') {
    return safely(() => lookup.objects(namespace, command === 'explain'));
  }
  return { candidates: [], directive: NO_FILE_COMP };
}

/** Returns the completion answer as cobra prints it: one candidate per line, then `:directive`. */
export function formatCompletion(result: { candidates: readonly string[]; directive: number }): string {
  return `${[...result.candidates, `:${result.directive}`].join('\n')}\n`;
}

/** The shell script `completion install` writes as kubectl_complete-reflect next to kubectl-reflect. */
export function completionShim(pluginPath: string): string {
  return `#!/bin/sh\n# Written by \`kubectl reflect completion install\`: kubectl (1.26+) runs this for \`kubectl reflect <TAB>\`.\nexec "${pluginPath}" __complete "$@"\n`;
}
