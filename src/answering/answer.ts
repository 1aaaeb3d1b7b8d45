import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry, Lang } from '../knowledge/schema.ts';
import { buildSearchIndex, type SearchIndex } from '../search/search-index.ts';
import { resolveKeys, search, type SearchHit } from '../search/search.ts';
import type { SearchQuery } from '../search/query.ts';
import { isCompareWord, QUESTION_WORDS, SPECIFIC_INTENTS, type Intent } from './intent.ts';
import { detectLanguage } from './language.ts';
import { analyzeQuestion, type AnalyzedQuestion, type QuestionPart } from './question.ts';
import type { SmallTalk } from './small-talk.ts';
import { statementFit, verdictFor, type Verdict } from './verdict.ts';

/** Intents that, asked anywhere in a message, hold for all of it. */
const MESSAGE_WIDE_INTENTS: ReadonlySet<Intent> = new Set(['opinion', 'drawbacks', 'ranking']);

/** The longest question accepted (Discord's slash option allows the same); longer ones get a "please shorten" reply. */
export const MAX_QUESTION_LENGTH = 300;
/** Suggested topics shown with a not-found reply (one button each). */
export const MAX_SUGGESTIONS = 3;
/** At most this many entries answer one question (a compound question, a comparison). */
export const MAX_ANSWER_PARTS = 3;

/** One entry that answers (part of) a question. */
export interface AnswerPart {
  entry: Entry;
  confidence: number;
}

export type AnswerResult =
  | {
      kind: 'answer';
      question: string;
      lang: Lang;
      /** The entry that answers the question, or its first part. */
      entry: Entry;
      confidence: number;
      /** Every entry the answer uses, first one first: one for most questions. */
      parts: AnswerPart[];
      /** For a yes/no question the article settles: the yes or the no that comes first. */
      verdict?: Verdict;
      related: Entry[];
    }
  | { kind: 'not-found'; question: string; lang: Lang; suggestions: Entry[] }
  | { kind: 'small-talk'; question: string; lang: Lang; intent: SmallTalk | 'empty'; suggestions: Entry[] }
  | { kind: 'too-long'; question: string; lang: Lang; maxLength: number };

export type { Verdict };

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
  // Checked before anything reads the text, so an oversized message costs next to nothing.
  if (text.length > MAX_QUESTION_LENGTH) {
    return { kind: 'too-long', question: text, lang: options.lang ?? detectLanguage(text.slice(0, MAX_QUESTION_LENGTH)), maxLength: MAX_QUESTION_LENGTH };
  }
  return answerAnalyzed(analyzeQuestion(text), answerer, options);
}

