// Command-line flags of reflect-controller, in controller-runtime's spelling.
import { parseArgs } from 'node:util';

/** The controller's settings, after flags and environment are read. */
export interface ControllerOptions {
  kubeconfig?: string;
  context?: string;
  kinds: string[];
  healthProbeBindAddress: string;
  metricsBindAddress: string;
  logLevel: LogLevel;
  workers: number;
  maxWritesInFlight: number;
  resyncPeriodMs: number;
  excludeNamespaces: string[];
  maxTargets?: number;
  shutdownTimeoutMs: number;
  watchdogMs: number;
}

/** Log levels, least to most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Usage text for --help. */
export const USAGE = `Usage: reflect-controller [flags]

Keeps mirrors of annotated Secrets, ConfigMaps and other namespaced objects in sync across namespaces.

Flags:
  --kubeconfig PATH                   kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME                      kubeconfig context
  --kinds LIST                        kinds to mirror (default secrets,configmaps); e.g. secrets,ingresses.networking.k8s.io
  --health-probe-bind-address ADDR    /healthz and /readyz (default :8081; 0 disables)
  --metrics-bind-address ADDR         Prometheus metrics (default :8080; 0 disables)
  --log-level LEVEL                   error, warn, info or debug (default info)
  --workers N                         sources reconciled at once (default 4)
  --max-writes-in-flight N            API writes in flight (default 32)
  --resync-period DURATION            full resync period, jittered (default 10m)
  --exclude-namespaces LIST           namespaces never written to (default: none)
  --max-targets N                     cap on targets per source (default: none)
  --shutdown-timeout DURATION         time to finish in-flight writes on SIGTERM (default 10s)
  -h, --help                          show this help
`;

/** Parses a duration like 500ms, 30s, 10m or 1h into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}" (use e.g. 30s, 10m)`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not "${text}"`);
  return n;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parses argv into options; throws an Error with a clear message on bad input. Returns undefined for --help. */
export function parseOptions(argv: readonly string[]): ControllerOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      kinds: { type: 'string', default: 'secrets,configmaps' },
      'health-probe-bind-address': { type: 'string', default: ':8081' },
      'metrics-bind-address': { type: 'string', default: ':8080' },
      'log-level': { type: 'string', default: 'info' },
      workers: { type: 'string', default: '4' },
      'max-writes-in-flight': { type: 'string', default: '32' },
      'resync-period': { type: 'string', default: '10m' },
      'exclude-namespaces': { type: 'string', default: '' },
      'max-targets': { type: 'string' },
      'shutdown-timeout': { type: 'string', default: '10s' },
      'watchdog-timeout': { type: 'string', default: '150s' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const level = values['log-level'] as string;
  if (!['error', 'warn', 'info', 'debug'].includes(level))
    throw new Error(`--log-level must be error, warn, info or debug`);
  const kinds = list(values.kinds);
  if (kinds.length === 0) throw new Error('--kinds must name at least one kind');
  const out: ControllerOptions = {
    kinds,
    healthProbeBindAddress: values['health-probe-bind-address'] as string,
    metricsBindAddress: values['metrics-bind-address'] as string,
    logLevel: level as LogLevel,
    workers: positive('workers', values.workers as string),
    maxWritesInFlight: positive('max-writes-in-flight', values['max-writes-in-flight'] as string),
    resyncPeriodMs: parseDuration(values['resync-period'] as string),
    excludeNamespaces: list(values['exclude-namespaces']),
    shutdownTimeoutMs: parseDuration(values['shutdown-timeout'] as string),
    watchdogMs: parseDuration(values['watchdog-timeout'] as string),
  };
  if (values.kubeconfig !== undefined) out.kubeconfig = values.kubeconfig;
  if (values.context !== undefined) out.context = values.context;
  if (values['max-targets'] !== undefined) out.maxTargets = positive('max-targets', values['max-targets']);
  return out;
}
