import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry } from '../knowledge/schema.ts';
import { SEARCH_DEFAULTS, type SearchConfig } from './config.ts';
import { consonantSkeleton, contentTokens, foldText, fullSpelling, isContentWord, isStopWord, negationCount, slipCorrector, termKey, words, words as wordsOf } from './normalize.ts';
import { NEGATIONS, POLARITY_WORDS } from './stopwords.ts';
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
  /** Its yes/no statements, each as keys (polarity words included) with their IDF weight and truth. */
  statements: IndexedStatement[];
  /** Pairs of neighbouring words in its keywords, titles and questions ("obsługa klientów"), as `phraseKey`s. */
  phrases: ReadonlySet<string>;
  /** Folded words of the names its answer gives ("Coca-Cola", "Wikipedia"): capitalised words inside a sentence. */
  names: ReadonlySet<string>;
}

export interface IndexedStatement {
  keys: ReadonlySet<string>;
  weight: number;
  truth: boolean;
  /** Negations written in the statement ("nie jest widoczny"). */
  negations: number;
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
  /** Vocabulary words by their consonants ("frnt" for "front"), for words typed without their vowels. */
  skeletons: ReadonlyMap<string, string>;
  /** Every name the entries give ("coca", "cola", "wikipedia"), folded. */
  names: ReadonlySet<string>;
  /** Whole stems of the vocabulary words (before keys cut them short), each with its key, for typos the cut hides. */
  spellings: { terms: TermMatcher; keys: ReadonlyMap<string, string> };
  /**
   * A word of six letters or more back to the knowledge base's word it is one slip from, as typed
   * ("offcie" is "office", "btween" is "between"): the slip the stems and phonetic keys hide.
   */
  correctSlip: (token: string) => string;
}

export function buildSearchIndex(kb: KnowledgeBase, config: SearchConfig = SEARCH_DEFAULTS): SearchIndex {
  const thesaurus = buildThesaurus(kb.synonyms);
  const keyOf = (token: string) => {
    const key = termKey(token);
    return thesaurus.get(key) ?? key;
  };
  const compounds = new Map<string, readonly [string, string]>();
  // Every distinct word of the knowledge base, gathered while indexing, so no text is read twice.
  const words = new Set<string>();
  const lowercase = lowercaseWords(kb);
  const articleNames = capitalisedWords(kb.article.text);
  const entries = kb.entries.map((entry) => indexEntry(entry, { compounds, keyOf, words, lowercase, articleNames }));
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
  const weightOf = (keys: ReadonlySet<string>) => [...keys].reduce((sum, key) => sum + (idf.get(key) ?? 0), 0);
  for (const indexed of entries) {
    indexed.questionWeights = indexed.questions.map(weightOf);
    for (const statement of indexed.statements) statement.weight = weightOf(statement.keys);
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
    skeletons: skeletonIndex(words, keyOf),
    names: distinctiveNames(entries),
    spellings: spellingIndex([...words, ...kb.synonyms.flat().map(foldText)], keyOf, config),
    correctSlip: slipCorrector([...words, ...kb.synonyms.flat().flatMap((synonym) => wordsOf(synonym))]),
  };
}

function spellingIndex(vocabulary: readonly string[], keyOf: (token: string) => string, config: SearchConfig): SearchIndex['spellings'] {
  const keys = new Map<string, string>();
  for (const word of vocabulary) {
    const spelling = fullSpelling(word);
    if (!keys.has(spelling)) keys.set(spelling, keyOf(word));
  }
  return { terms: new TermMatcher(keys.keys(), config.fuzzy), keys };
}

/**
 * Each vocabulary word under its consonant skeleton, when that is distinctive: three consonants or
 * more, and no other word with the same skeleton but another key.
 */
function skeletonIndex(words: ReadonlySet<string>, keyOf: (token: string) => string): Map<string, string> {
  const byKey = new Map<string, string | null>();
  for (const word of words) {
    const shape = consonantSkeleton(word);
    if (shape.length < 3) continue;
    const key = keyOf(word);
    const known = byKey.get(shape);
    byKey.set(shape, known === undefined || known === key ? key : null);
  }
  const skeletons = new Map<string, string>();
  for (const [shape, key] of byKey) if (key !== null) skeletons.set(shape, key);
  return skeletons;
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
  lowercase: ReadonlySet<string>;
  articleNames: ReadonlySet<string>;
  compounds: Map<string, readonly [string, string]>;
  keyOf: (token: string) => string;
  words: Set<string>;
}

