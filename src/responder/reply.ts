import type { AnswerResult } from '../answering/answer.ts';
import type { Topic } from '../answering/suggest.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Entry, Lang } from '../knowledge/schema.ts';
import { MESSAGES } from './messages.ts';

export interface Attribution {
  /** The article's sentence, verbatim (never translated, never corrected). */
  quote: string;
  articleTitle: string;
  paragraph: number;
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
}

export function toReply(result: AnswerResult, kb: KnowledgeBase): Reply {
  const { lang } = result;
  const text = MESSAGES[lang];
  const topics = (entries: Entry[]) => entries.map((entry) => ({ id: entry.id, title: entry.title[lang] }));
  const base = { lang, entryId: null, attribution: null, related: [], suggestions: [], confidence: null };
  switch (result.kind) {
    case 'answer': {
      const { entry } = result;
      return {
        ...base,
        kind: 'answer',
        entryId: entry.id,
        title: entry.title[lang],
        body: entry.answer[lang],
        attribution: {
          quote: entry.quote,
          articleTitle: kb.article.title,
          paragraph: entry.paragraph,
          source: kb.article.source,
          url: kb.article.url,
          translated: lang !== 'pl',
        },
        related: topics(result.related),
        confidence: result.confidence,
      };
    }
    case 'not-found':
      return { ...base, kind: 'not-found', title: text.notFoundTitle, body: text.notFound, suggestions: topics(result.suggestions) };
    case 'small-talk': {
      const greeting = result.intent === 'greeting';
      return {
        ...base,
        kind: 'small-talk',
        title: greeting ? text.greetingTitle : text.helpTitle,
        body: greeting ? text.greeting : text.help,
        suggestions: topics(result.suggestions),
      };
    }
    case 'too-long':
      return { ...base, kind: 'too-long', title: text.tooLongTitle, body: text.tooLong(result.maxLength) };
  }
}
