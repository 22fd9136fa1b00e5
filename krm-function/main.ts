/** Entry point of reflect-fn: reads stdin, writes stdout and stderr, sets the exit status. Nothing else. */
import { readFileSync, statSync } from 'node:fs';
import { runFunctionPiecewise } from './protocol.ts';
import { readText, writePieces } from './stdio.ts';
import { USAGE } from './usage.ts';

function readFile(path: string): Uint8Array | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

// A reader that stops early (`reflect-fn < list.yaml | head`) is no failure of ours: stop quietly, as the plugin does.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 && process.stdin.isTTY) {
    process.stderr.write(USAGE);
    return 2;
  }
  // Text when stdin is valid UTF-8, else its bytes, which the protocol refuses saying where.
  const outcome = runFunctionPiecewise({ args, stdin: await readText(process.stdin), readFile });
  if (outcome.stderr !== '') process.stderr.write(outcome.stderr);
  writePieces(outcome.stdout, (bytes) => process.stdout.write(bytes));
  return outcome.code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`reflect-fn: unexpected failure (a bug; please report it): ${detail}\n`);
    process.exitCode = 2;
  },
);
