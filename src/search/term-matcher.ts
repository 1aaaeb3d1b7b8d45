import Fuse from 'fuse.js';
import { BoundedCache } from './bounded-cache.ts';
import type { SearchConfig } from './config.ts';

export interface TermMatch {
  key: string;
  /** 1 for an exact key match, less for a fuzzy one. */
  similarity: number;
}

/**
 * Maps a word of the question to words of the knowledge base: exactly when it is known, otherwise
 * by fuse.js's Bitap score against a few candidates that share letter triples with it. Scoring every
 * vocabulary word with fuse.js would cost milliseconds per word; the triple index keeps it to a
 * dozen, which keeps the whole question well under a millisecond.
 */
export class TermMatcher {
  private readonly vocabulary: ReadonlySet<string>;
  private readonly byTrigram = new Map<string, string[]>();
  /** Remembered fuzzy lookups (typos repeat), bounded by memory and least recently used first out. */
  private readonly cache: BoundedCache<TermMatch[]>;

  constructor(
    vocabulary: Iterable<string>,
    private readonly config: SearchConfig['fuzzy'],
  ) {
    this.vocabulary = new Set(vocabulary);
    this.cache = new BoundedCache<TermMatch[]>(config.cacheBytes, (key, matches) => 2 * key.length + 48 + matches.reduce((sum, m) => sum + 2 * m.key.length + 40, 0));
    for (const key of this.vocabulary) {
      if (key.length < config.minLength - 1) continue;
      for (const trigram of new Set(trigrams(key))) {
        const keys = this.byTrigram.get(trigram);
        if (keys) keys.push(key);
        else this.byTrigram.set(trigram, [key]);
      }
    }
  }

  has(key: string): boolean {
    return this.vocabulary.has(key);
  }

  match(key: string): TermMatch[] {
    if (this.vocabulary.has(key)) return [{ key, similarity: 1 }];
    if (key.length < this.config.minLength) return [];
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = this.fuzzyMatch(key);
    this.cache.set(key, found);
    return found;
  }

  private fuzzyMatch(key: string): TermMatch[] {
    const shared = new Map<string, number>();
    for (const trigram of new Set(trigrams(key))) {
      for (const candidate of this.byTrigram.get(trigram) ?? []) shared.set(candidate, (shared.get(candidate) ?? 0) + 1);
    }
    const candidates = [...shared.entries()]
      // A typo rarely hits the first letter (and the phonetic key already absorbs c/k, w/v, ou/au).
      .filter(([candidate]) => candidate[0] === key[0] && Math.abs(candidate.length - key.length) <= 2)
      .sort((a, b) => b[1] - a[1])
      .slice(0, this.config.candidates);
    // Swapped or extra letters break most letter triples ("infrom"), so those neighbours are looked up directly.
    for (const neighbour of [...swapsOf(key), ...deletionsOf(key)]) {
      if (this.vocabulary.has(neighbour) && !candidates.some(([candidate]) => candidate === neighbour)) candidates.push([neighbour, 0]);
    }
    const matches: TermMatch[] = [];
    for (const [candidate] of candidates) {
      const result = Fuse.match(key, candidate, { ignoreLocation: true, threshold: this.config.maxScore, includeScore: true });
      const commonTypo = oneLetterMissingExtraOrSwapped(key, candidate);
      // Bitap counts a swapped pair as two errors and may miss a short word with a letter left out
      // ("frim", "uslk"); one slip of that kind is a match whatever its score.
      if (!result.isMatch && !commonTypo) continue;
      // Bitap finds the pattern inside a longer text without penalty ("kont" fully matches
      // "kontak"); the length ratio charges for the letters the question's word lacks.
      const lengthRatio = candidate.length > key.length ? key.length / candidate.length : 1;
      let similarity = result.isMatch ? (1 - (result.score ?? 1)) * Math.sqrt(lengthRatio) : 0;
      // Short words differ from other real words by one substituted letter too often ("pogod" and
      // "povod"), so for them only a missing, extra or swapped letter counts as a typo.
      const short = key.length <= 5;
      if (short && !commonTypo) continue;
      if (commonTypo) {
        // One slip in a word of n letters leaves n - 1 right ("infrom", "uslgi").
        similarity = Math.max(similarity, 1 - 1 / Math.max(key.length, candidate.length));
        // Between equally close words, the one reached by the commonest kind of typo wins ("bekofis"
        // is "bakofis" with a vowel wrong rather than "bekomis" with a consonant wrong).
        similarity = Math.min(1, similarity + 0.05);
      }
      const minimum = short ? this.config.minShortSimilarity : this.config.minSimilarity;
      if (similarity >= minimum) matches.push({ key: candidate, similarity });
    }
    return matches.sort((a, b) => b.similarity - a.similarity).slice(0, 3);
  }
}

const VOWELS = new Set('aeiouy');

/** One letter missing, extra or swapped with its neighbour, or one vowel typed for another ("kaszty"). */
function oneLetterMissingExtraOrSwapped(a: string, b: string): boolean {
  if (a.length === b.length) {
    const diff = [...a].map((char, i) => (char === b[i] ? -1 : i)).filter((i) => i >= 0);
    if (diff.length === 1) return VOWELS.has(a[diff[0]!]!) && VOWELS.has(b[diff[0]!]!);
    return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  if (longer.length - shorter.length !== 1) return false;
  for (let i = 0; i < longer.length; i++) if (longer.slice(0, i) + longer.slice(i + 1) === shorter) return true;
  return false;
}

function swapsOf(word: string): string[] {
  const forms: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) forms.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return forms;
}

function deletionsOf(word: string): string[] {
  const forms: string[] = [];
  for (let i = 1; i < word.length; i++) forms.push(word.slice(0, i) + word.slice(i + 1));
  return forms;
}

function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const result: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) result.push(padded.slice(i, i + 3));
  return result;
}
