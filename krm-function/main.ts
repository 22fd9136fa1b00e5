/** Entry point of reflect-fn: reads stdin, writes stdout and stderr, sets the exit status. Nothing else. */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from './krm-types.ts';
import { runFunction } from './protocol.ts';
import { USAGE } from './usage.ts';
import { decodeUtf8 } from './yaml-text.ts';

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
  const outcome = runFunction({ args, stdin: await readText(), readFile });
  if (outcome.stderr !== '') process.stderr.write(outcome.stderr);
  writeInPieces(outcome.stdout);
  return outcome.code;
}

/** Stdin as text when it is valid UTF-8 (the bytes are dropped then: a big package is not held twice), else bytes. */
async function readText(): Promise<Uint8Array | string> {
  const bytes = await readStdin();
  try {
    return decodeUtf8(bytes, 'stdin');
  } catch (err) {
    if (err instanceof InputError) return bytes; // runFunction reports it
    throw err;
  }
}

// Stdout is synchronous for files and pipes on Linux: a piece at a time, the output is never held as bytes whole.
const PIECE = 1 << 20;

function writeInPieces(text: string): void {
  for (let at = 0; at < text.length; at += PIECE) process.stdout.write(text.slice(at, at + PIECE));
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
