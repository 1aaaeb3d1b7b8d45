import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/bot/bounded-cache.ts';

/** Each entry costs 1, so the budget is a count and the arithmetic is plain. */
const unitCache = (budget: number) => new BoundedCache<number>(budget, () => 1);

describe('BoundedCache', () => {
  it('never holds more than its budget, and forgets a little at a time', () => {
    const cache = unitCache(100);
    for (let i = 0; i < 1000; i++) {
      cache.set(`k${i}`, i);
      expect(cache.cost).toBeLessThanOrEqual(100);
    }
    expect(cache.size).toBe(100);
    // The newest entries are all there: filling up evicted one entry per insertion, not everything.
    for (let i = 900; i < 1000; i++) expect(cache.get(`k${i}`)).toBe(i);
  });

  it('keeps an entry that is used while older ones go', () => {
    const cache = unitCache(10);
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    // k0 is the oldest; using it now moves it away from the end that is evicted.
    expect(cache.get('k0')).toBe(0);
    for (let i = 10; i < 15; i++) cache.set(`k${i}`, i);
    expect(cache.get('k0')).toBe(0);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k5')).toBeUndefined();
    expect(cache.get('k6')).toBe(6);
  });

  it('keeps an entry used on every lookup through any number of others', () => {
    const cache = unitCache(50);
    cache.set('common', -1);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`rare${i}`, i);
      expect(cache.get('common')).toBe(-1);
    }
  });

  it('counts cost by size, and does not store an entry bigger than the whole budget', () => {
    const cache = new BoundedCache<string>(1000);
    cache.set('short', 'x');
    cache.set('huge', 'y'.repeat(10_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('short')).toBe('x');
    expect(cache.cost).toBeLessThanOrEqual(1000);
  });
});
