// The narrow ports through which reconcile, the write path and the informers reach a cluster (controller-runtime's
// client.Reader / client.Writer): KubeClient implements them over HTTP, kube/test-support/memory-cluster.ts in memory.
import type { KubeClient } from './client.ts';

/** Reads objects: one by name, a list (with the resourceVersion to watch from), and a watch from there. */
export type ClusterReader = Pick<KubeClient, 'get' | 'list' | 'watch'>;

/** Writes objects: server-side apply, create, conditional delete, and JSON patch. */
export type ClusterWriter = Pick<KubeClient, 'apply' | 'create' | 'delete' | 'jsonPatch'>;
