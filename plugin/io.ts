// The process edges a command may touch, passed in so tests can run commands in-process and capture their output.
import type { Session } from './session.ts';
import type { GlobalOptions } from './options.ts';

/** A writable stream with the TTY facts kubectl-style output depends on. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Streams, environment and the way to reach a cluster. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Connects to the cluster; tests swap in a session over a fixed world. */
  openSession(options: GlobalOptions, extraKinds?: readonly string[]): Promise<Session>;
  /** The path of the running executable, for `completion install`. */
  selfPath?: string;
}

/** Returns true when colour may be written to a stream (a terminal, and NO_COLOR unset). */
export function useColor(io: Io, stream: OutStream): boolean {
  return stream.isTTY === true && (io.env.NO_COLOR ?? '') === '' && io.env.TERM !== 'dumb';
}
