import { describe, expect, it } from 'vitest';
import { answer, createAnswerer } from '../src/answering/answer.ts';
import { loadKnowledgeBase } from '../src/knowledge/load.ts';
import { CATEGORIES, loadQuestionSet, scoreQuestionSet } from './support/question-sets.ts';

const answerer = createAnswerer(loadKnowledgeBase());
const questions = loadQuestionSet('dev');
const scores = scoreQuestionSet(questions, (question) => {
  const result = answer(question, answerer);
  return result.kind === 'answer' ? { quote: result.entry.quote, id: result.entry.id } : null;
});

describe('retrieval quality on the development question set', () => {
  it('is big enough to mean something', () => {
    expect(questions.filter((q) => q.category !== 'oos').length).toBeGreaterThanOrEqual(150);
    expect(questions.filter((q) => q.category === 'oos').length).toBeGreaterThanOrEqual(40);
    for (const category of CATEGORIES) expect(questions.some((q) => q.category === category), category).toBe(true);
  });

  it.each(CATEGORIES)('%s: at least 95%% right (top-1 quote covers the answer; out of scope: rejected)', (category) => {
    const score = scores.find((s) => s.category === category)!;
    // The failures are listed so a regression says which questions broke.
    expect({ rate: score.rate >= 0.95, failures: score.failures }).toEqual({ rate: true, failures: score.failures });
    expect(score.rate).toBeGreaterThanOrEqual(0.95);
  });
});
