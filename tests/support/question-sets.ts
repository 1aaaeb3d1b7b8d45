import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CATEGORIES = ['pl', 'pl-nodiac', 'typo', 'en', 'oos'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * The question sets, each written by people who saw only the article, from a brief of its own (see
 * `briefs.json` beside them), none of them ever trained on:
 * - `development`: read question by question while the reader is developed;
 * - `held-out`: measured before a round of work and once after it, in totals per category only;
 * - `earlier`: the held-out sets of the earlier rounds (the brief of the corpus's "question-sets").
 */
export const QUESTION_SETS = {
  development: ['vocational-students', 'gaming-server', 'yes-no-checks'],
  'held-out': ['discord-regulars', 'own-words-own-case', 'exam-and-slides', 'quick-dms', 'trust-probes', 'new-hires', 'translators', 'reviewer-probes', 'laypeople', 'shop-floor', 'family-chat', 'search-queries', 'machine-translated'],
  earlier: ['frozen-1', 'frozen-2', 'frozen-3'],
} as const;
export type SetGroup = keyof typeof QUESTION_SETS;
export type SetName = (typeof QUESTION_SETS)[SetGroup][number];

const questionSchema = z.array(
  z.object({
    q: z.string(),
    category: z.enum(CATEGORIES),
    /** Article sentences any of which answers the question; empty for out-of-scope questions. */
    expect: z.array(z.string()),
    /** How the question is phrased (chatty, yesno, list…), for reading results by kind. */
    form: z.string().optional(),
    /** For a yes/no question the article settles: the right answer. */
    yesno: z.enum(['yes', 'no']).optional(),
    /** For a compound question or a comparison: each part, answered by any one of its sentences. */
    parts: z.array(z.array(z.string())).optional(),
    /** For out-of-scope questions: what kind (chit-chat, near-miss, other-company…). */
    oos: z.string().optional(),
  }),
);
export type Question = z.infer<typeof questionSchema>[number];

export function groupOf(name: SetName): SetGroup {
  return (Object.keys(QUESTION_SETS) as SetGroup[]).find((group) => (QUESTION_SETS[group] as readonly string[]).includes(name))!;
}

export function loadQuestionSet(name: SetName): Question[] {
  const file = fileURLToPath(new URL(`../fixtures/${groupOf(name)}/${name}.json`, import.meta.url));
  return questionSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** What an answering function returned for a question: its quotes and its first words, or null for "not found". */
export interface Answered {
  id: string;
  quotes: string[];
  /** The answer's text, for checking that a yes/no question gets its yes or no first. */
  text: string;
}

export interface CategoryScore {
  category: Category;
  correct: number;
  total: number;
  /** 0..1: top-1 accuracy for in-domain categories, rejection rate for out-of-scope. */
  rate: number;
  failures: { q: string; got: string | null }[];
}

/** A quote answers when it holds an expected sentence, or is a part of one (a quote may cut a long sentence). */
export function covers(quotes: readonly string[], sentences: readonly string[]): boolean {
  return quotes.some((quote) => sentences.some((sentence) => quote.includes(sentence) || (quote.length >= 20 && sentence.includes(quote))));
}

/**
 * Scores any answering function on a question set: an in-domain answer is right when one of its
 * quotes covers one of the expected sentences, an out-of-scope one when nothing is answered.
 */
export function scoreQuestionSet(questions: Question[], ask: (question: string) => Answered | null): CategoryScore[] {
  return CATEGORIES.map((category) => {
    const subset = questions.filter((question) => question.category === category);
    const failures: CategoryScore['failures'] = [];
    for (const question of subset) {
      const got = ask(question.q);
      const ok = category === 'oos' ? got === null : got !== null && covers(got.quotes, question.expect);
      if (!ok) failures.push({ q: question.q, got: got?.id ?? null });
    }
    const correct = subset.length - failures.length;
    return { category, correct, total: subset.length, rate: subset.length === 0 ? 1 : correct / subset.length, failures };
  });
}

export interface FormScore {
  /** Yes/no questions answered right that also got the right yes or no first. */
  verdicts: { correct: number; total: number; /** …that got the opposite first: worse than none. */ wrong: number };
  /** Compound questions and comparisons answered that quote every part. */
  parts: { correct: number; total: number };
}

/** How answers fit the form of the question: yes or no first, every part of a compound question quoted. */
export function scoreForms(questions: Question[], ask: (question: string) => Answered | null): FormScore {
  const score: FormScore = { verdicts: { correct: 0, total: 0, wrong: 0 }, parts: { correct: 0, total: 0 } };
  for (const question of questions) {
    if (question.category === 'oos') continue;
    const got = ask(question.q);
    if (!got || !covers(got.quotes, question.expect)) continue;
    if (question.yesno) {
      score.verdicts.total++;
      if ((question.yesno === 'yes' ? /^(?:tak|yes)\b/i : /^(?:nie|no)\b/i).test(got.text.trim())) score.verdicts.correct++;
      else if ((question.yesno === 'yes' ? /^(?:nie|no)\b/i : /^(?:tak|yes)\b/i).test(got.text.trim())) score.verdicts.wrong++;
    }
    if (question.parts) {
      score.parts.total++;
      if (question.parts.every((part) => covers(got.quotes, part))) score.parts.correct++;
    }
  }
  return score;
}
