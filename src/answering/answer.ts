import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry, Lang } from '../knowledge/schema.ts';
import { buildSearchIndex, type SearchIndex } from '../search/search-index.ts';
import { contentTokens } from '../search/normalize.ts';
import { search, type SearchOutcome } from '../search/search.ts';
import { detectLanguage } from './language.ts';
import { detectSmallTalk, type SmallTalk } from './small-talk.ts';

/** The longest question accepted (Discord's slash option allows the same); longer ones get a "please shorten" reply. */
export const MAX_QUESTION_LENGTH = 300;
/** Suggested topics shown with a not-found reply (one button each). */
export const MAX_SUGGESTIONS = 3;

export type AnswerResult =
  | { kind: 'answer'; question: string; lang: Lang; entry: Entry; confidence: number; related: Entry[] }
  | { kind: 'not-found'; question: string; lang: Lang; suggestions: Entry[] }
  | { kind: 'small-talk'; question: string; lang: Lang; intent: SmallTalk | 'empty'; suggestions: Entry[] }
  | { kind: 'too-long'; question: string; lang: Lang; maxLength: number };

export interface AnswerOptions {
  /** Language to answer in (from the user's Discord locale); detected from the question when absent. */
  lang?: Lang;
}

/** What the answering pipeline works on: the knowledge base and its search index, built once at start-up. */
export interface Answerer {
  kb: KnowledgeBase;
  index: SearchIndex;
}

export function createAnswerer(kb: KnowledgeBase): Answerer {
  return { kb, index: buildSearchIndex(kb) };
}

/** From a question to a result. Pure and synchronous; never throws on any string. */
export function answer(question: string, answerer: Answerer, options: AnswerOptions = {}): AnswerResult {
  const text = typeof question === 'string' ? question : '';
  const lang = options.lang ?? detectLanguage(text);
  if (text.length > MAX_QUESTION_LENGTH) return { kind: 'too-long', question: text, lang, maxLength: MAX_QUESTION_LENGTH };

  const direct = findByTitle(text, answerer.kb);
  if (direct) return found(text, lang, direct, 1, answerer.kb);

  const smallTalk = detectSmallTalk(text);
  if (smallTalk) return { kind: 'small-talk', question: text, lang, intent: smallTalk, suggestions: pinned(answerer.kb) };

  const outcome = searchSentences(text, answerer.index);
  if (outcome.empty) return { kind: 'small-talk', question: text, lang, intent: 'empty', suggestions: pinned(answerer.kb) };

  const { minConfidence } = answerer.index.config;
  const top = outcome.hits[0];
  if (top && top.confidence >= minConfidence) return found(text, lang, top.entry, top.confidence, answerer.kb);

  // Near misses make better suggestions than the fixed main topics.
  const near = outcome.hits.filter((hit) => hit.confidence >= minConfidence / 2).map((hit) => hit.entry);
  const suggestions = unique([...near, ...pinned(answerer.kb)]).slice(0, MAX_SUGGESTIONS);
  return { kind: 'not-found', question: text, lang, suggestions };
}

// People give context before the question ("Piszę pracę zaliczeniową. Czy w BPO chodzi o…?"): each
// sentence is also searched alone, and the best-matched reading wins. A one-word follow-up
// ("Pieniądze?", "Serwery też?") only makes sense with the rest, so it is not read alone.
const SENTENCE_END = /(?<=[.!?…])\s+|\n+/u;
const MAX_SENTENCES = 4;

function searchSentences(text: string, index: SearchIndex): SearchOutcome {
  const whole = search(text, index);
  const sentences = text.split(SENTENCE_END).filter((part) => part.trim() !== '');
  if (sentences.length < 2) return whole;
  let best = whole;
  for (const sentence of sentences.slice(-MAX_SENTENCES)) {
    if (contentTokens(sentence).length < 2) continue;
    const outcome = search(sentence, index);
    if ((outcome.hits[0]?.confidence ?? 0) > (best.hits[0]?.confidence ?? 0)) best = outcome;
  }
  return best;
}

/** The answer to a topic chosen from a button or an autocomplete choice. */
export function answerById(id: string, answerer: Answerer, lang: Lang): AnswerResult {
  const entry = answerer.kb.byId.get(id);
  if (!entry) return { kind: 'not-found', question: id, lang, suggestions: pinned(answerer.kb).slice(0, MAX_SUGGESTIONS) };
  return found(entry.title[lang], lang, entry, 1, answerer.kb);
}

function found(question: string, lang: Lang, entry: Entry, confidence: number, kb: KnowledgeBase): AnswerResult {
  const related = entry.related.map((id) => kb.byId.get(id)).filter((e): e is Entry => e !== undefined);
  return { kind: 'answer', question, lang, entry, confidence, related };
}

/** The main topics: shown for greetings, help and an empty question. */
export function pinned(kb: KnowledgeBase): Entry[] {
  return kb.entries.filter((entry) => entry.pinned);
}

function findByTitle(text: string, kb: KnowledgeBase): Entry | undefined {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return undefined;
  return kb.entries.find((entry) => entry.title.pl.toLowerCase() === wanted || entry.title.en.toLowerCase() === wanted);
}

function unique(entries: Entry[]): Entry[] {
  return [...new Map(entries.map((entry) => [entry.id, entry])).values()];
}
