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
    ['P w BPO to Process, nie Production?', false],
    ['Coca-Cola zlecała część; nie całość?', false],
    // Without the comma, the same words negate.
    ['Czy Coca-Cola nie zlecała części?', true],
    // A choice wherever it stands, a leading "…nie… przypadkiem", the asker's own doubt.
    ['Tak czy nie: BPO dotyczy tylko usług.', false],
    ['Czy usługi BPO nie dzielą się przypadkiem na kadry i płace?', false],
    ['Nie jestem pewien, czy BPO to outsourcing?', false],
    ['nie czytałam całości, czy klienci nie widzą back office?', true],
  ] as const)('%j', (text, negated) => {
    expect(read(text).negated).toBe(negated);
  });

  it.each([
    ['Do customers see the back office?', false],
    ['Do customers not see the back office?', true],
    // An alternative set against the claim after a comma negates nothing of it.
    ['So Coca-Cola outsourced a part, not the whole business?', false],
    ['Is BPO mostly about services today — not manufacturing?', false],
    ['Customers never see the back office, do they?', true],
    // "Isn't it…", a question tag: the question's form.
    ["Isn't BPO a kind of outsourcing?", false],
    ["BPO is a kind of outsourcing, isn't it?", false],
    ['Is it true that the back office is not visible?', true],
    ['yes or no: is BPO outsourcing?', false],
    // "…or not?" is a choice, as "yes or no" is.
    ['Back office, customers can see it or not?', false],
    ['Is payroll part of BPO or not?', false],
    ['Do customers not see the back office or not?', true],
    // A tag is an auxiliary and its subject at the end; "don't touch?" negates.
    ["Is accounting something BPO firms don't touch?", true],
    ["I'm not sure: is BPO a kind of outsourcing?", false],
    ["I don't know, do customers see the back office?", false],
  ] as const)('%j', (text, negated) => {
    expect(read(text, 'en').negated).toBe(negated);
  });

  it.each([
    // A frame that asks whether the claim is false: its yes is the claim's no.
    ['Would I be wrong to say BPO is a type of outsourcing?', 'en', true],
    ['Would it be wrong to claim that costs matter most in BPO?', 'en', true],
    ['Am I wrong that BPO started with manufacturing?', 'en', true],
    ['Is it false that front office deals with customers?', 'en', true],
    ['Would I be wrong to say customers never see the back office?', 'en', false],
    ['Czy się mylę, że kadry i płace to usługa BPO?', 'pl', true],
    ['Nieprawda, że źródłem jest Wikipedia?', 'pl', true],
    ['To chyba nieprawda, że BPO zaczęło się od produkcji?', 'pl', true],
    ['Błędem byłoby twierdzić, że BPO to outsourcing?', 'pl', true],
    // A hedge asks about the claim as it stands, and so does a negative question form.
    ["Correct me if I'm wrong, but BPO is a kind of outsourcing?", 'en', false],
    ['I might be wrong, but BPO is a kind of outsourcing?', 'en', false],
    ['BPO = accounting only. Am I wrong?', 'en', false],
    ['BPO is a kind of outsourcing, would I be wrong?', 'en', false],
    ['BPO to outsourcing, czy się mylę?', 'pl', false],
    ['O ile się nie mylę, BPO to outsourcing?', 'pl', false],
    ['Jeśli nie mylę się, BPO zaczęło się od produkcji?', 'pl', false],
    // "I don't think X" says X is not so.
    ['Nie sądzę, żeby BPO to był outsourcing, prawda?', 'pl', true],
    ['Czy to nieprawda, że BPO to outsourcing?', 'pl', false],
    ['Nieprawdaż, że BPO to outsourcing?', 'pl', false],
  ] as const)('%j', (text, lang, negated) => {
    expect(read(text, lang).negated).toBe(negated);
  });

  it('leaves a reversing frame out of the claim', () => {
    expect(read('Would I be wrong to say BPO is outsourcing?', 'en').claim).toEqual(['say', 'bpo', 'is', 'outsourcing', '?']);
    expect(read('Czy się mylę, że BPO to outsourcing?').claim).toEqual(['bpo', 'to', 'outsourcing', '?']);
  });

  it('leaves out the alternative set against the claim, so that "X, not Y?" reads as "X?"', () => {
    expect(read('BPO to dziś usługi, a nie produkcja?').claim).toEqual(read('BPO to dziś usługi?').claim);
    expect(read('Back office, nie front, zgadza się?').claim).toEqual(['back', 'office', '?']);
    expect(read('Czy to chodzi o procesy a nie o produkcję?').claim).toEqual(read('Czy to chodzi o procesy?').claim);
    expect(read('It is about handing work out rather than hiring people?', 'en').claim).toEqual(read('It is about handing work out?', 'en').claim);
    expect(read('So Coca-Cola outsourced a part, not the whole business?', 'en').claim).toEqual(['so', 'coca', 'cola', 'outsourced', 'a', 'part', '?']);
    expect(read('Firmy zlecają kadry zamiast rekrutacji?').claim).toEqual(read('Firmy zlecają kadry?').claim);
    expect(read("So the P is for 'process' and not 'people'?", 'en').claim).toEqual(read("So the P is for 'process'?", 'en').claim);
    expect(read("So the P is for 'process' and not 'people'?", 'en').negated).toBe(false);
    // The claims of "X, not Y?" and "Y, not X?" differ, as their verdicts do.
    expect(read('BPO to produkcja, a nie usługi?').claim).toEqual(['bpo', 'to', 'produkcja', '?']);
  });

  it('takes the claim\'s negations out and keeps its other words', () => {
    expect(read('Czy klienci nie widzą back office?').claim).toEqual(['czy', 'klienci', 'widza', 'back', 'office', '?']);
    expect(read("Don't customers see it?", 'en').claim).toEqual(['customers', 'see', 'it', '?']);
  });
});
