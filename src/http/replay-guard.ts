/**
 * Signed requests that cannot be replayed: Discord signs the timestamp with the body, so a request
 * whose timestamp is more than 5 minutes off is refused, and within those minutes each interaction
 * id is taken once. Past the window a replay is stale anyway, so ids are kept only that long, and
 * at most `maxIds` of them (the oldest go first).
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Whether a signature timestamp (whole seconds since 1970) is within the allowed skew of now. */
export function isFreshTimestamp(timestamp: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_SECONDS;
}

export class SeenInteractions {
  /** Interaction id → when it may be forgotten; in insertion order, which is expiry order. */
  readonly #expiries = new Map<string, number>();

  constructor(private readonly maxIds = 100_000) {}

  /** True the first time an id is seen within the window; false for a replay. */
  firstTime(id: string, nowMs: number): boolean {
    for (const [seen, expiry] of this.#expiries) {
      if (expiry > nowMs && this.#expiries.size < this.maxIds) break;
      this.#expiries.delete(seen);
    }
    if (this.#expiries.has(id)) return false;
    // Twice the skew: a request may be timestamped up to 5 minutes ahead of this clock.
    this.#expiries.set(id, nowMs + 2 * MAX_CLOCK_SKEW_SECONDS * 1000);
    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }
}
