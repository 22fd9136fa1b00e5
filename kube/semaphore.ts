// Bounding concurrent requests so a burst of reconciles cannot open hundreds of sockets to the apiserver.

/** A counting semaphore whose waiters are served in arrival order. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];

  /** Creates a semaphore with `limit` permits (Infinity or ≤ 0 means unbounded). */
  constructor(limit: number) {
    this.available = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  }

  /** Waits for a permit and returns the function that gives it back (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      // Hand the permit straight to the next waiter so it cannot be stolen by a newcomer.
      if (next) next();
      else this.available++;
    };
  }
}
