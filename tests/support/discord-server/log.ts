interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** An append-only record that tests can await: a wait is satisfied by past or future entries. */
export class WaitableLog<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  constructor(private readonly describe: (item: T) => string) {}

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      if (waiter.match(item)) {
        this.settle(waiter);
        waiter.resolve(item);
      }
    }
  }

  waitFor(match: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. ${this.recent()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Fails pending waits at once, so closing the server never leaves a test hanging. */
  rejectAll(reason: string): void {
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error(`${reason}. ${this.recent()}`));
    }
  }

  private settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }

  private recent(): string {
    if (this.items.length === 0) return 'Nothing was recorded.';
    const lines = this.items.slice(-15).map((item) => `  ${this.describe(item)}`);
    return `Last ${lines.length} of ${this.items.length} recorded:\n${lines.join('\n')}`;
  }
}
