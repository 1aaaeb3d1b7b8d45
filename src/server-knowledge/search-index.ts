/**
 * Which of a server's own entries a member's question asks, and how sure that is.
 *
 * minisearch finds the candidate entries (an inverted index over their questions and phrasings,
 * with fuzzy and prefix matching, over words folded here: lower case, no diacritics, no
 * punctuation); the confidence is then worked out here, wording by wording, so that it can be
 * explained: how much of the question one wording of the entry accounts for, and how much of that
 * wording the question covers. Only terms that say something count: stop words and chit-chat
 * ("co", "jest", "the", "dzięki") are left out, and question words ("kiedy", "where") count half
 * a word, enough to tell "kiedy jest meetup" from "gdzie jest meetup" but never enough to match on
 * their own.
 */
import { LRUCache } from 'lru-cache';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import type { ServerEntry } from './entry.ts';

export interface ServerMatch {
  readonly entry: ServerEntry;
  /** 0..1: 1 when the question is one of the entry's wordings (folded), lower the less they share. */
  readonly confidence: number;
}

export interface ServerIndex {
  /** Entries indexed. */
  readonly entries: number;
  search(question: string): ServerMatch | undefined;
}

/**
 * Calibrated on a handful of entries (a meetup's date and place, job offers, rules, mentoring) and
 * questions about them. Another wording of an entry scores 0.73 and up: the same words folded 1,
 * with a typo 0.93, the English phrasing's words in a longer question 0.73, a shorter or a longer
 * question ("kiedy meetup?", "czy ktoś wie kiedy jest następny meetup w Krakowie") 0.78-0.8, a
 * single word of a three-word wording ("kanał") 0.67. Questions sharing only a generic word stay
 * under it: "kiedy jest następna rekrutacja?" 0.55 and "co to jest meetup BPO?" 0.58 against the
 * meetup, "jakie są zasady outsourcingu" 0.5 against the rules. Unrelated questions ("co to jest
 * back office?") share nothing and are not scored at all. Below it too: a lone word with another
 * ending ("praca" against "oferty pracy", 0.56), and a question whose words are in the other
 * language only. Two shared words out of three pass ("date of the next conference" against "next
 * meetup date", 0.67): words alone cannot tell a conference from a meetup.
 */
export const MATCH_THRESHOLD = 0.6;
/** Entries that minisearch ranks best and whose wordings are then scored one by one. */
const CANDIDATES = 12;
/** A pasted paragraph is not a question: only its first terms are read. */
const MAX_QUESTION_TERMS = 24;
/** Longer "words" are pasted junk: cut, so that fuzzy matching never works on all of one. */
const MAX_TERM_LENGTH = 30;
const QUESTION_WORD_WEIGHT = 0.5;
/** Two words are one with another ending when they share this many letters and differ in at most `MAX_ENDING` after them. */
const MIN_STEM = 5;
const MAX_ENDING = 3;

// ---- Terms ----

// Folded forms (lower case, no diacritics): the words every question has, the verbs of asking
// ("gdzie znajdę", "where can I find"), and greetings and thanks, which say nothing about what is asked.
const STOP_WORDS = new Set(
  (
    'a aby albo ale ani az bo by byc byl byla bylo beda bede bedzie chce chcialbym chcialabym co czy czyli dla do go i ich ja jaka jaki jakie jakis ' +
    'jej jest jestem jesli juz ktora ktore ktory ktos ma mam mi mnie moge mozna mozesz my na nad nam nas nie niz no o od oraz po pod prosze przez przy ' +
    'pytanie sa sie sobie ta tak tam te tego ten tez to tu tutaj tym u w we wie wiesz wlasnie wy z za ze zeby ' +
    'znajde znalezc szukam potrzebuje wiedziec powiedziec find looking need ' +
    'hej hejka czesc siema elo witam witajcie dzien dobry dzieki dziekuje thx pozdrawiam ok okej spoko super fajnie dobrze dobra ' +
    'about am an and any anyone are at be been can could did do does for from get has have he here i if in is it know me my no of on or our ' +
    'please she should some someone tell that the their there these they this those to was we were what which will with would yes you your ' +
    'hi hello hey yo thanks thank cool nice great okay'
  ).split(' '),
);
/** Question words by what they ask, so that "kiedy" matches "when" and not "gdzie". */
const QUESTION_WORDS = new Map(
  Object.entries({ when: 'kiedy when', where: 'gdzie where', who: 'kto komu who whom whose', why: 'dlaczego czemu why', how: 'jak how', howMuch: 'ile', whence: 'skad', whither: 'dokad' }).flatMap(([asks, words]) =>
    words.split(' ').map((word) => [word, asks] as const),
  ),
);

