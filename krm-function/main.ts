/** Entry point of reflect-fn: reads stdin, writes stdout and stderr, sets the exit status. Nothing else. */
import { readFileSync, statSync } from 'node:fs';
import { runFunction } from './protocol.ts';
import { USAGE } from './usage.ts';

function readFile(path: string): Uint8Array | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Decoded by the protocol, which refuses invalid UTF-8 instead of replacing it.
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 && process.stdin.isTTY) {
    process.stderr.write(USAGE);
    return 2;
  }
  const outcome = runFunction({ args, stdin: await readStdin(), readFile });
  if (outcome.stderr !== '') process.stderr.write(outcome.stderr);
  if (outcome.stdout !== '') process.stdout.write(outcome.stdout);
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
