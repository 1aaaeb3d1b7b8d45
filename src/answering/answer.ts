import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry, Lang } from '../knowledge/schema.ts';
import type { ServerEntry } from '../server-knowledge/entry.ts';
import { asksYesOrNo, readTopics, SMALL_TALK_LABEL, THANKS_LABEL, yesProbability, type Reader, type TopicScore } from '../reader/reader.ts';
import { ANSWER_CONFIG } from './config.ts';
import { MAX_QUESTION_LENGTH, readQuestion, replyLanguage, type ReadQuestion } from './question.ts';

export { MAX_QUESTION_LENGTH, readQuestion, type ReadQuestion };
/** Suggested topics shown with a not-found reply (one button each). */
export const MAX_SUGGESTIONS = 3;
/** At most this many entries answer one message. */
export const MAX_PARTS = 3;

/** One entry that answers (part of) a question. */
export interface AnswerPart {
  entry: Entry;
  confidence: number;
}

export type Verdict = 'yes' | 'no';

/** What a message that asks nothing of the article is: a greeting (or other small talk), thanks, a request for help, or nothing at all. */
export type SmallTalkIntent = 'greeting' | 'thanks' | 'help' | 'empty';

export type AnswerResult =
  | {
      kind: 'answer';
      question: string;
      lang: Lang;
      /** The entry that answers the question, or its first part. */
      entry: Entry;
      /**
       * How sure the reader is that the answer is what was asked: the share of the message its
       * entries (and the entries quoting the same sentences) hold together, and for an answer
       * from clauses, the least sure clause.
       */
      confidence: number;
      /** Every entry the answer uses, first one first: one for most questions, two for a compound one. */
      parts: AnswerPart[];
      /** For a yes/no question the article settles: the yes or the no that comes first. */
      verdict?: Verdict;
      related: Entry[];
    }
  /** One of the server's own entries answers better than the article: shown as that server's knowledge, with no quote. */
  | { kind: 'server-answer'; question: string; lang: Lang; entry: ServerEntry; confidence: number }
  | { kind: 'not-found'; question: string; lang: Lang; suggestions: Entry[] }
  | { kind: 'small-talk'; question: string; lang: Lang; intent: SmallTalkIntent; suggestions: Entry[] }
  | { kind: 'too-long'; question: string; lang: Lang; maxLength: number };

export interface AnswerOptions {
  /** Language to answer in (from the user's Discord locale) unless the message asks for another; the question's own when absent. */
  lang?: Lang;
  /** The answer this message follows in a conversation: it is then read in its light ("a front office?"). */
  after?: Conversation;
}

/** What a conversation carries from one answer to the next message: the entry answered, and in which language. */
export interface Conversation {
  entryId: string;
  lang: Lang;
}

/** The conversation an answer leaves for the next message: its first entry, when it is an answer. */
export function conversationAfter(result: AnswerResult): Conversation | undefined {
  return result.kind === 'answer' ? { entryId: result.entry.id, lang: result.lang } : undefined;
}

/** What the answering pipeline works on: the knowledge base and the reader trained from it. */
export interface Answerer {
  kb: KnowledgeBase;
  reader: Reader;
}

export function createAnswerer(kb: KnowledgeBase, reader: Reader): Answerer {
  return { kb, reader };
}

/**
 * From a question to a result: a text, or a question `readQuestion` already read for this answerer
 * (read with the same `after`), so that a caller who needed its language first reads it only once.
 * Pure and synchronous; never throws on any string.
 */
export function answer(question: string | ReadQuestion, answerer: Answerer, options: AnswerOptions = {}): AnswerResult {
  const after = knownConversation(options.after, answerer.kb);
  const read =
    typeof question === 'object' && question !== null
      ? question
      : readQuestion(typeof question === 'string' ? question : '', answerer.reader, after ? { after } : {});
  if (read.tooLong) return { kind: 'too-long', question: read.raw, lang: options.lang ?? read.lang, maxLength: MAX_QUESTION_LENGTH };
  return answerRead(read, answerer, options, after);
}

