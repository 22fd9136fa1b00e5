/**
 * Which protocol reflect-fn is spoken to in, and the whole run as text in, text out: the KRM protocol (a
 * ResourceList on stdin, from kpt and standalone kustomize) or kustomize's legacy exec plugin protocol (the config
 * file as the first argument and a YAML stream on stdin, from `kubectl kustomize --enable-alpha-plugins`).
 */
import { reflectResourceList } from './reflect-resource-list.ts';
import type { KrmResult } from './resource-list.ts';
import { InputError, parseInput, readResourceListText, readStream, singleKind, writeStream } from './resource-list.ts';
import { USAGE } from './usage.ts';

/** How reflect-fn was invoked; `readFile` returns undefined when the path is not a readable file. */
export interface Invocation {
  args: readonly string[];
  stdin: string;
  readFile: (path: string) => string | undefined;
}

/** What to write and the exit status: 0 done, 1 an error result, 2 unreadable input. */
export interface Outcome {
  stdout: string;
  stderr: string;
  code: 0 | 1 | 2;
}

/** Runs reflect-fn over its input in whichever protocol the input speaks. */
export function runFunction(inv: Invocation): Outcome {
  const [first] = inv.args;
  if (first === '--help' || first === '-h' || first === 'help') return { stdout: USAGE, stderr: '', code: 0 };
  try {
    const rl = readResourceListText(inv.stdin);
    if (rl !== undefined) {
      const out = reflectResourceList({ items: rl.items, functionConfig: rl.functionConfig, paths: true });
      // kustomize shows a failing function's stderr but never its results; kpt shows both.
      const stderr = out.failed ? describeResults(out.results.filter((r) => r.severity === 'error')) : '';
      return { stdout: rl.write(out.items, out.results), stderr, code: out.failed ? 1 : 0 };
    }
    const input = parseInput(inv.stdin);
    const kind = singleKind(input);
    if (first === undefined) {
      const got = kind === undefined ? `${input.docs.length} documents` : `kind ${kind}`;
      throw new InputError(`stdin is not a ResourceList (got ${got}); see reflect-fn --help`);
    }
    const configText = inv.readFile(first);
    if (configText === undefined) throw new InputError(`${first} is not a readable file; see reflect-fn --help`);
    const config = parseInput(configText, first).docs[0]?.toJS({ maxAliasCount: -1 }) as unknown;
    const out = reflectResourceList({ items: readStream(input), functionConfig: config, paths: false });
    return { stdout: writeStream(input, out.items), stderr: describeResults(out.results), code: out.failed ? 1 : 0 };
  } catch (err) {
    if (err instanceof InputError) return { stdout: '', stderr: `reflect-fn: ${err.message}\n`, code: 2 };
    throw err;
  }
}

/** Returns results as lines for stderr, for the legacy protocol, which has no place for them in its output. */
export function describeResults(results: readonly KrmResult[]): string {
  return results
    .map((r) => {
      const field = r.field === undefined ? '' : ` (${r.field.path})`;
      return `reflect-fn: ${r.severity}: ${r.message}${field}\n`;
    })
    .join('');
}
