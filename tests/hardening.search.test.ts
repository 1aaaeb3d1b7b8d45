/** The search over any text: it never throws, and its outcome is always well-formed and repeatable. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { search } from '../src/search/search.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { nastyString } from './support/nasty-strings.ts';

const { index, kb } = testAnswerer();
const unit = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;

describe('search over hostile text', () => {
  it('never throws; hits are known entries, each once, best first, every score within 0..1', () => {
    fc.assert(
      fc.property(nastyString, (question) => {
        const outcome = search(question, index);
        if (outcome.empty) expect(outcome.hits).toEqual([]);
        const ids = outcome.hits.map((hit) => hit.entry.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const hit of outcome.hits) {
          expect(kb.byId.get(hit.entry.id)).toBe(hit.entry);
          expect([hit.score, hit.explained, hit.confidence].every(unit)).toBe(true);
        }
        for (let i = 1; i < outcome.hits.length; i++) expect(outcome.hits[i - 1]!.confidence).toBeGreaterThanOrEqual(outcome.hits[i]!.confidence);
      }),
      { numRuns: 600 },
    );
  });

  it('gives the same outcome for the same question', () => {
    fc.assert(
      fc.property(nastyString, (question) => {
        const first = search(question, index);
        const second = search(question, index);
        expect(second.hits.map((h) => [h.entry.id, h.confidence])).toEqual(first.hits.map((h) => [h.entry.id, h.confidence]));
        expect(second.empty).toBe(first.empty);
      }),
      { numRuns: 200 },
    );
  });

  it('treats fuse.js operator characters as plain text: an operator-laden question finds what the plain one finds', () => {
    const operators = fc.constantFrom("'", '!', '^', '=', '|', '$', '"');
    fc.assert(
      fc.property(fc.constantFrom('co to jest BPO', 'back office', 'koszty outsourcingu', 'front office'), operators, operators, (question, before, after) => {
        const plain = search(question, index).hits[0]?.entry.id;
        const decorated = search(question.split(' ').map((word) => `${before}${word}${after}`).join(' '), index).hits[0]?.entry.id;
        expect(decorated).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });
});
