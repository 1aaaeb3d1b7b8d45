import type { AnswerResult } from '../answering/answer.ts';
import type { Topic } from '../answering/suggest.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry, Lang } from '../knowledge/schema.ts';
import { MESSAGES } from './messages.ts';

/** One sentence (or two) of the article, verbatim, and where it stands. */
export interface Quote {
  quote: string;
  paragraph: number;
}

export interface Attribution {
  /** The article's sentence, verbatim (never translated, never corrected): the first of `quotes`. */
  quote: string;
  articleTitle: string;
  paragraph: number;
  /** Every quote the answer rests on, in the order of its parts; together within MAX_QUOTED_LENGTH. */
  quotes: Quote[];
  /** Where the article says its facts come from ("Wikipedia"). */
  source: string;
  url: string;
  /** True when the answer is an English translation of the Polish article. */
  translated: boolean;
}

/** A platform-neutral answer: the renderers turn it into terminal text, JSON or a Discord message. */
export interface Reply {
  kind: AnswerResult['kind'];
  lang: Lang;
  entryId: string | null;
  title: string;
  body: string;
  attribution: Attribution | null;
  related: Topic[];
  suggestions: Topic[];
  /** 0..1 for answers, null otherwise. */
  confidence: number | null;
  /** For a server's own entry (no article quote): when it was last written. */
  serverEntry: { updatedAt: number } | null;
}

/** How a server's own entry is named in replies, logs and the report: never a bare id an article entry could have. */
export function serverEntryRef(id: string): string {
  return `server:${id}`;
}

export function toReply(result: AnswerResult, kb: KnowledgeBase): Reply {
  const { lang } = result;
  const text = MESSAGES[lang];
  const topics = (entries: Entry[]) => entries.map((entry) => ({ id: entry.id, title: entry.title[lang] }));
  const base = { lang, entryId: null, attribution: null, related: [], suggestions: [], confidence: null, serverEntry: null };
  switch (result.kind) {
    case 'answer': {
      const { entry, parts } = result;
      const quotes = quotesOf(parts.map((part) => part.entry));
      const answers = parts.map((part) => part.entry.answer[lang]).join('\n\n');
      return {
        ...base,
        kind: 'answer',
        entryId: entry.id,
        title: parts.map((part) => part.entry.title[lang]).join(' · '),
        body: result.verdict ? `${text.verdict[result.verdict]} ${answers}` : answers,
        attribution: {
          quote: quotes[0]!.quote,
          articleTitle: kb.article.title,
          paragraph: quotes[0]!.paragraph,
          quotes,
          source: kb.article.source,
          url: kb.article.url,
          translated: lang !== 'pl',
        },
        related: topics(result.related),
        confidence: result.confidence,
      };
    }
    case 'server-answer':
      return {
        ...base,
        kind: 'server-answer',
        entryId: serverEntryRef(result.entry.id),
        title: result.entry.question,
        body: result.entry.answer,
        confidence: result.confidence,
        serverEntry: { updatedAt: result.entry.updatedAt },
      };
    case 'not-found':
      return { ...base, kind: 'not-found', title: text.notFoundTitle, body: text.notFound, suggestions: topics(result.suggestions) };
    case 'small-talk': {
      const said = {
        greeting: { title: text.greetingTitle, body: text.greeting },
        thanks: { title: text.thanksTitle, body: text.thanks },
        help: { title: text.helpTitle, body: text.help },
        empty: { title: text.helpTitle, body: text.help },
      }[result.intent];
      return { ...base, kind: 'small-talk', ...said, suggestions: topics(result.suggestions) };
    }
    case 'too-long':
      return { ...base, kind: 'too-long', title: text.tooLongTitle, body: text.tooLong(result.maxLength) };
  }
}

/** What all quotes of one answer may add up to, so the source always fits beside the answer. */
export const MAX_QUOTED_LENGTH = 520;

/** The entries' quotes in order, each once, as many as fit in MAX_QUOTED_LENGTH (the first always does). */
function quotesOf(entries: Entry[]): Quote[] {
  const quotes: Quote[] = [];
  let length = 0;
  for (const entry of entries) {
    for (const quote of [{ quote: entry.quote, paragraph: entry.paragraph }, ...(entry.moreQuotes ?? [])]) {
      if (quotes.some((q) => q.quote === quote.quote || q.quote.includes(quote.quote))) continue;
      if (quotes.length > 0 && length + quote.quote.length > MAX_QUOTED_LENGTH) continue;
      quotes.push(quote);
      length += quote.quote.length;
    }
  }
  return quotes;
}
