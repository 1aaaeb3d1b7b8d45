import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CATEGORIES = ['pl', 'pl-nodiac', 'typo', 'en', 'oos'] as const;
export type Category = (typeof CATEGORIES)[number];

const questionSchema = z.array(
  z.object({
    q: z.string(),
    category: z.enum(CATEGORIES),
    /** Article sentences any of which answers the question; empty for out-of-scope questions. */
    expect: z.array(z.string()),
  }),
);
export type Question = z.infer<typeof questionSchema>[number];

export function loadQuestionSet(name: 'dev' | 'holdout' | 'blind'): Question[] {
  const file = fileURLToPath(new URL(`../fixtures/questions.${name}.json`, import.meta.url));
  return questionSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export interface CategoryScore {
  category: Category;
  correct: number;
  total: number;
  /** 0..1: top-1 accuracy for in-domain categories, rejection rate for out-of-scope. */
  rate: number;
  failures: { q: string; got: string | null }[];
}

/**
 * Scores any answering function on a question set: an in-domain answer is right when its quote
 * covers one of the expected sentences, an out-of-scope one when nothing is answered.
 */
export function scoreQuestionSet(questions: Question[], ask: (question: string) => { quote: string; id: string } | null): CategoryScore[] {
  return CATEGORIES.map((category) => {
    const subset = questions.filter((question) => question.category === category);
    const failures: CategoryScore['failures'] = [];
    for (const question of subset) {
      const got = ask(question.q);
      const ok = category === 'oos' ? got === null : got !== null && question.expect.some((sentence) => got.quote.includes(sentence));
      if (!ok) failures.push({ q: question.q, got: got?.id ?? null });
    }
    const correct = subset.length - failures.length;
    return { category, correct, total: subset.length, rate: subset.length === 0 ? 1 : correct / subset.length, failures };
  });
}
