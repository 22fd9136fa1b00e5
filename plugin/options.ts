// The flags every command shares, in kubectl's spelling, and the controller's policy flags a manual sync honours.
import type { PlanOptions } from '../core/index.ts';

/** kubectl's global flags plus ours, after parsing. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  /** -n; undefined means the context's namespace. */
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  /** -l: a label selector on sources. */
  selector?: string;
  /** --request-timeout: "0" (none), "30s", "1m", or plain seconds. */
  requestTimeout?: string;
  noHeaders: boolean;
  /** --kinds: the kinds to read (default secrets,configmaps). */
  kinds: string[];
  /** --within: act as if only these namespaces existed (as a controller limited to them). */
  within?: string[];
  /** --exclude-namespaces: the controller's namespaces that are never written. */
  excludeNamespaces?: string[];
  /** --push-source-namespaces: the only namespaces whose sources may push (the controller's policy). */
  pushSourceNamespaces?: string[];
  /** --access-kind-source-namespaces: where RBAC and ServiceAccount sources may live (the controller's policy). */
  accessKindSourceNamespaces?: string[];
  /** --allow-all: k8s-replicator and mittwald pulls need no allow annotation (the controller's flag). */
  allowAll?: boolean;
  /** --ignore-unknown: unknown k8s-replicator/ annotations are no error (the controller's flag). */
  ignoreUnknown?: boolean;
}

/** Returns the planner's options for the controller's exclusions and policies given as flags. */
export function planOptionsOf(options: GlobalOptions): PlanOptions {
  return {
    ...(options.excludeNamespaces ? { excludeNamespaces: options.excludeNamespaces } : {}),
    ...(options.pushSourceNamespaces ? { pushSourceNamespaces: options.pushSourceNamespaces } : {}),
    ...(options.accessKindSourceNamespaces ? { accessKindSourceNamespaces: options.accessKindSourceNamespaces } : {}),
    ...(options.allowAll ? { allowAll: true } : {}),
    ...(options.ignoreUnknown ? { ignoreUnknown: true } : {}),
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
