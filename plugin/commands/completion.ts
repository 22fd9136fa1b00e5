// `kubectl reflect completion [install]` and the `__complete` requests kubectl_complete-reflect forwards.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clusterLookup } from '../completion-lookup.ts';
import { complete, completionShim, formatCompletion } from '../completion.ts';
import type { Io } from '../io.ts';

const HOW = `Completion for \`kubectl reflect <TAB>\` works with kubectl 1.26 or newer, in every shell kubectl completes in.
kubectl runs an executable named kubectl_complete-reflect from your PATH. To install it next to kubectl-reflect:

  kubectl reflect completion install

or put it elsewhere on your PATH with --dir DIR. krew does not install it (kubernetes-sigs/krew#812).
`;

/** Runs a completion request, prints the setup instructions, or installs the completion executable. */
export async function runCompletion(
  io: Io,
  action: string | undefined,
  dir: string | undefined,
  words: readonly string[] = [],
): Promise<number> {
  if (action === '__complete') {
    io.stdout.write(formatCompletion(await complete(words, clusterLookup(words))));
    return 0;
  }
  if (action !== 'install') {
    io.stdout.write(HOW);
    return 0;
  }
  const self = io.selfPath;
  if (self === undefined) throw new Error('cannot tell where kubectl-reflect is; pass --dir');
  const target = join(dir ?? dirname(self), 'kubectl_complete-reflect');
  if (!existsSync(dirname(target))) throw new Error(`directory ${dirname(target)} does not exist`);
  writeFileSync(target, completionShim(self), { mode: 0o755 });
  io.stdout.write(`wrote ${target}\n`);
  return 0;
}
