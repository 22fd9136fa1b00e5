// Plans the live screen's worlds in slices between paints: the first world's rows appear as the core decides them, a
// later world's replace the shown ones once all are decided, and a world that changes meanwhile is planned next.
import type { World } from '../../core/index.ts';
import type { SourceStatus, StatusRows } from '../status-report.ts';

/** The rows to show: all of the last planned world, or the first `sources.length` of `total` while it is planned. */
export interface PlannedRows {
  sources: SourceStatus[];
  /** How many sources the world being planned may show. */
  total: number;
  /** False while the first world is still being planned (sources is then a prefix of its rows, each final). */
  done: boolean;
}

/** How long one slice of planning may hold the event loop before a paint and keys get their turn. */
export const SLICE_MS = 30;

/** How RowPlanner slices its work (tests pass a clock that counts rows). */
export interface SliceOptions {
  /** Default SLICE_MS. */
  sliceMs?: number;
  /** Default performance.now. */
  now?: () => number;
}

/** Plans each world it is given, one at a time, in slices of SLICE_MS, reporting rows through onRows. */
export class RowPlanner {
  private next: World | undefined;
  private running = false;
  private shown = false;
  private stopped = false;
  private immediate: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly plan: (world: World) => StatusRows,
    private readonly onRows: (rows: PlannedRows) => void,
    private readonly slicing: SliceOptions = {},
  ) {}

  /** Plans this world after the one being planned (a world given meanwhile replaces it). */
  set(world: World): void {
    this.next = world;
    if (!this.running) this.run();
  }

  /** Stops planning; nothing more is reported. */
  stop(): void {
    this.stopped = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
  }

  private run(): void {
    const world = this.next;
    this.next = undefined;
    if (world === undefined || this.stopped) {
      this.running = false;
      return;
    }
    this.running = true;
    const { refs, rows } = this.plan(world);
    const progressive = !this.shown;
    const got: SourceStatus[] = [];
    const step = () => {
      this.immediate = undefined;
      if (this.stopped) return;
      const now = this.slicing.now ?? (() => performance.now());
      const until = now() + (this.slicing.sliceMs ?? SLICE_MS);
      let done = false;
      for (;;) {
        const r = rows.next();
        if (r.done === true) {
          done = true;
          break;
        }
        got.push(r.value);
        if (now() >= until) break;
      }
      if (done || progressive) this.onRows({ sources: [...got], total: refs.length, done });
      if (!done) {
        this.immediate = setImmediate(step);
        return;
      }
      this.shown = true;
      this.run();
    };
    step();
  }
}
