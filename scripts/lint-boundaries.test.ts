import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** The messages ESLint gives for `code` as if it were the file at `filePath`. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('import boundaries (npm run check)', () => {
  it('refuses an adapter importing another adapter’s internals', async () => {
    const plugin = await lint('plugin/x.ts', "export { YAML_OPTIONS } from '../krm-function/yaml-options.ts';\n");
    assert.ok(
      plugin.some((m) => m.includes('only through krm-function/index.ts')),
      plugin.join('\n'),
    );
    const controller = await lint('controller/x.ts', "export { parser } from '../plugin/cli.ts';\n");
    assert.ok(
      controller.some((m) => m.includes('does not import plugin/')),
      controller.join('\n'),
    );
  });

  it('lets the plugin use krm-function’s public entry', async () => {
    assert.deepEqual(await lint('plugin/x.ts', "export { renderPackage } from '../krm-function/index.ts';\n"), []);
  });

  it('keeps API-server clients in kube/ and the test harness out of shipped code', async () => {
    const client = await lint('controller/x.ts', "export { KubeConfig } from '@kubernetes/client-node';\n");
    assert.ok(
      client.some((m) => m.includes('only kube/ talks to an API server')),
      client.join('\n'),
    );
    assert.deepEqual(await lint('kube/x.ts', "export { KubeConfig } from '@kubernetes/client-node';\n"), []);
    const harness = await lint('plugin/x.ts', "export { startControlPlane } from '../test/cluster/harness.ts';\n");
    assert.ok(
      harness.some((m) => m.includes('never imports the test harness')),
      harness.join('\n'),
    );
  });

  it('keeps core pure', async () => {
    const core = await lint('core/x.ts', "export { readFileSync } from 'node:fs';\n");
    assert.ok(
      core.some((m) => m.includes('core/ is pure')),
      core.join('\n'),
    );
  });

  it('refuses `as never` in shipped code, in core and in the adapters, but not in tests', async () => {
    for (const file of ['core/x.ts', 'kube/x.ts', 'plugin/tui/x.ts', 'controller/x.ts', 'krm-function/x.ts']) {
      const messages = await lint(file, 'export const x = 1 as never;\n');
      assert.ok(
        messages.some((m) => m.includes('no `as never`')),
        `${file}: ${messages.join('\n')}`,
      );
    }
    assert.deepEqual(await lint('kube/x.test.ts', 'export const x = 1 as never;\n'), []);
  });
});