const MARKS = /\p{M}/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const DIGIT = /\d/;

/** Lower case without diacritics: NFKD takes the marks off "ą" or "ż", but "ł" has none to take off. */
function fold(text: string): string {
  const lower = text.toLowerCase();
  if (PRINTABLE_ASCII.test(lower)) return lower;
  return lower.replace(/ł/g, 'l').normalize('NFKD').replace(MARKS, '');
}

function words(text: string): string[] {
  return fold(text)
    .split(NOT_WORD)
    .filter((word) => word !== '')
    .map((word) => (word.length > MAX_TERM_LENGTH ? word.slice(0, MAX_TERM_LENGTH) : word));
}

/** 0 for a word that says nothing, half for a question word, 1 for any other. */
function weightOf(word: string): number {
  if (STOP_WORDS.has(word) || (word.length === 1 && !DIGIT.test(word))) return 0;
  return QUESTION_WORDS.has(word) ? QUESTION_WORD_WEIGHT : 1;
}

/** Only terms of full weight are indexed and searched: question words alone must not find entries. */
function isSearchable(word: string): boolean {
  return weightOf(word) === 1;
}

/** One typo from five letters, two from eight; none in short words or numbers ("2024" is not "2025"). */
function typosAllowed(term: string): number {
  if (DIGIT.test(term)) return 0;
  return term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0;
}

function prefixAllowed(term: string): boolean {
  return term.length >= 4 && !DIGIT.test(term);
}

/** How alike a question's term and an entry's term are: 1 when equal, less for a typo or an ending. */
function similarity(asked: string, indexed: string): number {
  if (asked === indexed) return 1;
  const asks = QUESTION_WORDS.get(asked);
  if (asks !== undefined || QUESTION_WORDS.has(indexed)) return asks === QUESTION_WORDS.get(indexed) ? 1 : 0;
  let best = prefixAllowed(asked) && indexed.startsWith(asked) ? asked.length / indexed.length : 0;
  const shared = sharedStem(asked, indexed);
  if (shared > 0) best = Math.max(best, shared / Math.max(asked.length, indexed.length));
  const allowed = typosAllowed(asked);
  if (allowed > 0) {
    const distance = editDistance(asked, indexed, allowed);
    if (distance <= allowed) best = Math.max(best, 1 - distance / Math.max(asked.length, indexed.length));
  }
  return best;
}

/**
 * Polish words change their endings ("mentoringu", "mentoringowy"): the length of the start two
 * words share when it is at least five letters and neither goes on for more than three after it, or 0.
 */
function sharedStem(a: string, b: string): number {
  if (DIGIT.test(a)) return 0;
  let shared = 0;
  while (shared < a.length && a[shared] === b[shared]) shared++;
  return shared >= MIN_STEM && Math.max(a.length, b.length) - shared <= MAX_ENDING ? shared : 0;
}

/** The start of a long word searched besides the word, to find entries with another ending of it. */
function stemOf(term: string): string | undefined {
  return term.length >= MIN_STEM + 2 && !DIGIT.test(term) ? term.slice(0, Math.max(MIN_STEM, term.length - MAX_ENDING)) : undefined;
}

// Two rows of the edit distance, reused: words are cut to MAX_TERM_LENGTH.
const previousRow = new Uint8Array(MAX_TERM_LENGTH + 1);
const currentRow = new Uint8Array(MAX_TERM_LENGTH + 1);

/** Levenshtein distance, or `limit + 1` as soon as it is known to be over `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = value;
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * A question's terms that say something (once each, at most `MAX_QUESTION_TERMS`), and how alike
 * each is to a term of an entry, worked out once per search: candidates share many terms.
 */
class AskedQuestion {
  readonly terms: string[] = [];
  readonly weights: number[] = [];
  readonly totalWeight: number;
  private readonly alike = new Map<string, Float64Array>();

