// The flags every command shares, in kubectl's spelling, and the controller's policy flags a manual sync honours.
import type { PlanOptions } from '../core/index.ts';
import type { ConnectionOptions } from '../kube/connection.ts';

/** kubectl's global flags plus ours, after parsing; the connection flags are the controller's too. */
export interface GlobalOptions extends ConnectionOptions {
  /** -n; undefined means the context's namespace. */
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  /** -l: a label selector on sources. */
  selector?: string;
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
