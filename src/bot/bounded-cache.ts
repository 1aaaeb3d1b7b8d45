/**
 * A least-recently-used cache bounded by an estimate of the memory its entries hold, not by their
 * count: keys come from user text, and one long key can weigh as much as thousands of short ones.
 * When full it forgets the least recently used entries one by one (nearly: see `get`), never
 * everything at once.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; cost: number; tick: number }>();
  private used = 0;
  /** Counts insertions and moves: how recently an entry reached the newest end of the order. */
  private clock = 0;

  /**
   * @param maxCost the budget, in the same unit as `costOf` (roughly bytes).
   * @param costOf what one entry costs; by default its key's and the value's UTF-16 size plus a
   *   fixed overhead for the map slot.
   */
  constructor(
    private readonly maxCost: number,
    private readonly costOf: (key: string, value: V) => number = (key, value) => 2 * key.length + (typeof value === 'string' ? 2 * value.length : 64) + 48,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The memory estimate currently held. */
  get cost(): number {
    return this.used;
  }

  get(key: string): V | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    // Re-inserting moves the entry to the newest end of the map's order. An entry already in the
    // newer half stays where it is: it is not next to go, and the words of every question (hit
    // on every lookup) are not moved on every lookup.
    if (this.clock - found.tick > this.entries.size >> 1) {
      this.entries.delete(key);
      found.tick = ++this.clock;
      this.entries.set(key, found);
    }
    return found.value;
  }

  set(key: string, value: V): void {
    const cost = this.costOf(key, value);
    const old = this.entries.get(key);
    if (old) {
      this.used -= old.cost;
      this.entries.delete(key);
    }
    if (cost > this.maxCost) return; // never worth evicting everything for one entry
    this.entries.set(key, { value, cost, tick: ++this.clock });
    this.used += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxCost) break;
      this.entries.delete(oldest);
      this.used -= entry.cost;
    }
  }
}
