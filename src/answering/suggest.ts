import type { Entry, Lang } from '../knowledge/schema.ts';
import { readMessage, readTopics } from '../reader/reader.ts';
import { foldText, messageWords } from '../reader/words.ts';
import type { Answerer } from './answer.ts';

/** Entries the reader gives less than this are not suggested: the list ends where relevance does. */
const MIN_SUGGESTED = 0.01;

export interface Topic {
  id: string;
  title: string;
}

/**
 * Topics for a partly typed question, in tiers: titles that start with it, titles that contain it,
 * then the reader's ranking (so typos, other words and the other language still suggest
 * something). Empty input lists the main topics first.
 */
export function suggest(prefix: string, answerer: Answerer, lang: Lang, limit = 25): Topic[] {
  const typed = foldText(typeof prefix === 'string' ? prefix : '');
  const entries = answerer.kb.entries;
  const title = (entry: Entry) => foldText(entry.title[lang]);
  let ranked: Entry[];
  if (typed === '') {
    ranked = [...entries.filter((e) => e.pinned), ...entries.filter((e) => !e.pinned)];
  } else {
    const starts = entries.filter((e) => title(e).startsWith(typed));
    const contains = entries.filter((e) => title(e).includes(typed));
    const read = readTopics(answerer.reader, readMessage(answerer.reader, messageWords(prefix)))
      .filter((topic) => topic.probability >= MIN_SUGGESTED)
      .map((topic) => answerer.kb.byId.get(topic.label))
      .filter((entry): entry is Entry => entry !== undefined);
    ranked = [...starts, ...contains, ...read];
  }
  const seen = new Set<string>();
  const topics: Topic[] = [];
  for (const entry of ranked) {
    if (topics.length >= limit) break;
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    topics.push({ id: entry.id, title: entry.title[lang] });
  }
  return topics;
}
