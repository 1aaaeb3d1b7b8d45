/** answer, suggest and answerById over any text: they never throw and always return a well-formed result. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer, answerById, MAX_QUESTION_LENGTH, MAX_SUGGESTIONS } from '../src/answering/answer.ts';
import { suggest } from '../src/answering/suggest.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { nastyString } from './support/nasty-strings.ts';

const answerer = testAnswerer();
const { kb } = answerer;
const lang = fc.constantFrom('pl' as const, 'en' as const);
const knownId = fc.constantFrom(...kb.entries.map((entry) => entry.id));
const pinnedIds = kb.entries.filter((entry) => entry.pinned).map((entry) => entry.id);

describe('answer over hostile text', () => {
  it('never throws, keeps the question as given, and refuses only what is over the length limit', () => {
    fc.assert(
      fc.property(nastyString, fc.option(lang, { nil: undefined }), (question, wanted) => {
        const result = answer(question, answerer, wanted ? { lang: wanted } : {});
        expect(result.question).toBe(question);
        expect(['pl', 'en']).toContain(result.lang);
        if (wanted) expect(result.lang).toBe(wanted);
        expect(result.kind === 'too-long').toBe(question.length > MAX_QUESTION_LENGTH);
        switch (result.kind) {
          case 'answer':
            expect(kb.byId.get(result.entry.id)).toBe(result.entry);
            expect(result.confidence).toBeGreaterThan(0);
            expect(result.confidence).toBeLessThanOrEqual(1);
            break;
          case 'not-found':
            expect(result.suggestions.length).toBeGreaterThan(0);
            expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
            expect(new Set(result.suggestions.map((e) => e.id)).size).toBe(result.suggestions.length);
            break;
          case 'small-talk':
            // Thanks ("𝐏Ā" reads as "pa", bye) offer no topics; the rest offer the main ones.
            expect(result.suggestions.map((e) => e.id)).toEqual(result.intent === 'thanks' ? [] : pinnedIds);
            break;
          case 'too-long':
            expect(result.maxLength).toBe(MAX_QUESTION_LENGTH);
            break;
        }
      }),
      { numRuns: 800 },
    );
  });
});

describe('suggest over hostile text', () => {
  it('never throws and returns at most `limit` distinct known topics, titled in the asked language', () => {
    fc.assert(
      fc.property(nastyString, lang, fc.integer({ min: 0, max: 30 }), (typed, wanted, limit) => {
        const topics = suggest(typed, answerer, wanted, limit);
        expect(topics.length).toBeLessThanOrEqual(limit);
        expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length);
        for (const topic of topics) expect(topic.title).toBe(kb.byId.get(topic.id)!.title[wanted]);
      }),
      { numRuns: 600 },
    );
  });
});

describe('answerById over hostile ids', () => {
  it('never throws: an unknown id is not found, with the main topics to pick from', () => {
    fc.assert(
      fc.property(nastyString, lang, (id, wanted) => {
        const result = answerById(id, answerer, wanted);
        if (kb.byId.has(id)) expect(result).toMatchObject({ kind: 'answer', entry: { id } });
        else {
          expect(result.kind).toBe('not-found');
          if (result.kind === 'not-found') expect(result.suggestions.map((e) => e.id)).toEqual(pinnedIds.slice(0, MAX_SUGGESTIONS));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers every known id in both languages', () => {
    fc.assert(
      fc.property(knownId, lang, (id, wanted) => {
        expect(answerById(id, answerer, wanted)).toMatchObject({ kind: 'answer', lang: wanted, entry: { id }, confidence: 1 });
      }),
      { numRuns: 100 },
    );
  });
});
