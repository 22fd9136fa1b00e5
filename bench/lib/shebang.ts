/** How a shipped executable is started: the node flags on its shebang (`#!/usr/bin/env -S node <flags>`). */
import { readFileSync } from 'node:fs';

/** Returns the node flags a bundle's shebang gives (none for a plain `#!/usr/bin/env node`). */
export function shebangNodeFlags(bin: string): string[] {
  const first = readFileSync(bin, 'utf8').slice(0, 200).split('\n', 1)[0] ?? '';
  return (/^#!.*\bnode\b(.*)$/.exec(first)?.[1] ?? '').split(' ').filter(Boolean);
}
