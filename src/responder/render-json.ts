import type { AnswerResult } from '../answering/answer.ts';
import type { Reply } from './reply.ts';

/** The machine-readable answer printed by `ask --json`, one object per question. */
export interface JsonAnswer {
  question: string;
  found: boolean;
  lang: string;
  id: string | null;
  title: string;
  answer: string | null;
  /** Confidence 0..1, higher is better; 0 when nothing was found. */
  score: number;
  /** `quote` and `paragraph` are the first of `quotes`; a compound answer has one quote per part. */
  source: { title: string; quote: string; paragraph: number; quotes: string[]; paragraphs: number[]; url: string } | null;
  related: { id: string; title: string }[];
  suggestions: { id: string; title: string }[];
}

export function renderJson(result: AnswerResult, reply: Reply): JsonAnswer {
  const found = reply.kind === 'answer' || reply.kind === 'server-answer';
  const a = reply.attribution;
  return {
    question: result.question,
    found,
    lang: reply.lang,
    id: found ? reply.entryId : null,
    title: reply.title,
    answer: found ? reply.body : null,
    score: reply.confidence ?? 0,
    source:
      found && a
        ? { title: a.articleTitle, quote: a.quote, paragraph: a.paragraph, quotes: a.quotes.map((q) => q.quote), paragraphs: a.quotes.map((q) => q.paragraph), url: a.url }
        : null,
    related: reply.related,
    suggestions: reply.suggestions,
  };
}
