/** The shape of bench/results/krm.json: what bench/krm/run.ts measured, for docs/benchmarks.md. */

/** One run of a built executable: wall time, peak RSS and exit status. */
export interface KrmMeasure {
  seconds: number;
  /** User + system CPU seconds, when /usr/bin/time measured them. */
  cpuSeconds?: number;
  rssMiB: number;
  code: number | null;
}

/** reflect-fn against the identity function on one input, and on its own output. */
export interface KrmRatio {
  name: string;
  ours: KrmMeasure;
  identity: KrmMeasure;
  steady: KrmMeasure;
  fixedPoint: boolean;
}

/** reflect-fn on one big package in one encoding. */
export interface KrmScale extends KrmMeasure {
  encoding: 'yaml' | 'json' | 'stream';
  objects: number;
  inMiB: number;
}

/** Everything one run of bench/krm/run.ts measured. */
export interface KrmBench {
  date: string;
  node: string;
  /** The node flags of reflect-fn's shebang, which the identity function ran with too. */
  nodeFlags?: string[];
  /** The 1-minute load average before and after the run (2 cores): wall times mean little when it is high. */
  load?: { before: number; after: number };
  ratio: KrmRatio[];
  scale: KrmScale[];
}
