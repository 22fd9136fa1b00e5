// Golden files: each testdata/<case>/args runs through the CLI over the golden world; UPDATE_GOLDEN=1 writes them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runOver } from './testdata/harness.ts';
import { goldenWorld } from './testdata/world.ts';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, 'testdata');

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
      // kyaml's rule: a missing expected file fails (a new case must be looked at once, then written on purpose).
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to write it, then read it`);
      assert.equal(text, readFileSync(file, 'utf8'));
    });
  }
});
