/** Entry point of kubectl-reflect: wires the process to the CLI and sets the exit status. Nothing else. */
import { realpathSync } from 'node:fs';
import { runCli } from './cli.ts';
import { openSession } from './session.ts';

// A compiled binary runs as itself; a bundle runs as node with the script in argv[1].
const self =
  process.argv[1] !== undefined && !process.argv[1].startsWith('/$bunfs') ? process.argv[1] : process.execPath;

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  openSession,
  selfPath: realpathSync(self),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`kubectl reflect: unexpected failure (a bug; please report it): ${detail}\n`);
    process.exitCode = 2;
  },
);
