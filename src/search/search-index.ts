import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry } from '../knowledge/schema.ts';
import { SEARCH_DEFAULTS, type SearchConfig } from './config.ts';
import { contentTokens, termKey, tokenize, isStopWord } from './normalize.ts';
import { TermMatcher } from './term-matcher.ts';

/** One entry, reduced to the keys of its texts, grouped by how much a match in them counts. */
export interface IndexedEntry {
  entry: Entry;
  /** Each alternate question and title separately: a question matches best when it matches one of them whole. */
  questions: ReadonlySet<string>[];
  keywords: ReadonlySet<string>;
  answer: ReadonlySet<string>;
  /** Every key of the entry: what the entry can explain of a question at all. */
  all: ReadonlySet<string>;
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
  terms: TermMatcher;
}

export function buildSearchIndex(kb: KnowledgeBase, config: SearchConfig = SEARCH_DEFAULTS): SearchIndex {
  const entries = kb.entries.map(indexEntry);
  const postingSets = new Map<string, Set<number>>();
  entries.forEach((indexed, position) => {
    for (const key of allKeys(indexed)) {
      const set = postingSets.get(key);
      if (set) set.add(position);
      else postingSets.set(key, new Set([position]));
    }
  });
  const count = entries.length;
  const idf = new Map<string, number>();
  const postings = new Map<string, number[]>();
  for (const [key, set] of postingSets) {
    idf.set(key, Math.log(1 + count / set.size));
    postings.set(key, [...set]);
  }
  return {
    kb,
    config,
    entries,
    idf,
    unknownIdf: Math.log(1 + count),
    postings,
    terms: new TermMatcher(postings.keys(), config.fuzzy),
  };
}

function indexEntry(entry: Entry): IndexedEntry {
  const questionTexts = [entry.title.pl, entry.title.en, ...entry.questions.pl, ...entry.questions.en];
  const questions = questionTexts.map((text) => new Set(textKeys(text))).filter((keys) => keys.size > 0);
  const keywords = new Set(entry.keywords.flatMap(textKeys));
  const answer = new Set([entry.answer.pl, entry.answer.en, entry.quote].flatMap(textKeys));
  return { entry, questions, keywords, answer, all: new Set([...questions.flatMap((keys) => [...keys]), ...keywords, ...answer]) };
}

/**
 * Keys of a text plus one key per hyphenated or multi-word compound written together, so that
 * "backoffice" or "frontofis" typed as one word still finds "back-office".
 */
export function textKeys(text: string): string[] {
  const keys = contentTokens(text).map(termKey);
  const words = tokenize(text);
  for (let i = 0; i + 1 < words.length; i++) {
    const [first, second] = [words[i]!, words[i + 1]!];
    if (!isStopWord(first) && !isStopWord(second)) keys.push(termKey(first + second));
  }
  return keys;
}

function allKeys(indexed: IndexedEntry): Iterable<string> {
  return indexed.all;
}
