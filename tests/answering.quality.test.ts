import { describe, expect, it } from 'vitest';
import { answer, conversationAfter } from '../src/answering/answer.ts';
import { loadAnswerer } from '../src/answering/load.ts';
import { toReply } from '../src/responder/reply.ts';
import { loadDialogues, scoreDialogues } from './support/dialogues.ts';
import { CATEGORIES, loadQuestionSet, QUESTION_SETS, scoreForms, scoreQuestionSet, type Answered } from './support/question-sets.ts';

/*
 * Answer quality on question sets the reader never learned from: the development sets (new briefs)
 * and the earlier rounds' held-out sets. The held-out sets of this round are measured by
 * `npm run bench` only, in totals. The bars are below what the reader reaches, so a change that
 * breaks a kind of question fails here, and the failures list says which questions broke.
 */
const answerer = loadAnswerer();
const questions = [...QUESTION_SETS.development, ...QUESTION_SETS.earlier].flatMap((name) => loadQuestionSet(name));
const ask = (question: string): Answered | null => {
  const result = answer(question, answerer);
  if (result.kind !== 'answer') return null;
  const reply = toReply(result, answerer.kb);
  return { id: result.entry.id, quotes: reply.attribution!.quotes.map((q) => q.quote), text: reply.body };
};
const scores = scoreQuestionSet(questions, ask);
const BARS: Record<(typeof CATEGORIES)[number], number> = { pl: 0.94, 'pl-nodiac': 0.95, typo: 0.94, en: 0.93, oos: 0.93 };

describe('answer quality on question sets never trained on', () => {
  it('is big enough to mean something, and every expected sentence is the article’s', () => {
    expect(questions.filter((q) => q.category !== 'oos').length).toBeGreaterThanOrEqual(800);
    expect(questions.filter((q) => q.category === 'oos').length).toBeGreaterThanOrEqual(250);
    for (const question of questions) for (const sentence of question.expect) expect(answerer.kb.article.text, question.q).toContain(sentence);
  });

  it.each(CATEGORIES)('%s: right often enough (an answer quote covers an expected sentence; out of scope: declined)', (category) => {
    const score = scores.find((s) => s.category === category)!;
    // The failures are listed so a regression says which questions broke.
    expect({ rate: score.rate >= BARS[category], failures: score.failures }).toEqual({ rate: true, failures: score.failures });
  });

  it('puts the yes or no first, rarely the opposite, and quotes every part of a compound question', () => {
    const forms = scoreForms(questions, ask);
    expect(forms.verdicts.total).toBeGreaterThanOrEqual(250);
    expect(forms.verdicts.correct / forms.verdicts.total).toBeGreaterThanOrEqual(0.7);
    // A yes where the article says no misleads more than no verdict at all.
    expect(forms.verdicts.wrong / forms.verdicts.total).toBeLessThanOrEqual(0.02);
    expect(forms.parts.total).toBeGreaterThanOrEqual(30);
    expect(forms.parts.correct / forms.parts.total).toBeGreaterThanOrEqual(0.85);
  });
});

describe('follow-ups on the development dialogues (a first question, then a message read in the light of its answer)', () => {
  const dialogues = loadDialogues('development');
  const score = scoreDialogues(dialogues, answerer);

  it('covers every kind of follow-up in both languages, with the article’s sentences', () => {
    expect(dialogues).toHaveLength(100);
    expect(new Set(dialogues.map((d) => d.kind))).toEqual(new Set(['ellipsis', 'pronoun', 'request', 'contrast', 'new-question', 'thanks', 'chit-chat', 'out-of-scope']));
    expect(new Set(dialogues.map((d) => d.lang))).toEqual(new Set(['pl', 'en']));
    for (const d of dialogues) for (const sentence of [...d.first, ...d.expect]) expect(answerer.kb.article.text, d.turns.join(' → ')).toContain(sentence);
  });

  it('answers the follow-ups from the right entry and declines thanks, chit-chat and out of scope', () => {
    // The misses are listed so a regression says which dialogues broke.
    expect({ followUps: score.followUps.right / score.followUps.total >= 0.8, misses: score.misses }).toEqual({ followUps: true, misses: score.misses });
    expect(score.declines.right / score.declines.total).toBeGreaterThanOrEqual(0.93);
    expect(score.first.right / score.first.total).toBeGreaterThanOrEqual(0.95);
  });

  it('owes the follow-ups to the context: the same messages alone are answered much less often', () => {
    const alone = scoreDialogues(dialogues, answerer, { context: false });
    expect(score.followUps.right - alone.followUps.right).toBeGreaterThanOrEqual(5);
    const back = answer('Co to jest back office?', answerer);
    const front = answer('a front office?', answerer, { after: conversationAfter(back)! });
    expect(front.kind === 'answer' && front.entry.id).toBe('front-office');
  });
});
