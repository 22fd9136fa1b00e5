// Command-line flags of reflect-controller, in controller-runtime's spelling.
import { parseArgs } from 'node:util';
import type { TransformLimits } from '../core/index.ts';
import { DEFAULT_TRANSFORM_LIMITS, MAX_TARGETS_LIMIT } from '../core/index.ts';
import { CONNECTION_FLAGS, connectionOptionsOf, connectionUsage } from '../kube/connection.ts';
import type { ConnectionOptions } from '../kube/connection.ts';
import { crossClusterOptions } from './cross-cluster/options.ts';
import type { CrossClusterOptions } from './cross-cluster/options.ts';

/** The controller's settings, after flags and environment are read; the connection flags are the plugin's too. */
export interface ControllerOptions extends ConnectionOptions {
  /** Kinds to mirror, or exactly ["auto"]: every namespaced kind discovery finds that the core does not refuse. */
  kinds: string[];
  /** With `--kinds auto`, how often to discover kinds again (new CRDs are picked up, removed ones dropped). */
  discoveryIntervalMs: number;
  healthProbeBindAddress: string;
  metricsBindAddress: string;
  logLevel: LogLevel;
  workers: number;
  maxWritesInFlight: number;
  resyncPeriodMs: number;
  excludeNamespaces: string[];
  /** Only sources in these namespaces may push (undefined: every namespace may). */
  pushSourceNamespaces?: string[];
  /** Namespaces access-granting kinds (RoleBindings, Roles) may be mirrored from; undefined refuses those kinds. */
  accessKindSourceNamespaces?: string[];
  maxTargets?: number;
  /** Limits on each source's transform rules (--transform-max-rules, --transform-max-bytes). */
  transformLimits: TransformLimits;
  /** k8s-replicator's and mittwald's --allow-all: their pulls need no allow annotation on the source. */
  allowAll: boolean;
  /** k8s-replicator's --ignore-unknown: unknown keys under its prefix are no error. */
  ignoreUnknown: boolean;
  shutdownTimeoutMs: number;
  watchdogMs: number;
  /** Namespaced mode: watch and write only these namespaces. */
  namespaces?: string[];
  leaderElect: boolean;
  /** Defaults to the pod's namespace (POD_NAMESPACE or the service account's namespace file). */
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Cross-cluster sync (--remote-kubeconfig), when on. */
  crossCluster?: CrossClusterOptions;
}