  constructor(question: string) {
    let total = 0;
    for (const word of words(question)) {
      if (this.terms.length >= MAX_QUESTION_TERMS) break;
      const weight = weightOf(word);
      if (weight === 0 || this.terms.includes(word)) continue;
      this.terms.push(word);
      this.weights.push(weight);
      total += weight;
    }
    this.totalWeight = total;
  }

  searchable(): string[] {
    return this.terms.filter(isSearchable);
  }

  alikeTo(indexed: string): Float64Array {
    let alike = this.alike.get(indexed);
    if (!alike) {
      alike = Float64Array.from(this.terms, (term) => similarity(term, indexed));
      this.alike.set(indexed, alike);
    }
    return alike;
  }

  /**
   * The mean of two shares, each weighted by term: of the question's terms, how much the wording
   * accounts for, and of the wording's terms, how much the question covers. Both are 1 for the same
   * terms; a short question inside a longer wording, or a long one around it, keeps one of them high.
   */
  confidenceIn(wording: string): number {
    const accounted = new Float64Array(this.terms.length);
    const seen: string[] = [];
    let wordingWeight = 0;
    let covered = 0;
    for (const word of words(wording)) {
      const weight = weightOf(word);
      if (weight === 0 || seen.includes(word)) continue;
      seen.push(word);
      const alike = this.alikeTo(word);
      let best = 0;
      for (let i = 0; i < alike.length; i++) {
        if (alike[i]! > best) best = alike[i]!;
        if (alike[i]! > accounted[i]!) accounted[i] = alike[i]!;
      }
      wordingWeight += weight;
      covered += weight * best;
    }
    if (wordingWeight === 0) return 0;
    let accountedWeight = 0;
    for (let i = 0; i < accounted.length; i++) accountedWeight += this.weights[i]! * accounted[i]!;
    return (accountedWeight / this.totalWeight + covered / wordingWeight) / 2;
  }
}

// ---- One server ----

/** The searched terms arrive processed already: joined with spaces, split back. */
const SEARCH_OPTIONS: SearchOptions = {
  tokenize: (text) => text.split(' '),
  processTerm: (term) => term,
  fuzzy: (term) => typosAllowed(term),
  prefix: (term) => prefixAllowed(term),
};

/** Each term as it is (with typos and as a prefix), and the stem of a long one, as a prefix only. */
function queryFor(terms: readonly string[]): Query {
  return {
    combineWith: 'OR',
    queries: terms.flatMap((term) => {
      const stem = stemOf(term);
      return stem === undefined ? [term] : [term, { queries: [stem], prefix: true, fuzzy: false }];
    }),
  };
}

/**
 * A term in more entries than this (and than a twentieth of them) hardly tells entries apart, yet
 * scoring every entry it is in is most of a search's time in a large server: such terms are left
 * out of finding the candidates (not of their confidence) when the question has rarer ones.
 */
const COMMON_ENTRIES = 200;
const COMMON_SHARE = 0.05;

