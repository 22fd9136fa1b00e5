// Running the built kubectl-reflect through kubectl's plugin lookup, for the plugin's e2e files.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** dist/bin, where the build puts kubectl-reflect and kubectl_complete-reflect. */
export const PLUGIN_BIN = join(root, 'dist', 'bin');

/** Builds kubectl-reflect and kubectl_complete-reflect into dist/bin; fails the caller's hook if the build fails. */
export function buildPlugin(): void {
  const built = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'build.mjs'), 'kubectl-reflect', 'kubectl_complete-reflect'],
    { encoding: 'utf8' },
  );
  assert.equal(built.status, 0, built.stderr);
}

/** Runs `kubectl reflect ...` with dist/bin first on PATH; never throws, returns the exit code and output. */
export async function kubectlReflect(
  kubeconfig: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    PATH: `${PLUGIN_BIN}:${process.env.PATH ?? ''}`,
    KUBECONFIG: kubeconfig,
    NO_COLOR: '1',
  };
  try {
    const { stdout, stderr } = await run('kubectl', ['reflect', ...args], { env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
