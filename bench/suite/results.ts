// The shapes of one benchmark run's results, as written to bench/results/latest.json and read by the report.

/** Fan-out of one source to `namespaces` namespaces (milliseconds). */
export interface FanoutResult {
  namespaces: number;
  ours: { create: number; update: number };
  floor: { create: number; update: number };
  /** The controller's RSS 5 s after the update converged. */
  rssMiB: number;
  /** Its RSS 30 s after, once V8's memory reducer has returned the burst's pages (1,000 namespaces only). */
  settledRssMiB?: number;
  /**
   * CPU seconds of the create + update: the controller's, the floor's writer's (the bench process, with the watch that
   * times both) and that watch's alone while ours ran; the plane's (etcd + kube-apiserver) in each.
   */
  cpu?: { controller: number; floorWriter: number; watcher: number; plane: number; floorPlane: number };
  /** Each round's milliseconds, when it ran more than one (the figures above are their medians). */
  rounds?: Array<{ ours: { create: number; update: number }; floor: { create: number; update: number } }>;
}

/** New-namespace latency with `sources` sources (milliseconds, over `rounds` namespaces). */
export interface NewNamespaceResult {
  sources: number;
  rounds: number;
  ours: { p50: number; p99: number };
  floor: { p50: number; p99: number };
}

/** A restart of a converged controller: what it sent in the settle window (from the audit log). */
export interface RestartResult {
  mirrors: number;
  settleSeconds: number;
  writes: number;
  requests: number;
  /** LISTs and WATCHes: what the informers need, the floor of a restart. */
  informerRequests: number;
  byVerb: Record<string, number>;
}

/** Memory, CPU and API load with many unrelated Secrets and a fan-out of 1,000. */
export interface ScaleResult {
  unrelated: number;
  mirrors: number;
  idleSeconds: number;
  idleRssMiB: number;
  peakRssMiB: number;
  rss60sMiB: number;
  steadyRssMiB: number;
  heapUsedMiB: number;
  startCpuSeconds: number;
  idleCpuSeconds: number;
  idleRequestsPerMinute: number;
  rssOverTime: Array<{ t: number; rssMiB: number }>;
}

/** One whole run. */
export interface BenchRun {
  date: string;
  commit: string;
  quick: boolean;
  machine: { cores: number; loadBefore: number; loadAfter: number };
  concurrency: { best: number; rates: Record<number, number> };
  fanout: FanoutResult[];
  newNamespace?: NewNamespaceResult;
  restart?: RestartResult;
  scale?: ScaleResult;
}