/** A context from an older knowledge base may name an entry that is gone: the message then stands alone. */
export function knownConversation(after: Conversation | undefined, kb: KnowledgeBase): Conversation | undefined {
  return after && kb.byId.has(after.entryId) ? after : undefined;
}

/** The same for a question already read by `readQuestion` and not too long. */
function answerRead(question: ReadQuestion, answerer: Answerer, options: AnswerOptions, after: Conversation | undefined): AnswerResult {
  const { kb, reader } = answerer;
  const text = question.raw;
  const lang = replyLanguage(question, options.lang);
  const titled = findByTitle(text, kb);
  if (titled) return found(text, lang, [{ entry: titled, confidence: 1 }], kb);
  if (question.help) return { kind: 'small-talk', question: text, lang, intent: 'help', suggestions: pinned(kb) };
  if (question.topics.length === 0) return { kind: 'small-talk', question: text, lang, intent: 'empty', suggestions: pinned(kb) };

  const entries = question.topics.filter((topic) => kb.byId.has(topic.label));
  const [first, second] = entries;
  const parts: AnswerPart[] = [];
  const share = first === undefined ? 0 : quoteShare(first, entries, kb);
  const sure = share >= ANSWER_CONFIG.minConfidence;
  if (first && sure) {
    parts.push(partOf(first, kb));
    // "Czym różni się front office od back office?": the reader gives both entries their share of the message…
    if (second && second.probability >= ANSWER_CONFIG.secondPart && second.probability >= ANSWER_CONFIG.secondPartShare * first.probability) parts.push(partOf(second, kb));
  }
  const fromWhole = parts.length;
  // How surely the whole message asks for the parts it gives: their shares of it together.
  const wholeShare = fromWhole === 0 ? 1 : Math.min(1, share + (fromWhole > 1 ? second!.probability : 0));
  // …and "Co to jest back office i dlaczego się go zleca?" asks two questions, each read on its
  // own, as each side of a comparison is. A side the answer already quotes from an entry that
  // compares ("back office vs front office") adds nothing.
  for (const clause of question.clauses) {
    const [best] = clause.topics;
    if (parts.length >= MAX_PARTS || !best || !kb.byId.has(best.label) || best.probability < (question.sides ? ANSWER_CONFIG.side : ANSWER_CONFIG.clause)) continue;
    const entry = kb.byId.get(best.label)!;
    const covered = parts.some((part) => part.entry.id === entry.id || (quotesOf(part.entry).length > 1 && quotesOf(entry).every((quote) => quotesOf(part.entry).includes(quote))));
    if (!covered) parts.push(partOf(best, kb));
  }
  // Unsure of the whole, the clauses answer only if they are two questions each sure of its own.
  if (parts.length === 1 && !sure) parts.pop();
  if (parts.length === 0) {
    const { label } = question.topics[0]!;
    if (label === SMALL_TALK_LABEL) return { kind: 'small-talk', question: text, lang, intent: 'greeting', suggestions: pinned(kb) };
    // Thanks need no topics offered: the asker is done.
    if (label === THANKS_LABEL) return { kind: 'small-talk', question: text, lang, intent: 'thanks', suggestions: [] };
    // Near misses make better suggestions than the fixed main topics.
    const near = entries.filter((topic) => topic.probability >= ANSWER_CONFIG.suggestion).map((topic) => kb.byId.get(topic.label)!);
    return { kind: 'not-found', question: text, lang, suggestions: unique([...near, ...pinned(kb)]).slice(0, MAX_SUGGESTIONS) };
  }
  const confidence = Math.min(wholeShare, ...parts.slice(fromWhole).map((part) => part.confidence));
  // The part a yes or no answers comes first; otherwise a compound question is answered in the
  // order it asks ("Co to jest X i dlaczego Y?": X first), each part after the clause that gives
  // its entry the most.
  const settled = verdictOf(question, parts, reader);
  if (settled) parts.sort((a, b) => +(b.entry.id === settled.entryId) - +(a.entry.id === settled.entryId));
  else if (question.clauses.length > 1) parts.sort((a, b) => askedIn(question, a) - askedIn(question, b));
  else if (question.asksForMore && parts.length === 1 && parts[0]!.entry.id === after?.entryId) {
    // "Can you elaborate?" would otherwise get the answer it follows word for word again: what
    // that entry links to first, from a sentence it does not quote, comes with it.
    const next = nextEntry(parts[0]!.entry, kb);
    if (next) parts.push({ entry: next, confidence: parts[0]!.confidence });
  }
  return found(text, lang, parts, kb, settled?.verdict, Math.round(confidence * 1000) / 1000);
}

