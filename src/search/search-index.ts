import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry } from '../knowledge/schema.ts';
import { SEARCH_DEFAULTS, type SearchConfig } from './config.ts';
import { contentTokens, foldText, questionWordKeys, termKey, isStopWord } from './normalize.ts';
import { TermMatcher } from './term-matcher.ts';
import { buildThesaurus } from './thesaurus.ts';

/** One entry, reduced to the keys of its texts, grouped by how much a match in them counts. */
export interface IndexedEntry {
  entry: Entry;
  /** Each alternate question and title separately: a question matches best when it matches one of them whole. */
  questions: ReadonlySet<string>[];
  /** The IDF weight of each of `questions`, for the precision of a match. */
  questionWeights: number[];
  /** Which of `questions` hold a key: only those are compared with a question. */
  questionsByKey: ReadonlyMap<string, readonly number[]>;
  keywords: ReadonlySet<string>;
  answer: ReadonlySet<string>;
  /** Every key of the entry: what the entry can explain of a question at all. */
  all: ReadonlySet<string>;
  /** The keys of its titles: what the entry is about first of all, for breaking ties. */
  titles: ReadonlySet<string>;
}

export interface SearchIndex {
  kb: KnowledgeBase;
  config: SearchConfig;
  entries: IndexedEntry[];
  /** Inverse document frequency of each key: rare words tell entries apart, common ones do not. */
  idf: ReadonlyMap<string, number>;
  /** The weight of a question word the knowledge base does not know at all. */
  unknownIdf: number;
  postings: ReadonlyMap<string, readonly number[]>;
  /** Keys of words written together ("backoffice") and the keys of their two parts. */
  compounds: ReadonlyMap<string, readonly [string, string]>;
  terms: TermMatcher;
  /** The key a single word searches by: its own, or its synonym group's. */
  keyOf: (token: string) => string;
  /** The key a vocabulary key searches by (a synonym's group key, or itself). */
  canonical: (key: string) => string;
}

export function buildSearchIndex(kb: KnowledgeBase, config: SearchConfig = SEARCH_DEFAULTS): SearchIndex {
  const thesaurus = buildThesaurus(kb.synonyms);
  for (const [spelling, key] of questionWordKeys()) if (spelling !== key) thesaurus.set(spelling, key);
  const keyOf = (token: string) => {
    const key = termKey(token);
    return thesaurus.get(key) ?? key;
  };
  const compounds = new Map<string, readonly [string, string]>();
  // Every distinct word of the knowledge base, gathered while indexing, so no text is read twice.
  const words = new Set<string>();
  const entries = kb.entries.map((entry) => indexEntry(entry, { compounds, keyOf, words }));
  const postingSets = new Map<string, Set<number>>();
  entries.forEach((indexed, position) => {
    for (const key of indexed.all) {
      const set = postingSets.get(key);
      if (set) set.add(position);
      else postingSets.set(key, new Set([position]));
    }
  });
  dropCompoundsThatAreWords(words, compounds);
  const count = entries.length;
  const idf = new Map<string, number>();
  const postings = new Map<string, number[]>();
  for (const [key, set] of postingSets) {
    idf.set(key, Math.log(1 + count / set.size) ** config.idfPower);
    postings.set(key, [...set]);
  }
  for (const indexed of entries) {
    indexed.questionWeights = indexed.questions.map((keys) => [...keys].reduce((sum, key) => sum + (idf.get(key) ?? 0), 0));
  }
  return {
    kb,
    config,
    entries,
    idf,
    unknownIdf: Math.log(1 + count) ** config.idfPower,
    postings,
    compounds,
    // Synonyms stay in the vocabulary under their own spelling so that their typos are found too.
    terms: new TermMatcher([...postings.keys(), ...thesaurus.keys()], config.fuzzy),
    keyOf,
    canonical: (key: string) => thesaurus.get(key) ?? key,
  };
}

/**
 * Keys are cut to a few letters, so "procesy klienta" joined could collide with the key of "procesy".
 * A compound stays only when no word has its key, or the word with its key is the compound written
 * together ("frontoffice" among the keywords).
 */