/** The same for a question already read by `analyzeQuestion` (its length checked by the caller). */
export function answerAnalyzed(question: AnalyzedQuestion, answerer: Answerer, options: AnswerOptions = {}): AnswerResult {
  const { kb, index } = answerer;
  const text = question.raw;
  const lang = options.lang ?? question.lang;

  const direct = findByTitle(text, kb);
  if (direct) return found(text, lang, [{ entry: direct, confidence: 1 }], kb);
  if (question.smallTalk) return { kind: 'small-talk', question: text, lang, intent: question.smallTalk, suggestions: pinned(kb) };

  const { minConfidence } = index.config;
  // An opinion asked for anywhere ("…? Co o tym sądzisz?") is what the whole message wants.
  const wanted = [...question.intents].filter((intent) => MESSAGE_WIDE_INTENTS.has(intent));
  // "Streść ten artykuł", "summarize the whole text", "tl;dr": unless a topic is named, the main
  // topic is the summary, and nothing needs searching.
  if (question.intents.has('summary') && question.parts.every((part) => part.query.words.filter((word) => !word.context).length <= 1)) {
    return found(text, lang, [{ entry: mainTopic(kb), confidence: minConfidence }], kb);
  }
  const mentioned = new Set(question.words.filter((word) => index.names.has(word)));
  const ranked = question.parts.map((part) => rankPart(wanted.length > 0 ? { ...part, intents: new Set([...part.intents, ...wanted]) } : part, mentioned, index));
  if (ranked.every((hits) => hits === undefined)) return { kind: 'small-talk', question: text, lang, intent: 'empty', suggestions: pinned(kb) };

  const parts: AnswerPart[] = [];
  const answered = new Set<number>();
  let firstAnswered: QuestionPart | undefined;
  ranked.forEach((hits, i) => {
    const part = question.parts[i]!;
    let top = hits?.[0];
    // "Co to jest PKB i jak się go liczy?": a follow-up is about what its first clause asks; if
    // that could not be answered, neither can the follow-up.
    if (part.followsPart !== undefined && !answered.has(part.followsPart)) return;
    if (!hits || !top || top.confidence < minConfidence) return;
    answered.add(i);
    firstAnswered ??= part;
    // A yes/no question between entries that rank alike is about the one with a statement on it
    // ("Was BPO always about services?": the entry that says it was not, over the one on services today).
    if (part.intents.has('yesno')) top = closestStatement(top, hits, part, index);
    // A comparison or a choice names two topics: the second is what the first entry leaves unexplained.
    const comparing = part.intents.has('compare');
    if (comparing || part.intents.has('either-or')) {
      const other = secondTopic(part.query, top, index);
      // "Czym różni się audyt od controllingu?": an entry that only lists both does not compare them,
      // and "BPO a ITO" compares with something the knowledge base does not know.
      if (comparing && !other && !(top.entry.answers ?? []).includes('compare')) return;
      addPart(parts, top);
      if (other && other !== 'unknown') addPart(parts, other);
      return;
    }
    addPart(parts, top);
  });
  if (parts.length === 0) {
    if (question.intents.has('summary')) return found(text, lang, [{ entry: mainTopic(kb), confidence: minConfidence }], kb);
    // Near misses make better suggestions than the fixed main topics.
    const near = ranked.flatMap((hits) => (hits ?? []).filter((hit) => hit.confidence >= minConfidence / 2).map((hit) => hit.entry));
    const suggestions = unique([...near, ...pinned(kb)]).slice(0, MAX_SUGGESTIONS);
    return { kind: 'not-found', question: text, lang, suggestions };
  }
  // The yes or no answers the sentence that asked it, read without the story around it.
  const asked = firstAnswered!;
  const verdict = asked.intents.has('yesno') && !asked.intents.has('either-or') ? verdictFor(asked.words, parts[0]!, index) : undefined;
  return found(text, lang, parts.slice(0, MAX_ANSWER_PARTS), kb, verdict);
}

interface RankedHit extends SearchHit {
  /** The search's confidence, adjusted for whether the entry answers what kind of thing is asked. */
  confidence: number;
}

/** The entries for one part of a question, best first, with what is asked taken into account; undefined when the part has nothing to search. */
function rankPart(part: QuestionPart, mentioned: ReadonlySet<string>, index: SearchIndex): RankedHit[] | undefined {
  const outcome = search(asksForSubject(part, index) ? { words: part.query.words.filter((word) => !word.context) } : part.query, index);
  if (outcome.empty) return undefined;
  // Names count wherever the message gives them, even in "besides Coca-Cola".
  const asked = new Set([...part.query.words.map((word) => word.token), ...mentioned]);
  // "Czy Pepsi też outsourcuje…?": a name the knowledge base never mentions is what the question is
  // about, so no entry settles it, however many of its other words an entry shares.
  const unknownName = part.query.words.some((word) => word.capital && !word.context && !isKnownWord(word.token, index));
  // "Wymień usługi BPO poza kadrami i księgowością": an entry about all that is left out tells the
  // asker what they already know.
  const excluded = part.excluded.length > 0 ? resolveKeys(part.excluded.map((word) => index.keyOf(word)), part.excluded, index) : undefined;
  const hits = outcome.hits.map((hit) => {
    let confidence = fitToIntents(hit, part.intents, asked, index);
    if (unknownName) confidence *= index.config.intents.mismatch;
    if (excluded && [...excluded].every((key) => index.entries[hit.position]!.all.has(key))) confidence *= index.config.intents.shapeMismatch;
    return { ...hit, confidence: Math.round(confidence * 1000) / 1000 };
  });
  // A stable sort: between equals, the search's own order (its tie-breaks) stands.
  return hits.sort((a, b) => b.confidence - a.confidence);
}

/** Question words that ask what something is. */
const DEFINING_WORDS: ReadonlySet<string> = new Set(['co', 'czym', 'what', 'whats']);

