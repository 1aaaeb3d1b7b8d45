import type { Entry, Lang } from '../knowledge/schema.ts';
import { foldText } from '../search/normalize.ts';
import { search } from '../search/search.ts';
import type { Answerer } from './answer.ts';

export interface Topic {
  id: string;
  title: string;
}

/**
 * Topics for a partly typed question, in tiers: titles that start with it, titles that contain it,
 * then the search ranking (so typos and inflected words still suggest something). Empty input
 * lists the main topics first.
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
    const searched = search(typed, answerer.index).hits.map((hit) => hit.entry);
    ranked = [...starts, ...contains, ...searched];
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