function dropCompoundsThatAreWords(words: ReadonlySet<string>, compounds: Map<string, readonly [string, string]>): void {
  const wordsByKey = new Map<string, string[]>();
  for (const word of words) {
    const key = termKey(word);
    if (compounds.has(key)) wordsByKey.set(key, [...(wordsByKey.get(key) ?? []), word]);
  }
  for (const [key, written] of wordsByKey) {
    const [head, tail] = compounds.get(key)!;
    if (!written.some((word) => word.length > 6 && contentKeysOf(word, head, tail))) compounds.delete(key);
  }
}

/** Whether a word written as one is made of a word with key `head` followed by one with key `tail`. */
function contentKeysOf(word: string, head: string, tail: string): boolean {
  for (let cut = 2; cut < word.length - 1; cut++) {
    if (termKey(word.slice(0, cut)) === head && termKey(word.slice(cut)) === tail) return true;
  }
  return false;
}

interface Indexing {
  compounds: Map<string, readonly [string, string]>;
  keyOf: (token: string) => string;
  words: Set<string>;
}

function indexEntry(entry: Entry, indexing: Indexing): IndexedEntry {
  const keysOf = (text: string, isKeyword = false) => textKeys(text, indexing.keyOf, indexing.compounds, isKeyword, indexing.words);
  const questionTexts = [entry.title.pl, entry.title.en, ...entry.questions.pl, ...entry.questions.en];
  const questions = questionTexts.map((text) => new Set(keysOf(text))).filter((keys) => keys.size > 0);
  const keywords = new Set(entry.keywords.flatMap((keyword) => keysOf(keyword, true)));
  const answer = new Set([entry.answer.pl, entry.answer.en, entry.quote].flatMap((text) => keysOf(text)));
  const all = new Set([...questions.flatMap((keys) => [...keys]), ...keywords, ...answer]);
  const questionsByKey = new Map<string, number[]>();
  questions.forEach((keys, i) => {
    for (const key of keys) {
      const list = questionsByKey.get(key);
      if (list) list.push(i);
      else questionsByKey.set(key, [i]);
    }
  });
  const titles = new Set([entry.title.pl, entry.title.en].flatMap((text) => keysOf(text)));
  return { entry, questions, questionWeights: [], questionsByKey, keywords, answer, all, titles };
}

/**
 * Keys of a text plus one key per compound written with a hyphen ("back-office", "Coca-Cola") or,
 * in keywords, as two words ("call center"), so that the compound typed as one word ("backoffice",
 * "frontofis") still finds it.
 */
export function textKeys(
  text: string,
  keyOf: (token: string) => string,
  compounds?: Map<string, readonly [string, string]>,
  isKeyword = false,
  words?: Set<string>,
): string[] {
  const tokens = contentTokens(text);
  if (words) for (const token of tokens) words.add(token);
  const keys = tokens.map(keyOf);
  for (const [first, second] of compoundPairs(text, isKeyword ? tokens : undefined)) {
    if (isStopWord(first) || isStopWord(second)) continue;
    const compound = termKey(first + second);
    // Keys are cut to a few letters: a long first word leaves no room for the second one.
    if (compound.length <= termKey(first).length) continue;
    keys.push(compound);
    compounds?.set(compound, [keyOf(first), keyOf(second)]);
  }
  return keys;
}

const HYPHEN = /[-\u2010\u2011]/;
const HYPHENATED = /([\p{L}\p{N}]+)[-\u2010\u2011]([\p{L}\p{N}]+)/gu;

function compoundPairs(text: string, keywordTokens: string[] | undefined): [string, string][] {
  const pairs = HYPHEN.test(text) ? [...text.matchAll(HYPHENATED)].map((m) => [foldText(m[1]!), foldText(m[2]!)] as [string, string]) : [];
  if (keywordTokens?.length === 2) pairs.push([keywordTokens[0]!, keywordTokens[1]!]);
  return pairs;
}