/** In how many entries each common term is; none in a server too small for any term to be. */
function commonTerms(entries: readonly ServerEntry[]): Map<string, number> {
  const common = new Map<string, number>();
  const limit = Math.max(COMMON_ENTRIES, entries.length * COMMON_SHARE);
  if (entries.length <= limit) return common;
  const counts = new Map<string, number>();
  for (const entry of entries) {
    for (const term of new Set(words(wordingsOf(entry)).filter(isSearchable))) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  for (const [term, count] of counts) if (count > limit) common.set(term, count);
  return common;
}

/**
 * The terms to find candidates by: the rarer ones, or the least common one when all are common. A
 * typo or another ending of a common term is common too: its fuzzy or prefix search would find it.
 */
function distinctive(terms: readonly string[], common: ReadonlyMap<string, number>): string[] {
  if (common.size === 0) return [...terms];
  const inEntries = (term: string) => {
    let most = 0;
    for (const [known, count] of common) if (count > most && similarity(term, known) > 0) most = count;
    return most;
  };
  const counts = terms.map(inEntries);
  const rarer = terms.filter((_, i) => counts[i] === 0);
  if (rarer.length > 0) return rarer;
  return [terms[counts.indexOf(Math.min(...counts))]!];
}

function wordingsOf(entry: ServerEntry): string {
  return entry.phrasings.length === 0 ? entry.question : `${entry.question}\n${entry.phrasings.join('\n')}`;
}

const EMPTY_INDEX: ServerIndex = { entries: 0, search: () => undefined };

/** Whether a question has anything to search for: greetings, thanks and bare stop words do not. */
export function asksSomething(question: string): boolean {
  return words(question).some(isSearchable);
}

export function buildServerIndex(entries: readonly ServerEntry[]): ServerIndex {
  if (entries.length === 0) return EMPTY_INDEX;
  // One field for all of an entry's wordings: which wording matched is worked out for the
  // candidates only. Documents are positions in `entries`, so nothing else is copied or stored.
  const index = new MiniSearch<number>({
    fields: ['wordings'],
    extractField: (position, field) => (field === 'id' ? position : wordingsOf(entries[position]!)),
    tokenize: words,
    processTerm: (term) => (isSearchable(term) ? term : null),
    searchOptions: SEARCH_OPTIONS,
  });
  index.addAll(entries.map((_, position) => position));
  const common = commonTerms(entries);

  return {
    entries: entries.length,
    search(question) {
      const asked = new AskedQuestion(question);
      const searched = asked.searchable();
      if (searched.length === 0) return undefined;
      let best: ServerMatch | undefined;
      // In minisearch's order, so that of equally confident entries the better ranked one wins.
      for (const result of index.search(queryFor(distinctive(searched, common))).slice(0, CANDIDATES)) {
        const entry = entries[result.id as number]!;
        let confidence = asked.confidenceIn(entry.question);
        for (const phrasing of entry.phrasings) confidence = Math.max(confidence, asked.confidenceIn(phrasing));
        if (!best || confidence > best.confidence) best = { entry, confidence };
        if (confidence === 1) break;
      }
      return best && best.confidence >= MATCH_THRESHOLD ? best : undefined;
    },
  };
}

// ---- Every server ----

/**
 * An entry held costs about 3 kB with its index and answer (measured by the bench), so this is
 * about 150 MB at most: every entry of 100 full servers, or of thousands of typical ones.
 */
export const DEFAULT_MAX_ENTRIES = 50_000;

export interface ServerIndexesOptions {
  load: (guildId: string) => Promise<ServerEntry[]>;
  /** Total entries held across servers; the least recently searched servers are dropped past it. */
  maxEntries?: number;
}

export interface ServerIndexes {
  search(guildId: string, question: string): Promise<ServerMatch | undefined>;
  /** Drops a server's index (its entries changed, possibly in another process): the next search loads them again. */
  invalidate(guildId: string): void;
  held(): { servers: number; entries: number };
}

export function createServerIndexes({ load, maxEntries = DEFAULT_MAX_ENTRIES }: ServerIndexesOptions): ServerIndexes {
  // A server without entries counts as one, so that very many of them still stay bounded; they
  // all share one empty index.
  const built = new LRUCache<string, ServerIndex>({ maxSize: maxEntries, sizeCalculation: (index) => Math.max(1, index.entries) });
  const loading = new Map<string, Promise<ServerIndex>>();

  function startLoading(guildId: string): Promise<ServerIndex> {
    const pending = (async () => buildServerIndex(await load(guildId)))().then(
      (index) => {
        // Invalidated while loading: the index may miss the change, so it answers this search only.
        if (loading.get(guildId) === pending) {
          loading.delete(guildId);
          built.set(guildId, index);
        }
        return index;
      },
      (error: unknown) => {
        if (loading.get(guildId) === pending) loading.delete(guildId);
        throw error;
      },
    );
    loading.set(guildId, pending);
    return pending;
  }

  return {
    async search(guildId, question) {
      // Chit-chat is answered without loading anything.
      if (!asksSomething(question)) return undefined;
      const index = built.get(guildId) ?? (await (loading.get(guildId) ?? startLoading(guildId)));
      return index.search(question);
    },
    invalidate(guildId) {
      built.delete(guildId);
      loading.delete(guildId);
    },
    held() {
      let entries = 0;
      for (const index of built.values()) entries += index.entries;
      return { servers: built.size, entries };
    },
  };
}