function indexEntry(entry: Entry, indexing: Indexing): IndexedEntry {
  const keysOf = (text: string, isKeyword = false) => textKeys(text, indexing.keyOf, indexing.compounds, isKeyword, indexing.words);
  const statements = entry.statements ?? [];
  // A statement is also a way of asking about the entry ("Klienci widzą back-office?").
  const questionTexts = [entry.title.pl, entry.title.en, ...entry.questions.pl, ...entry.questions.en, ...statements.flatMap((s) => [s.pl, s.en])];
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
  const indexedStatements = statements.flatMap((statement) =>
    [statement.pl, statement.en].map((text) => {
      const tokens = words(text);
      return { keys: new Set(statementKeys(tokens, indexing.keyOf)), weight: 0, truth: statement.true, negations: negationCount(tokens) };
    }),
  );
  const names = new Set([entry.title.pl, entry.title.en, entry.answer.pl, entry.answer.en].flatMap((text) => namesIn(text, indexing.lowercase, indexing.articleNames)));
  const phrases = new Set(
    [...questionTexts, ...entry.keywords].flatMap((text) => {
      const keys = contentTokens(text).map(indexing.keyOf);
      return keys.slice(1).map((key, i) => phraseKey(keys[i]!, key)).filter((pair) => !pair.startsWith('='));
    }),
  );
  return { entry, questions, questionWeights: [], questionsByKey, keywords, answer, all, titles, statements: indexedStatements, phrases, names };
}

/**
 * The names a text gives ("Coca-Cola", "Wikipedia", "PR"): words capitalised inside a sentence (the
 * first word of a sentence is capitalised anyway) or written in capitals, that the article itself
 * writes so and the knowledge base never writes in lower case.
 */
function namesIn(text: string, lowercase: ReadonlySet<string>, articleNames: ReadonlySet<string>): string[] {
  return text
    .split(/(?<=[.!?:])\s+/)
    .flatMap((sentence) => sentence.split(/[^\p{L}\p{N}]+/u).filter(Boolean).filter((word, i) => i > 0 || /^\p{Lu}{2,}$/u.test(word)))
    .filter((word) => /^\p{Lu}(?:\p{Ll}|\p{Lu}+$)/u.test(word) && articleNames.has(word))
    .map(foldText)
    .filter((word) => !lowercase.has(word));
}

/** Names that tell entries apart: given by at most a quarter of the entries ("Coca-Cola", "PR"), not the topic of them all ("BPO"). */
function distinctiveNames(entries: readonly IndexedEntry[]): Set<string> {
  const counts = new Map<string, number>();
  for (const indexed of entries) for (const name of indexed.names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count <= Math.max(1, entries.length / 4)).map(([name]) => name));
}

/** The capitalised words of the article, as written: a name in an answer must be one of the source's. */
function capitalisedWords(text: string): Set<string> {
  return new Set(text.split(/[^\p{L}\p{N}]+/u).filter((word) => /^\p{Lu}/u.test(word)));
}

/** Every word the knowledge base's answers write in lower case: what is left capitalised is a name. */
function lowercaseWords(kb: KnowledgeBase): Set<string> {
  const found = new Set<string>();
  for (const entry of kb.entries) {
    for (const text of [entry.answer.pl, entry.answer.en, entry.quote, ...entry.questions.pl, ...entry.questions.en]) {
      for (const word of text.split(/[^\p{L}\p{N}]+/u)) if (/^\p{Ll}/u.test(word)) found.add(foldText(word));
    }
  }
  return found;
}

/** Two neighbouring words' keys as one, in either order ("obsługa klientów", "klientów obsługa"); "=" marks a word twice. */
export function phraseKey(a: string, b: string): string {
  if (a === b) return '=';
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/** The words a yes/no statement or question is compared by: its content words and its polarity words ("~must"). */
export function statementWords(tokens: readonly string[]): string[] {
  // Polarity words compare by their concept, whatever their form or language; negations are
  // counted, not compared ("nie jest widoczny" and "jest widoczny" share their words).
  return tokens.flatMap((token) => POLARITY_WORDS.get(token) ?? (isContentWord(token) && !NEGATIONS.has(token) ? [token] : []));
}

/** Their keys: a polarity concept is its own key. */
export function statementKeys(tokens: readonly string[], keyOf: (token: string) => string): string[] {
  return statementWords(tokens).map((word) => (word.startsWith('~') ? word : keyOf(word)));
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