/** The first entry an entry links to that quotes a sentence it does not. */
function nextEntry(entry: Entry, kb: KnowledgeBase): Entry | undefined {
  const quoted = quotesOf(entry);
  return entry.related.map((id) => kb.byId.get(id)).find((other): other is Entry => other !== undefined && quotesOf(other).some((quote) => !quoted.includes(quote)));
}

/** The clause of a compound question that gives a part's entry the highest probability (the first, on a tie). */
function askedIn(question: ReadQuestion, part: AnswerPart): number {
  let clause = 0;
  let highest = -1;
  question.clauses.forEach(({ topics }, i) => {
    const probability = topics.find((score) => score.label === part.entry.id)?.probability ?? 0;
    if (probability > highest) [clause, highest] = [i, probability];
  });
  return clause;
}

/**
 * Yes or no first, for a yes/no question the article settles and the reader is all but sure of,
 * with the entry it answers; the claim is read only for a yes/no question. In a message of several
 * questions ("what's back office and can it be done away from the main office?") the claim is
 * that of the clause that most asks yes or no, about that clause's own entry; otherwise the whole
 * message's, about the entry it is surest of.
 */
function verdictOf(question: ReadQuestion, parts: readonly AnswerPart[], reader: Reader): { verdict: Verdict; entryId: string } | undefined {
  let message = question.message;
  let entryId = parts[0]!.entry.id;
  let asks: number;
  if (question.clauses.length > 1 && !question.sides) {
    const asking = question.clauses.map((clause) => asksYesOrNo(reader, clause.message));
    asks = Math.max(...asking);
    const clause = question.clauses[asking.indexOf(asks)]!;
    const best = clause.topics[0]!;
    if (!parts.some((part) => part.entry.id === best.label)) return undefined;
    message = clause.message;
    entryId = best.label;
  } else {
    // "My boss keeps talking about costs. Why are they going up?" asks why, however its story reads;
    // "Szwagier mówi, że BPO to tylko fabryki. Czy to prawda?" asks yes or no about the story's claim.
    asks = asksYesOrNo(reader, question.asking ?? message);
    // "Kolega twierdzi, że to nie ma nic wspólnego z BPO. Czy kadry to BPO?" states its own claim
    // in the asking sentence, which names the entry by itself: the story's claim (and its "nie") is
    // not the one asked about. "Szef twierdzi, że X. Ma rację?" names nothing: the story is the claim.
    if (asks >= ANSWER_CONFIG.yesOrNo && question.asking && readTopics(reader, question.asking)[0]?.label === entryId) message = question.asking;
  }
  if (asks < ANSWER_CONFIG.yesOrNo) return undefined;
  const yes = yesProbability(reader, message, question.lang, entryId);
  const verdict = yes >= ANSWER_CONFIG.verdict ? 'yes' : 1 - yes >= ANSWER_CONFIG.verdict ? 'no' : undefined;
  return verdict && { verdict, entryId };
}

/**
 * How likely the answer's quote is the right one: the probability of the entry and of every entry
 * quoting a sentence it quotes. "Front or back office?" is answered from the same sentences by
 * three entries, and the reader may share its certainty among them.
 */
