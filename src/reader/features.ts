/**
 * What the model sees of a message: its folded words, pairs of neighbouring words, and the
 * character n-grams of every word, each hashed to a 32-bit id (fastText's recipe). The n-grams carry
 * inflection ("kosztów", "koszty"), missing diacritics and typos ("kszty"), so no stemmer or
 * spelling list is needed.
 */

/** The shape of the features; stored in the model so that reading a question matches its training. */
export interface FeatureOptions {
  /** Shortest and longest character n-gram, counted with the word's boundary marks "<" and ">". */
  minn: number;
  maxn: number;
  /** 2: word pairs as well as words. */
  wordNgrams: number;
  /**
   * Also ordered pairs of words up to this many apart (from 2; neighbours are `wordNgrams`' pairs):
   * "outsourcing … podzbiór … bpo" then differs from "bpo … podzbiór … outsourcing". For the
   * claims of yes/no questions, where who is said to be what decides the verdict.
   */
  pairReach?: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// A different starting value per kind of feature, so that the word "ab" and the n-gram "ab" differ.
const WORD_SEED = FNV_OFFSET;
const NGRAM_SEED = 0x9e3779b9;
const PAIR_SEED = 0x27d4eb2d;
const DISTANT_PAIR_SEED = 0x165667b1;
const BOUNDARY_START = 0x3c; // "<"
const BOUNDARY_END = 0x3e; // ">"
const END_OF_MESSAGE = 0x5f3759df;

function step(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME) >>> 0;
}

/** A final scramble (murmur3's), so that a pair's id shares no bits with its words' ids. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function hashWord(word: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < word.length; i++) hash = step(hash, word.charCodeAt(i));
  return hash;
}

/** A marker word for a message that contains a question mark: whether it asks tells a lot about whether it is small talk. */
export const QUESTION_MARK_WORD = '?';

/** A marker word where a comma sets an alternative against the claim ("Process, nie Production?", "a part, not the whole?"). */
export const CONTRAST_WORD = ',';

/** Marker words are read whole, never as letters. */
const MARKER_WORDS: ReadonlySet<string> = new Set([QUESTION_MARK_WORD, CONTRAST_WORD]);

/**
 * The feature ids of a message's folded words, in a plain array (duplicates kept: a repeated word
 * weighs more, as in fastText). A non-zero `salt` gives every feature another id: the same words
 * read for one entry ("widzą" about back-office) apart from the same words in general.
 */
export function featuresOf(words: readonly string[], options: FeatureOptions, salt = 0): number[] {
  // Built in one reused array and copied out at its size: growing a new one for every message
  // made most of the garbage answering a question leaves.
  const features = scratch;
  features.length = 0;
  const { minn, maxn, wordNgrams, pairReach = 0 } = options;
  const codes: number[] = [];
  let previous = -1;
  for (const word of words) {
    const wordHash = hashWord(word, WORD_SEED);
    features.push(wordHash);
    if (wordNgrams >= 2 && previous !== -1) features.push(mix((Math.imul(previous, 116049371) + wordHash) ^ PAIR_SEED));
    previous = wordHash;
    if (MARKER_WORDS.has(word)) continue;
    // "<word>": n-grams at the start and end of a word are told apart from those inside it.
    codes.length = 0;
    codes.push(BOUNDARY_START);
    for (let i = 0; i < word.length; i++) codes.push(word.charCodeAt(i));
    codes.push(BOUNDARY_END);
    for (let start = 0; start < codes.length; start++) {
      let hash = NGRAM_SEED;
      for (let end = start; end < codes.length && end - start < maxn; end++) {
        hash = step(hash, codes[end]!);
        const length = end - start + 1;
        // The whole "<word>" is the word feature already; a lone boundary mark says nothing.
        if (length >= minn && !(start === 0 && end === codes.length - 1)) features.push(hash);
      }
    }
  }
  // Every message ends with the same feature (fastText's "</s>"): its share of the average is larger
  // the shorter the message, so the model can learn what a word or two alone mean ("cześć").
  features.push(END_OF_MESSAGE);
  // Last, so that a head reading the topic head's features and these pairs reads them in this order.
  if (pairReach >= 2) pushDistantPairs(features, words, pairReach);
  return salt === 0 ? features.slice() : salted(features, salt);
}

const scratch: number[] = [];

/** The ordered pairs of words two to `reach` apart (see `FeatureOptions.pairReach`). */
export function distantPairsOf(words: readonly string[], reach: number): number[] {
  return pushDistantPairs([], words, reach);
}

function pushDistantPairs(features: number[], words: readonly string[], reach: number): number[] {
  const hashes = words.map((word) => hashWord(word, WORD_SEED));
  for (let i = 2; i < hashes.length; i++) {
    for (let distance = 2; distance <= reach && distance <= i; distance++) features.push(mix((Math.imul(hashes[i - distance]!, 116049371) + hashes[i]!) ^ DISTANT_PAIR_SEED));
  }
  return features;
}

/** The same features with another id each, as `featuresOf` gives them with a non-zero `salt`: for features already computed. */
function salted(features: readonly number[], salt: number): number[] {
  return features.map((feature) => mix(feature ^ salt));
}

/** The features followed by the same features salted. */
export function withSalted(features: readonly number[], salt: number): number[] {
  return features.concat(salted(features, salt));
}

/** A well-mixed 32-bit hash of a text, never 0. */
export function textHash(text: string): number {
  return mix(hashWord(text, NGRAM_SEED)) || 1;
}

/** A salt for `featuresOf` from a name (an entry id). */
export function saltOf(name: string): number {
  return textHash(name);
}