const subjects = new WeakMap<SearchIndex, ReadonlySet<string> | undefined>();

/** The title keys of the knowledge base's main topic: what it is about. The same for an index's life, so read once. */
function subjectTitles(index: SearchIndex): ReadonlySet<string> | undefined {
  if (!subjects.has(index)) subjects.set(index, index.entries.find((indexed) => indexed.entry.id === mainTopic(index.kb).id)?.titles);
  return subjects.get(index);
}

/** What a question about the subject itself may ask: what it is, what it means, a summary. */
const SUBJECT_INTENTS: ReadonlySet<Intent> = new Set(['term', 'summary']);

/**
 * "My manager keeps saying we should go BPO for our support team… what does BPO mean?": a question
 * whose own words name only the knowledge base's subject asks what the subject is, whatever its
 * context is about ("support team" is not the topic).
 */
function asksForSubject(part: QuestionPart, index: SearchIndex): boolean {
  // A name its context lent a question with no word of its own counts only for "what is it?"
  // ("Wnuczka pracuje w BPO… co to jest?"), not for "which one?" ("w BPO jedna rzecz jest najważniejsza – która?").
  const typed = new Set(part.words);
  const lent = part.query.words.some((word) => !word.context && !typed.has(word.token));
  if (lent && !part.words.some((word) => DEFINING_WORDS.has(word))) return false;
  const own = part.query.words.filter((word) => !word.context);
  if (own.length === 0 || own.length === part.query.words.length || ![...part.intents].every((intent) => SUBJECT_INTENTS.has(intent))) return false;
  // "…przez zewnętrzną firmę – to BPO?" asks whether its context is the subject: no question word.
  if (!part.words.some((word) => QUESTION_WORDS.has(word))) return false;
  const subject = subjectTitles(index);
  return subject !== undefined && [...resolveKeys(own.map((word) => index.keyOf(word.token)), own.map((word) => word.token), index)].every((key) => subject.has(key));
}

/**
 * A question for a reason, a person, a date, an amount, a place, instructions, an opinion or
 * drawbacks is answered only by an entry that gives one: the knowledge base marks those in
 * `answers`. Elsewhere such a question shares the words of an entry but asks for a fact it lacks.
 */
function fitToIntents(hit: SearchHit, intents: ReadonlySet<Intent>, asked: ReadonlySet<string>, index: SearchIndex): number {
  const { mismatch, match, shape, shapeMismatch, termMismatch } = index.config.intents;
  const answers = new Set(hit.entry.answers ?? []);
  let confidence = hit.confidence;
  if (missesNamedTopic(hit, asked, index)) confidence *= mismatch;
  for (const intent of intents) {
    if (SPECIFIC_INTENTS.has(intent)) confidence = answers.has(intent) && !asksForAnother(intent, hit, asked, index) ? confidence + match : confidence * mismatch;
    else if (answers.has(intent)) confidence += shape;
    else if (intent === 'list' || intent === 'example') confidence *= shapeMismatch;
    // "Co oznacza kontroling?": an entry that names a term without defining it does not answer.
    else if (intent === 'term') confidence *= termMismatch;
  }
  return Math.min(1, Math.round(confidence * 1000) / 1000);
}

/**
 * "Which firms did Coca-Cola outsource to?": the entry's answer to "who" is the name the question
 * already gives, so the question asks for someone else, whom the entry does not name.
 */
/** A question naming a name the knowledge base knows ("Coca-Cola") is about it: an entry that does not mention the name does not answer it. */
function missesNamedTopic(hit: SearchHit, asked: ReadonlySet<string>, index: SearchIndex): boolean {
  const { names } = index.entries[hit.position]!;
  for (const word of asked) if (index.names.has(word) && !names.has(word)) return true;
  return false;
}

function asksForAnother(intent: Intent, hit: SearchHit, asked: ReadonlySet<string>, index: SearchIndex): boolean {
  if (intent !== 'who') return false;
  const { names } = index.entries[hit.position]!;
  for (const name of names) if (index.names.has(name) && asked.has(name)) return true;
  return false;
}

/**
 * A yes/no question between entries that rank alike is about the one with a statement on it ("Was
 * BPO always about services?": the entry that says it was not, over the one on services today).
 */
