// Running the CLI in-process over a fixed world, for the golden files and the command tests (a module, not a test file,
// so importing it registers no tests).
import { Readable } from 'node:stream';
import type { World } from '../../core/index.ts';
import { CONFIGMAPS, SECRETS } from '../../kube/resource-type.ts';
import { runCli } from '../cli.ts';
import type { Io } from '../io.ts';
import type { Session } from '../session.ts';

/** A session over a fixed world: no cluster; writing fails loudly. */
export function worldSession(world: World, namespace = 'platform'): Session {
  return {
    client: { config: { contextName: 'golden' } } as never,
    namespace,
    types: [SECRETS, CONFIGMAPS],
    readWorld: async () => structuredClone(world),
    typeOf: (o) => (o.kind === 'Secret' ? SECRETS : CONFIGMAPS),
    close: () => undefined,
  };
}

/** Runs the CLI in-process over a world; returns its exit code and output. */
export async function runOver(
  world: World,
  args: string[],
  opts: { tty?: boolean; stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false, columns: 100 },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([opts.stdin ?? '']) as never,
    env: opts.env ?? {},
    openSession: async (o) => worldSession(world, o.namespace ?? 'platform'),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