/** Log levels, least to most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Usage text for --help. */
export const USAGE = `Usage: reflect-controller [flags]

Keeps mirrors of annotated Secrets, ConfigMaps and other namespaced objects in sync across namespaces.

Flags (the connection flags are kubectl reflect's too; without --kubeconfig: $KUBECONFIG, ~/.kube/config, in-cluster):
${connectionUsage(38)}
  --kinds LIST                        kinds to mirror (default secrets,configmaps); e.g. secrets,ingresses.networking.k8s.io;
                                      or auto: every namespaced kind the cluster serves with get, list, watch, create,
                                      patch and delete, minus denied kinds (and access-granting ones without
                                      --access-kind-source-namespaces); needs RBAC on every kind (docs/install.md)
  --discovery-interval DURATION       with --kinds auto, how often kinds are discovered again (default 5m)
  --health-probe-bind-address ADDR    /healthz and /readyz (default :8081; 0 disables)
  --metrics-bind-address ADDR         Prometheus metrics (default :8080; 0 disables)
  --log-level LEVEL                   error, warn, info or debug (default info)
  --workers N                         sources reconciled at once (default 16)
  --max-writes-in-flight N            API writes in flight (default 32)
  --resync-period DURATION            full resync period, jittered (default 10m)
  --exclude-namespaces LIST           namespaces never written to (default: none)
  --push-source-namespaces LIST       only sources in these namespaces may push (default: every namespace)
  --access-kind-source-namespaces LIST
                                      allow access-granting kinds (Roles, RoleBindings) in --kinds, mirrored only
                                      from these namespaces (default: such kinds are refused); workloads
                                      (Deployments, StatefulSets, DaemonSets) too are mirrored only from these
  --max-targets N                     cap on targets per source (default: none)
  --transform-max-rules N             most transform rules per source (default 50)
  --transform-max-bytes N             most bytes of transform rule text per source (default 10240)
  --allow-all                         k8s-replicator and mittwald pulls may copy any source, annotated or not, as
                                      those tools' own --allow-all (default: the source must allow it)
  --ignore-unknown                    unknown k8s-replicator/ annotations are no error, as k8s-replicator's
                                      --ignore-unknown (default: such an object gets no action and a finding)
  --shutdown-timeout DURATION         time to finish in-flight writes on SIGTERM (default 10s)
  --namespaces LIST                   namespaced mode: watch and write only these namespaces (default: all)
  --leader-elect                      run workers only while holding a Lease; standbys keep caches warm
  --leader-election-namespace NS      namespace of the Lease (default: the pod's namespace)
  --leader-election-id NAME           name of the Lease (default kube-reflect-controller)
  --leader-election-lease-duration D  how long a Lease is valid without renewal (default 15s)
  --leader-election-renew-deadline D  how long the leader retries renewing before it gives up (default 10s)
  --leader-election-retry-period D    time between Lease attempts (default 2s)

Cross-cluster sync (docs/cross-cluster.md): copy objects from a remote (management) cluster, upload status back:
  --remote-kubeconfig PATH            kubeconfig of the remote cluster; turns cross-cluster sync on
  --sync-resource G/V/RESOURCE        a type to sync (repeatable); v1/RESOURCE for the core group
  --remote-resource-suffix S          remote objects must end with S; it is removed locally (default: none)
  --local-namespace-suffix S          the local namespace is the remote one plus S (default: none)
  --namespace-prefix P                only namespaces starting with P are synced (default: all)
  --remote-namespaces LIST            watch only these remote namespaces, each on its own (default: all namespaces)
  --local-secret-names LIST           local Secrets (controlled by the local object) uploaded to existing remote ones
  --local-propagation-policy P        Foreground (default), Background or Orphan, for deleting an owned namespace
  --teleport-annotations              use Teleport sync-controller's cloud.teleport.dev/ names (replace it in place)
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

function atMost(name: string, text: string, max: number): number {
  const n = positive(name, text);
  if (n > max) throw new Error(`--${name} must be at most ${max}, not ${n}`);
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
      ...Object.fromEntries(Object.keys(CONNECTION_FLAGS).map((flag) => [flag, { type: 'string' } as const])),
      kinds: { type: 'string', default: 'secrets,configmaps' },
      'discovery-interval': { type: 'string', default: '5m' },
      'health-probe-bind-address': { type: 'string', default: ':8081' },
      'metrics-bind-address': { type: 'string', default: ':8080' },
      'log-level': { type: 'string', default: 'info' },
      workers: { type: 'string', default: '16' },
      'max-writes-in-flight': { type: 'string', default: '32' },
      'resync-period': { type: 'string', default: '10m' },
      'exclude-namespaces': { type: 'string', default: '' },
      'push-source-namespaces': { type: 'string' },
      'access-kind-source-namespaces': { type: 'string' },
      'max-targets': { type: 'string' },
      'transform-max-rules': { type: 'string', default: String(DEFAULT_TRANSFORM_LIMITS.maxRules) },
      'transform-max-bytes': { type: 'string', default: String(DEFAULT_TRANSFORM_LIMITS.maxBytes) },
      'allow-all': { type: 'boolean', default: false },
      'ignore-unknown': { type: 'boolean', default: false },
      'shutdown-timeout': { type: 'string', default: '10s' },
      'watchdog-timeout': { type: 'string', default: '80s' },
      namespaces: { type: 'string' },
      'leader-elect': { type: 'boolean', default: false },
      'leader-election-namespace': { type: 'string' },
      'leader-election-id': { type: 'string', default: 'kube-reflect-controller' },
      'leader-election-lease-duration': { type: 'string', default: '15s' },
      'leader-election-renew-deadline': { type: 'string', default: '10s' },
      'leader-election-retry-period': { type: 'string', default: '2s' },
      'remote-kubeconfig': { type: 'string' },
      'sync-resource': { type: 'string', multiple: true },
      'remote-resource-suffix': { type: 'string' },
      'local-namespace-suffix': { type: 'string' },
      'namespace-prefix': { type: 'string' },
      'remote-namespaces': { type: 'string' },
      'local-secret-names': { type: 'string' },
      'local-propagation-policy': { type: 'string' },
      'teleport-annotations': { type: 'boolean', default: false },
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
  if (kinds.includes('auto') && kinds.length > 1) throw new Error('--kinds auto cannot be combined with other kinds');
  const out: ControllerOptions = {
    ...connectionOptionsOf(values),
    kinds,
    discoveryIntervalMs: parseDuration(values['discovery-interval'] as string),
    healthProbeBindAddress: values['health-probe-bind-address'] as string,
    metricsBindAddress: values['metrics-bind-address'] as string,
    logLevel: level as LogLevel,
    workers: positive('workers', values.workers as string),
    maxWritesInFlight: positive('max-writes-in-flight', values['max-writes-in-flight'] as string),
    resyncPeriodMs: parseDuration(values['resync-period'] as string),
    excludeNamespaces: list(values['exclude-namespaces']),
    shutdownTimeoutMs: parseDuration(values['shutdown-timeout'] as string),
    watchdogMs: parseDuration(values['watchdog-timeout'] as string),
    leaderElect: values['leader-elect'] === true,
    leaderElectionId: values['leader-election-id'] as string,
    leaseDurationMs: parseDuration(values['leader-election-lease-duration'] as string),
    renewDeadlineMs: parseDuration(values['leader-election-renew-deadline'] as string),
    retryPeriodMs: parseDuration(values['leader-election-retry-period'] as string),
    allowAll: values['allow-all'] === true,
    ignoreUnknown: values['ignore-unknown'] === true,
    transformLimits: {
      maxRules: atMost('transform-max-rules', values['transform-max-rules'] as string, 1000),
      // Kubernetes caps all of an object's annotations together at 256 KiB.
      maxBytes: atMost('transform-max-bytes', values['transform-max-bytes'] as string, 262144),
    },
  };
  if (out.renewDeadlineMs >= out.leaseDurationMs)
    throw new Error('--leader-election-renew-deadline must be shorter than --leader-election-lease-duration');
  if (values.namespaces !== undefined) {
    out.namespaces = list(values.namespaces);
    if (out.namespaces.length === 0) throw new Error('--namespaces must name at least one namespace');
  }
  for (const [flag, key] of [
    ['push-source-namespaces', 'pushSourceNamespaces'],
    ['access-kind-source-namespaces', 'accessKindSourceNamespaces'],
  ] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    // An empty list would read as "no restriction" to a careless eye; refuse it like Reflector's "," (issue: Trust).
    const names = list(text);
    if (names.length === 0) throw new Error(`--${flag} must name at least one namespace`);
    out[key] = names;
  }
  if (values['leader-election-namespace'] !== undefined)
    out.leaderElectionNamespace = values['leader-election-namespace'];
  const crossCluster = crossClusterOptions({
    ...(values['remote-kubeconfig'] !== undefined ? { remoteKubeconfig: values['remote-kubeconfig'] } : {}),
    ...(values['sync-resource'] !== undefined ? { syncResource: values['sync-resource'] } : {}),
    ...(values['remote-resource-suffix'] !== undefined
      ? { remoteResourceSuffix: values['remote-resource-suffix'] }
      : {}),
    ...(values['local-namespace-suffix'] !== undefined
      ? { localNamespaceSuffix: values['local-namespace-suffix'] }
      : {}),
    ...(values['namespace-prefix'] !== undefined ? { namespacePrefix: values['namespace-prefix'] } : {}),
    ...(values['remote-namespaces'] !== undefined ? { remoteNamespaces: values['remote-namespaces'] } : {}),
    ...(values['local-secret-names'] !== undefined ? { localSecretNames: values['local-secret-names'] } : {}),
    ...(values['local-propagation-policy'] !== undefined
      ? { localPropagationPolicy: values['local-propagation-policy'] }
      : {}),
    teleportAnnotations: values['teleport-annotations'] === true,
  });
  if (crossCluster) out.crossCluster = crossCluster;
  if (values['max-targets'] !== undefined)
    out.maxTargets = atMost('max-targets', values['max-targets'], MAX_TARGETS_LIMIT);
  return out;
}
