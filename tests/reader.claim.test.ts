import { describe, expect, it } from 'vitest';
import { readClaim } from '../src/reader/negation.ts';
import { messageWords } from '../src/reader/words.ts';

const read = (text: string, lang: 'pl' | 'en' = 'pl') => readClaim(messageWords(text), lang);

describe('readClaim: the claim of a yes/no question and whether the question negates it', () => {
  it.each([
    ['Czy klienci widzą back office?', false],
    ['Czy klienci nie widzą back office?', true],
    // Polish negative concord: "nigdy nie" is one negation.
    ['Czy klienci nigdy nie widzą back office?', true],
    // A negative question form, a tag, a choice: the claim stands as it is.
    ['Czy nie jest tak, że BPO dotyczy tylko produkcji?', false],
    ['Czy to nie prawda, że BPO to outsourcing?', false],
    ['BPO to outsourcing, nie?', false],
    ['Back office to zaplecze, tak czy nie?', false],
    // A contrast negates nothing of the claim.
    ['BPO to dziś usługi, a nie produkcja?', false],
  ] as const)('%j', (text, negated) => {
    expect(read(text).negated).toBe(negated);
  });

  it.each([
    ['Do customers see the back office?', false],
    ['Do customers not see the back office?', true],
    ['Customers never see the back office, do they?', true],
    // "Isn't it…", a question tag: the question's form.
    ["Isn't BPO a kind of outsourcing?", false],
    ["BPO is a kind of outsourcing, isn't it?", false],
    ['Is it true that the back office is not visible?', true],
    ['yes or no: is BPO outsourcing?', false],
  ] as const)('%j', (text, negated) => {
    expect(read(text, 'en').negated).toBe(negated);
  });

  it('takes the claim\'s negations out and keeps its other words', () => {
    expect(read('Czy klienci nie widzą back office?').claim).toEqual(['czy', 'klienci', 'widza', 'back', 'office', '?']);
    expect(read("Don't customers see it?", 'en').claim).toEqual(['customers', 'see', 'it', '?']);
  });
});
