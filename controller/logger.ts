// Structured JSON logs, one object a line on stderr, with levels.
import type { LogLevel } from './options.ts';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** A leveled logger writing JSON lines. */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

// JSON.stringify escapes C0 controls but writes DEL, C1 controls (U+0080-U+009F; 0x9B is a CSI to some terminals),
// the line separators and the bidirectional overrides as they are; `kubectl logs` on a terminal would then act on
// text a tenant put in an object or an API server echoed. As \uXXXX escapes they read the same to a JSON parser.
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes, in a JSON text, the characters a terminal may act on that JSON.stringify leaves raw. */
export function escapeForTerminal(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Creates a logger that writes lines at or above `level` to `write` (stderr by default). */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log =
    (at: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (RANK[at] > RANK[level]) return;
      write(`${escapeForTerminal(JSON.stringify({ ts: new Date().toISOString(), level: at, msg, ...fields }))}\n`);
    };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    enabled: (at) => RANK[at] <= RANK[level],
  };
}
