import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { shebangNodeFlags } from './shebang.ts';

describe('shebangNodeFlags', () => {
  it('reads the node flags of an env -S shebang, and none from a plain one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shebang-'));
    try {
      const withFlags = join(dir, 'a');
      writeFileSync(withFlags, '#!/usr/bin/env -S node --single-threaded --max-semi-space-size=1\nconsole.log(1);\n');
      assert.deepEqual(shebangNodeFlags(withFlags), ['--single-threaded', '--max-semi-space-size=1']);
      const plain = join(dir, 'b');
      writeFileSync(plain, '#!/usr/bin/env node\n// node --not-a-flag\n');
      assert.deepEqual(shebangNodeFlags(plain), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
