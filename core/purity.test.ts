import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const coreDir = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

const forbidden: [RegExp, string][] = [
  [
    /from ['"](node:)?(fs|fs\/promises|net|http|https|http2|child_process|os|dns|tls|crypto|worker_threads|process)['"]/,
    'a Node I/O module',
  ],
  [/from ['"]@kubernetes\//, 'the Kubernetes client'],
  [/from ['"](ink|ink-[^'"]+|react|yargs)['"]/, 'UI or CLI code'],
  [/from ['"]\.\.\/(kube|plugin|controller|krm-function)\//, 'an adapter'],
  [/\bprocess\./, 'process state'],
  [/Date\.now\(|new Date\(\)|performance\.now\(/, 'the clock'],
  [/Math\.random\(/, 'randomness'],
  [/\b(setTimeout|setInterval|fetch)\(/, 'timers or I/O'],
];

describe('core purity', () => {
  it('core/ imports nothing that does I/O and reads no clock or randomness', () => {
    const offences: string[] = [];
    for (const file of sources(coreDir)) {
      const text = readFileSync(file, 'utf8');
      for (const [pattern, what] of forbidden) if (pattern.test(text)) offences.push(`${file} uses ${what}`);
    }
    assert.deepEqual(offences, []);
  });
});
