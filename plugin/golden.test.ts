// Golden files: each testdata/<case>/args runs through the CLI over the golden world; UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CONFIGMAPS, SECRETS } from '../kube/resource-type.ts';
import type { World } from '../core/index.ts';
import { runCli } from './cli.ts';
import type { Io } from './io.ts';
import type { Session } from './session.ts';
import { goldenWorld } from './testdata/world.ts';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, 'testdata');

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

describe('golden command output', () => {
  const cases = readdirSync(testdata).filter((d) => existsSync(join(testdata, d, 'args')));
  for (const c of cases.sort()) {
    it(c, async () => {
      const dir = join(testdata, c);
      const args = readFileSync(join(dir, 'args'), 'utf8')
        .trim()
        .split(/\s+/)
        .map((a) => a.replace('$DIR', dir));
      const stdinFile = join(dir, 'stdin.yaml');
      const out = await runOver(
        goldenWorld(),
        args,
        existsSync(stdinFile) ? { stdin: readFileSync(stdinFile, 'utf8') } : {},
      );
      const text = `exit: ${out.code}\n--- stdout\n${out.stdout}--- stderr\n${out.stderr}`.replaceAll(dir, '$DIR');
      const file = join(dir, 'expected.txt');
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'));
    });
  }
});