function quoteShare(topic: TopicScore, entries: readonly TopicScore[], kb: KnowledgeBase): number {
  const sharing = entriesSharingQuotes(kb.byId.get(topic.label)!, kb);
  let share = 0;
  for (const other of entries) if (sharing.has(other.label)) share += other.probability;
  return share;
}

const sharingByEntry = new WeakMap<Entry, ReadonlySet<string>>();

/** The ids of the entries quoting a sentence an entry quotes (itself included), worked out once per entry. */
function entriesSharingQuotes(entry: Entry, kb: KnowledgeBase): ReadonlySet<string> {
  let sharing = sharingByEntry.get(entry);
  if (!sharing) {
    const quotes = quotesOf(entry);
    sharingByEntry.set(entry, (sharing = new Set(kb.entries.filter((other) => quotesOf(other).some((quote) => quotes.includes(quote))).map((other) => other.id))));
  }
  return sharing;
}

const quotesByEntry = new WeakMap<Entry, readonly string[]>();

/** An entry's quotes, worked out once per entry. */
function quotesOf(entry: Entry): readonly string[] {
  let quotes = quotesByEntry.get(entry);
  if (!quotes) quotesByEntry.set(entry, (quotes = [entry.quote, ...(entry.moreQuotes ?? []).map((more) => more.quote)]));
  return quotes;
}

function partOf(topic: TopicScore, kb: KnowledgeBase): AnswerPart {
  return { entry: kb.byId.get(topic.label)!, confidence: Math.round(topic.probability * 1000) / 1000 };
}

/** The answer to a topic chosen from a button or an autocomplete choice. */
export function answerById(id: string, answerer: Answerer, lang: Lang): AnswerResult {
  const entry = answerer.kb.byId.get(id);
  if (!entry) return { kind: 'not-found', question: id, lang, suggestions: pinned(answerer.kb).slice(0, MAX_SUGGESTIONS) };
  return found(entry.title[lang], lang, [{ entry, confidence: 1 }], answerer.kb);
}

function found(question: string, lang: Lang, parts: AnswerPart[], kb: KnowledgeBase, verdict?: Verdict, confidence = 1): AnswerResult {
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
    confidence,
    parts,
    ...(verdict ? { verdict } : {}),
    related,
  };
}

/** The main topics: shown for greetings, help and an empty question. */
export function pinned(kb: KnowledgeBase): Entry[] {
  return kb.entries.filter((entry) => entry.pinned);
}

const titlesByBase = new WeakMap<KnowledgeBase, ReadonlyMap<string, Entry>>();

/** The entry whose title a text is (what autocomplete submits), by titles lower-cased once per base. */
function findByTitle(text: string, kb: KnowledgeBase): Entry | undefined {
  let titles = titlesByBase.get(kb);
  if (!titles) {
    const byTitle = new Map<string, Entry>();
    for (const entry of [...kb.entries].reverse()) for (const title of [entry.title.en, entry.title.pl]) byTitle.set(title.toLowerCase(), entry);
    titlesByBase.set(kb, (titles = byTitle));
  }
  return titles.get(text.trim().toLowerCase());
}

function unique(entries: Entry[]): Entry[] {
  return [...new Map(entries.map((entry) => [entry.id, entry])).values()];
}

/** A server's own entry matched for a question, with how surely (0..1). */
export interface ServerEntryMatch {
  entry: ServerEntry;
  confidence: number;
}

/**
 * The article's answer and the server's own best entry, ranked together: the server's entry wins
 * where the article has no answer, or matches less surely than it. Too long stays too long.
 */
export function rankWithServerEntry(result: AnswerResult, match: ServerEntryMatch | undefined): AnswerResult {
  if (!match || result.kind === 'too-long') return result;
  if (result.kind === 'answer' && result.confidence >= match.confidence) return result;
  return { kind: 'server-answer', question: result.question, lang: result.lang, entry: match.entry, confidence: match.confidence };
}
