/**
 * The replies the bot is busy with, so a shutdown can let them finish instead of cutting a user
 * off mid-answer. Work is tracked once it has started; whether new work may start is the caller's
 * decision (see `startBot`).
 */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();

  get size(): number {
    return this.pending.size;
  }

  /** Tracks `work` until it settles. Its failures are the caller's to handle; here they only end the tracking. */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Waits until nothing is in flight or `timeoutMs` has passed; resolves to how many are still pending. */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      // Loops because work may start while earlier work is being waited for.
      while (this.pending.size > 0) {
        const outcome = await Promise.race([Promise.all(this.pending), timedOut]);
        if (outcome === 'timeout') break;
      }
    } finally {
      clearTimeout(timer);
    }
    return this.pending.size;
  }
}
