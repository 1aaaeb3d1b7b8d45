/**
 * What the knowledge base's keepers need to see from the stored feedback: totals and answer rates,
 * the most frequent unanswered questions, the entries voted down, and suggested alternate
 * questions, each with the entry the reader ranks closest (as in Azure's active learning).
 * Questions are grouped by their folded words, so spellings of one question are one group.
 */
import type { Answerer } from '../answering/answer.ts';
import { ANSWER_CONFIG } from '../answering/config.ts';
import type { Lang } from '../knowledge/schema.ts';
import { readMessage, readTopics } from '../reader/reader.ts';
import { foldText, messageWords } from '../reader/words.ts';
import type { DownVotedText, FeedbackReader, RateRow, TextCount } from './store.ts';

export interface Rate {
  key: string;
  questions: number;
  answered: number;
  notFound: number;
  /** answered ÷ (answered + not found): of the questions the bot tried, the share it answered; null with none. */
  answerRate: number | null;
}

export interface QuestionGroup {
  /** The most frequent text of the group, as asked. */
  question: string;
  count: number;
  /** How many different texts the group holds ("jaka będzie pogoda", "jaka bedzie pogoda?"…). */
  variants: number;
  lang: Lang;
}

export interface EntryFeedback {
  id: string;
  /** The entry's title, or null when it has left the knowledge base. */
  title: string | null;
  up: number;
  down: number;
  /** The questions behind the 👎 votes, grouped. */
  downQuestions: QuestionGroup[];
}

/** A server's own entry (`server:<id>`, /wiedza) and the questions it answered. */
export interface ServerEntryUse {
  id: string;
  count: number;
  questions: QuestionGroup[];
}

export interface Suggestion extends QuestionGroup {
  /** The entry the reader ranks closest, and its confidence (0..1; usually below the answer threshold). */
  entryId: string;
  entryTitle: string;
  confidence: number;
  /** Whether the group was not answered, or answered and voted down (then the closest other entry is suggested). */
  from: 'unanswered' | 'down';
}

export interface Report {
  period: { days: number; from: string; to: string };
  totals: { questions: number; answered: number; answeredByServers: number; notFound: number; up: number; down: number; askers: number };
  rates: { byLang: Rate[]; byVia: Rate[] };
  unanswered: QuestionGroup[];
  entries: EntryFeedback[];
  /** Servers' own entries, most used first. */
  serverEntries: ServerEntryUse[];
  suggestions: Suggestion[];
  /** The answer threshold, for reading the suggestions' confidences (a suggestion needs at least half of it). */
  minConfidence: number;
}

