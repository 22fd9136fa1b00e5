// The flags that say which cluster to talk to and how, shared by kubectl reflect and reflect-controller so both
// spell, document and apply them the same way (kubectl's names and meanings).
import { loadKubeConfig } from './config.ts';
import type { LoadedKubeConfig, LoadKubeConfigOptions } from './config.ts';

/** Each connection flag: what --help says, and the placeholder for its value. */
export const CONNECTION_FLAGS = {
  kubeconfig: { value: 'PATH', describe: 'Path to the kubeconfig file to use' },
  context: { value: 'NAME', describe: 'The name of the kubeconfig context to use' },
  'request-timeout': { value: 'DURATION', describe: 'Wait this long for each API request (e.g. 30s; 0 waits forever)' },
} as const;

/** A connection flag's name. */
export type ConnectionFlag = keyof typeof CONNECTION_FLAGS;

/** The connection flags, as given on the command line. */
export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
  /** --request-timeout: "0" (none), "30s", "1m", "500ms", or plain seconds. */
  requestTimeout?: string;
}

/** Picks the connection flags out of parsed flag values (yargs' or node:util parseArgs'); empty means not given. */
export function connectionOptionsOf(values: Readonly<Record<string, unknown>>): ConnectionOptions {
  const str = (flag: ConnectionFlag): string | undefined => {
    const v = values[flag];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const kubeconfig = str('kubeconfig');
  const context = str('context');
  const requestTimeout = str('request-timeout');
  return {
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    ...(requestTimeout === undefined ? {} : { requestTimeout }),
  };
}

/** Parses kubectl's --request-timeout ("0", "10s", "1m", "500ms", or seconds) into milliseconds; undefined keeps the default. */
export function parseRequestTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid --request-timeout "${text}": use a number with a unit, such as 30s or 1m`);
  const n = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  // kubectl's 0 means no timeout; a day stands in for "none" for non-watch requests.
  return n === 0 ? 86_400_000 : n;
}

/** Loads the kubeconfig the flags name (else KUBECONFIG, ~/.kube/config, in-cluster) with their request timeout. */
export function loadConnection(
  options: ConnectionOptions,
  defaults: Pick<LoadKubeConfigOptions, 'requestTimeoutMs'> = {},
): LoadedKubeConfig {
  const requestTimeoutMs = parseRequestTimeout(options.requestTimeout) ?? defaults.requestTimeoutMs;
  return loadKubeConfig({
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  });
}

/** The flags' lines for a hand-written --help text, the description starting at column `at`. */
export function connectionUsage(at: number): string {
  return Object.entries(CONNECTION_FLAGS)
    .map(([flag, f]) => `  --${flag} ${f.value}`.padEnd(at) + f.describe)
    .join('\n');
}
