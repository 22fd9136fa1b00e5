// Golden tests: each krm-function/testdata/<case>/ holds input.yaml (a ResourceList, or with legacy-config.yaml a
// kustomize plugin stream) and expected.yaml (the exact output) and/or errors.txt (one regex per line, each must match
// stderr or a result message; its presence means a non-zero exit). UPDATE_GOLDEN=1 writes expected.yaml; without it, a
// case whose output has no expected.yaml fails (a new case never passes by comparing its output with itself).
// Every case with an expected.yaml must also be a fixed point: the function run on its own output changes nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Outcome } from './protocol.ts';
import { runFunction } from './protocol.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const update = process.env.UPDATE_GOLDEN === '1';

function run(dir: string, stdin: string): Outcome {
  const legacy = join(dir, 'legacy-config.yaml');
  const args = existsSync(legacy) ? [legacy] : [];
  const readFile = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  return runFunction({ args, stdin, readFile });
}

function messagesOf(outcome: Outcome): string {
  const results = (parse(outcome.stdout || '{}', { version: '1.1' }) as { results?: { message: string }[] } | null)
    ?.results;
  return [outcome.stderr, ...(results ?? []).map((r) => r.message)].join('\n');
}

describe('reflect-fn golden cases', () => {
  for (const name of readdirSync(testdata).sort()) {
    const dir = join(testdata, name);
    const expectedFile = join(dir, 'expected.yaml');
    const errorsFile = join(dir, 'errors.txt');
    it(name, () => {
      const outcome = run(dir, readFileSync(join(dir, 'input.yaml'), 'utf8'));
      const wantsErrors = existsSync(errorsFile);
      if (wantsErrors) {
        assert.notEqual(outcome.code, 0, `expected a non-zero exit; stderr: ${outcome.stderr}`);
        const text = messagesOf(outcome);
        for (const line of readFileSync(errorsFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')) {
          assert.match(text, new RegExp(line), `no message matches /${line}/ in:\n${text}`);
        }
      } else {
        assert.equal(outcome.code, 0, `expected exit 0; stderr: ${outcome.stderr}`);
      }
      if (update && (outcome.stdout !== '' || existsSync(expectedFile))) writeFileSync(expectedFile, outcome.stdout);
      if (!existsSync(expectedFile)) {
        assert.equal(outcome.stdout, '', `${expectedFile} is missing; run with UPDATE_GOLDEN=1 to write it`);
        assert.ok(wantsErrors, `${name} has neither expected.yaml nor errors.txt`);
        return;
      }
      const expected = readFileSync(expectedFile, 'utf8');
      assert.equal(outcome.stdout, expected);
      const again = run(dir, expected);
      assert.equal(again.stdout, expected, 'running the function on its own output changed it');
      assert.equal(again.code, outcome.code);
    });
  }
});