export interface ReportOptions {
  days: number;
  /** Unix milliseconds; the period ends here. */
  now?: number;
  /** The longest any list gets. */
  top?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_REPORT_DAYS = 30;
export const DEFAULT_REPORT_TOP = 20;
/** Questions listed under each voted-down entry. */
const DOWN_QUESTIONS_PER_ENTRY = 5;

export async function buildReport(reader: FeedbackReader, answerer: Answerer, { days, now = Date.now(), top = DEFAULT_REPORT_TOP }: ReportOptions): Promise<Report> {
  const since = now - days * DAY_MS;
  const title = (id: string) => answerer.kb.byId.get(id)?.title.pl ?? null;
  // Asked together: on PostgreSQL the queries run side by side.
  const [totals, byLang, byVia, unansweredTexts, downVotedTexts, entryVotes, serverAnsweredTexts] = await Promise.all([
    reader.totals(since),
    reader.ratesBy('lang', since),
    reader.ratesBy('via', since),
    reader.unansweredTexts(since),
    reader.downVotedTexts(since),
    reader.entryVotes(since),
    reader.serverAnsweredTexts(since),
  ]);

  const unanswered = groupQuestions(unansweredTexts);
  const downByEntry = new Map<string, TextCount[]>();
  for (const row of downVotedTexts) {
    const list = downByEntry.get(row.entryId) ?? [];
    list.push(row);
    downByEntry.set(row.entryId, list);
  }
  const entries = entryVotes
    .slice(0, top)
    .map((votes) => ({
      id: votes.entryId,
      title: title(votes.entryId),
      up: votes.up,
      down: votes.down,
      downQuestions: groupQuestions(downByEntry.get(votes.entryId) ?? []).slice(0, DOWN_QUESTIONS_PER_ENTRY),
    }));

  // A suggestion needs an entry at least half-way to the answer threshold: below it the closest
  // entry is chance ("center a div" → call centers). A question that already is an example of the
  // corpus needs a better answer or a retrained model, not another example (and kb:learn would
  // refuse it as a duplicate).
  const floor = ANSWER_CONFIG.minConfidence / 2;
  const known = knownPhrasings(answerer);
  const suggestible = (group: QuestionGroup, hit: ReturnType<typeof closestEntry>): hit is NonNullable<typeof hit> =>
    hit !== undefined && hit.confidence >= floor && !known.has(foldText(group.question));
  const suggestions: Suggestion[] = [];
  for (const group of unanswered) {
    const hit = closestEntry(group.question, answerer);
    if (suggestible(group, hit)) suggestions.push({ ...group, ...hit, from: 'unanswered' });
  }
  for (const [entryId, texts] of downByEntry) {
    for (const group of groupQuestions(texts)) {
      // The user said this entry was the wrong answer: the suggestion is the closest other one.
      const hit = closestEntry(group.question, answerer, entryId);
      if (suggestible(group, hit)) suggestions.push({ ...group, ...hit, from: 'down' });
    }
  }
  suggestions.sort((a, b) => b.count - a.count || b.confidence - a.confidence || a.question.localeCompare(b.question));

  return {
    period: { days, from: new Date(since).toISOString(), to: new Date(now).toISOString() },
    totals,
    rates: { byLang: byLang.map(withRate), byVia: byVia.map(withRate) },
    unanswered: unanswered.slice(0, top),
    entries,
    serverEntries: usePerServerEntry(serverAnsweredTexts).slice(0, top),
    suggestions: suggestions.slice(0, top),
    minConfidence: ANSWER_CONFIG.minConfidence,
  };
}

/** How often each server's own entry answered, most used first, with the questions it answered. */
function usePerServerEntry(rows: readonly DownVotedText[]): ServerEntryUse[] {
  const byEntry = new Map<string, TextCount[]>();
  for (const row of rows) byEntry.set(row.entryId, [...(byEntry.get(row.entryId) ?? []), row]);
  return [...byEntry]
    .map(([id, texts]) => ({ id, count: texts.reduce((sum, text) => sum + text.count, 0), questions: groupQuestions(texts).slice(0, DOWN_QUESTIONS_PER_ENTRY) }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function withRate(row: RateRow): Rate {
  const tried = row.answered + row.notFound;
  return { ...row, answerRate: tried === 0 ? null : row.answered / tried };
}

/**
 * The key questions are grouped by: their distinct folded words, sorted, so that word order,
 * case, diacritics, punctuation and repeated words do not split a group.
 */
export function questionGroupKey(question: string): string {
  return [...new Set(messageWords(question).filter((word) => word !== '?'))].sort().join(' ');
}

/** Exact texts with their counts, grouped by questionGroupKey; most frequent group first. */
export function groupQuestions(texts: readonly TextCount[]): QuestionGroup[] {
  const groups = new Map<string, { count: number; texts: Map<string, number>; langs: Map<string, Map<string, number>> }>();
  for (const { question, lang, count } of texts) {
    const key = questionGroupKey(question);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { count: 0, texts: new Map(), langs: new Map() }));
    group.count += count;
    group.texts.set(question, (group.texts.get(question) ?? 0) + count);
    const langs = group.langs.get(question) ?? new Map<string, number>();
    langs.set(lang, (langs.get(lang) ?? 0) + count);
    group.langs.set(question, langs);
  }
  return [...groups.values()]
    .map((group) => {
      const question = mostFrequent(group.texts);
      // The language the representative text was answered in (a group may mix "What is BPO?" and "Co to jest BPO?").
      const lang = mostFrequent(group.langs.get(question) ?? new Map());
      return { question, count: group.count, variants: group.texts.size, lang: lang === 'en' ? ('en' as const) : ('pl' as const) };
    })
    .sort((a, b) => b.count - a.count || a.question.localeCompare(b.question));
}

/** Every title and in-scope example of the knowledge base (loaded with its examples), folded. */
export function knownPhrasings(answerer: Answerer): Set<string> {
  const { entries, corpus } = answerer.kb;
  return new Set([...entries.flatMap((entry) => [entry.title.pl, entry.title.en]), ...corpus.examples.filter((example) => example.entry !== null).map((example) => example.text)].map(foldText));
}

/** The most frequent key; ties go to the shorter, then the alphabetically first, so reports are stable. */
function mostFrequent(counts: ReadonlyMap<string, number>): string {
  let best: [string, number] | undefined;
  for (const entry of counts) {
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && (entry[0].length < best[0].length || (entry[0].length === best[0].length && entry[0] < best[0])))) best = entry;
  }
  return best?.[0] ?? '';
}

/** The entry the reader ranks first for a question (other than `except`), with its probability; below-threshold ones count. */
function closestEntry(question: string, answerer: Answerer, except?: string): { entryId: string; entryTitle: string; confidence: number } | undefined {
  const topic = readTopics(answerer.reader, readMessage(answerer.reader, messageWords(question))).find((candidate) => candidate.label !== except && answerer.kb.byId.has(candidate.label));
  const entry = topic && answerer.kb.byId.get(topic.label);
  return entry ? { entryId: entry.id, entryTitle: entry.title.pl, confidence: Math.round(topic.probability * 1000) / 1000 } : undefined;
}
