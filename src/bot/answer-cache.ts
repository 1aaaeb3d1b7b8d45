/**
 * Recent answers, by the exact question text: people ask a bot about one article the same few
 * questions over and over ("co to jest BPO?"), and reading a question, answering and rendering the
 * answer costs more than everything else the bot does for a message together. An answer depends
 * only on the text, the language and the knowledge base, so it is kept per knowledge base (a base
 * swapped in at run time starts with an empty cache) and bounded by an estimate of its memory.
 * An answer is kept from the second time its question comes: most questions come once, and keeping
 * every answer only to drop it again would cost more, in memory churned, than it saves.
 */
import { LRUCache } from 'lru-cache';
import type { Answerer } from '../answering/answer.ts';
import { textHash } from '../reader/features.ts';
import type { Answered } from './replies.ts';

/** Room for several hundred answers of a few kilobytes each. */
const ANSWER_CACHE_BYTES = 2 * 1024 * 1024;

const caches = new WeakMap<Answerer, LRUCache<string, Answered>>();
const counts = { hits: 0, misses: 0 };

/**
 * The questions that came once lately, as 32-bit hashes in a fixed table (a slot holds the last
 * question that hashed to it): no memory is kept per question. "Lately" is about the last few
 * thousand questions: one that comes back later, or whose slot another took in between, counts as
 * new once more; two questions sharing a hash get one of them kept a question early.
 */
const SEEN_SLOTS = 4096;
const seenOnce = new Uint32Array(SEEN_SLOTS);

/** Whether `key` came before (and, if not, that it came now). */
function cameBefore(key: string): boolean {
  const hash = textHash(key);
  const slot = hash & (SEEN_SLOTS - 1);
  if (seenOnce[slot] === hash) return true;
  seenOnce[slot] = hash;
  return false;
}

/** Roughly what an answer holds: its rendered message, the question twice, and the objects around them. */
function costOf(key: string, value: Answered): number {
  const message = value.message;
  const rendered = (message.content?.length ?? 0) + textSize(message.embeds) + textSize(message.components);
  return 2 * (2 * key.length + rendered) + 512;
}

/** About the length of a value as JSON (its strings, plus a few characters a property), without writing it out. */
function textSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object' || value === null) return 8;
  let size = 2;
  for (const [name, inner] of Object.entries(value)) size += name.length + 4 + textSize(inner);
  return size;
}

/**
 * The answer to `key` from the cache of `answerer`'s knowledge base, or what `compute` makes of it
 * (then kept, if the question came before). `key` must name everything the answer depends on
 * besides the knowledge base. The answer is shared by everyone who asks the same: it must not be
 * changed.
 */
export function cachedAnswer(answerer: Answerer, key: string, compute: () => Answered): Answered {
  let cache = caches.get(answerer);
  if (!cache) {
    // Bounded by an estimate of memory, not by count: keys come from user text, and one long
    // question weighs as much as many short ones. An answer larger than the budget is not kept.
    cache = new LRUCache<string, Answered>({ maxSize: ANSWER_CACHE_BYTES, maxEntrySize: ANSWER_CACHE_BYTES, sizeCalculation: (value, key) => costOf(key, value) });
    caches.set(answerer, cache);
  }
  const found = cache.get(key);
  if (found) {
    counts.hits += 1;
    return found;
  }
  counts.misses += 1;
  const computed = compute();
  if (cameBefore(key)) cache.set(key, computed);
  return computed;
}

/** How often answers came from the cache in this process (for benchmarks and their reports). */
export function answerCacheCounts(): Readonly<{ hits: number; misses: number }> {
  return { ...counts };
}