function closestStatement(top: RankedHit, hits: readonly RankedHit[], part: QuestionPart, index: SearchIndex): RankedHit {
  const { tieMargin, statementMatch, margin } = index.config.verdict;
  const close = hits.filter((hit) => top.confidence - hit.confidence <= tieMargin);
  if (close.length < 2) return top;
  const fits = close.map((hit) => statementFit(part.words, hit.entry.id, index));
  const best = fits.indexOf(Math.max(...fits));
  return best > 0 && fits[best]! >= statementMatch && fits[best]! > fits[0]! + margin ? close[best]! : top;
}

/**
 * The entry for what `first` leaves unexplained of a comparison ("back-office" vs "front-office"),
 * or "unknown" when what is left is words the knowledge base does not know ("BPO a ITO").
 */
function secondTopic(query: SearchQuery, first: SearchHit, index: SearchIndex): SearchHit | 'unknown' | undefined {
  const explained = index.entries[first.position]!.all;
  // Each word read as the search reads it, typos included ("btween" is "between").
  const rest = query.words.filter((word) => !word.context && !isCompareWord(word.token) && ![...keysOfWord(word.token, index)].some((key) => explained.has(key)));
  if (rest.length === 0) return undefined;
  const outcome = search({ words: rest }, index);
  const top = outcome.hits.find((hit) => hit.entry.id !== first.entry.id);
  if (top && top.confidence >= index.config.minConfidence && top.explained >= index.config.intents.secondTopicExplained) return top;
  return rest.some((word) => !isKnownWord(word.token, index)) ? 'unknown' : undefined;
}

/** The vocabulary keys one word stands for, read as the search reads it (typos included: "btween" is "between"). */
function keysOfWord(token: string, index: SearchIndex): Set<string> {
  return resolveKeys([index.keyOf(token)], [token], index);
}

/** Whether the knowledge base knows a word, as typed or through a slip. */
function isKnownWord(token: string, index: SearchIndex): boolean {
  return [...keysOfWord(token, index)].some((key) => index.idf.has(key));
}

function addPart(parts: AnswerPart[], hit: { entry: Entry; confidence: number }): void {
  if (parts.some((part) => part.entry.id === hit.entry.id)) return;
  parts.push({ entry: hit.entry, confidence: hit.confidence });
}

/** The answer to a topic chosen from a button or an autocomplete choice. */
export function answerById(id: string, answerer: Answerer, lang: Lang): AnswerResult {
  const entry = answerer.kb.byId.get(id);
  if (!entry) return { kind: 'not-found', question: id, lang, suggestions: pinned(answerer.kb).slice(0, MAX_SUGGESTIONS) };
  return found(entry.title[lang], lang, [{ entry, confidence: 1 }], answerer.kb);
}

function found(question: string, lang: Lang, parts: AnswerPart[], kb: KnowledgeBase, verdict?: Verdict): AnswerResult {
  const [first] = parts as [AnswerPart, ...AnswerPart[]];
  const inAnswer = new Set(parts.map((part) => part.entry.id));
  const related = unique(parts.flatMap((part) => part.entry.related.map((id) => kb.byId.get(id)).filter((e): e is Entry => e !== undefined)))
    .filter((entry) => !inAnswer.has(entry.id))
    .slice(0, MAX_SUGGESTIONS);
  return {
    kind: 'answer',
    question,
    lang,
    entry: first.entry,
    confidence: Math.min(...parts.map((part) => part.confidence)),
    parts,
    ...(verdict ? { verdict } : {}),
    related,
  };
}

/** The main topics: shown for greetings, help and an empty question. */
export function pinned(kb: KnowledgeBase): Entry[] {
  return kb.entries.filter((entry) => entry.pinned);
}

/** What the knowledge base is about first of all: its first main topic. */
function mainTopic(kb: KnowledgeBase): Entry {
  return pinned(kb)[0] ?? kb.entries[0]!;
}

function findByTitle(text: string, kb: KnowledgeBase): Entry | undefined {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return undefined;
  return kb.entries.find((entry) => entry.title.pl.toLowerCase() === wanted || entry.title.en.toLowerCase() === wanted);
}

function unique(entries: Entry[]): Entry[] {
  return [...new Map(entries.map((entry) => [entry.id, entry])).values()];
}
