import type { Lang } from '../knowledge/schema.ts';
import { CONTRAST_WORD } from './features.ts';

/**
 * How a yes/no question is negated. The verdict is read as a claim and its truth: "Czy klienci nie
 * widzą back-office?" claims "klienci widzą back-office" negated, so the article's "no" to the claim
 * is a "yes" to the question. Only a negation of the claim itself counts: a negative question form
 * ("isn't it true that…", "czy nie jest tak, że…"), a question tag ("…, nie?", "…, isn't it?") or a
 * choice ("tak czy nie?", "…or not?") asks about the claim as it stands.
 */
export interface ReadClaim {
  /** The question's words without the negations of its claim, and without an alternative set against it ("…, a nie Y"). */
  claim: string[];
  /** Whether the claim is negated (an odd number of times). */
  negated: boolean;
}

const ENGLISH_AUXILIARIES = new Set(['isn', 'aren', 'doesn', 'don', 'didn', 'wasn', 'weren', 'can', 'couldn', 'shouldn', 'won', 'wouldn', 'hasn', 'haven', 'hadn', 'mustn']);
/** Words after which "nie" only asks ("tak czy nie", "prawda czy nie") and before which it opens a negative question form. */
const POLISH_CHOICE = new Set(['czy', 'lub', 'albo', 'tak']);
/** "Tak czy nie: …", "prawda czy nie?": a choice wherever it stands. */
const POLISH_CHOICE_FIRST = new Set(['tak', 'prawda']);
/** "Czy X nie jest przypadkiem…", "czy nie są czasem…": a leading question, asking about the claim as it stands. */
const POLISH_LEADING = new Set(['przypadkiem', 'czasem']);
/** What follows an English auxiliary in a question tag ("…, doesn't it?", "…, aren't they?"). */
const ENGLISH_TAG_SUBJECTS = new Set(['it', 'they', 'he', 'she', 'we', 'you', 'i', 'there', 'that', 'this']);
const QUESTION_MARK = '?';
/** Words ending in -m that are not verbs of the first person: pronouns and nouns in the instrumental or dative. */
const POLISH_NOT_FIRST_PERSON = /(?:ym|im|om|ami)$/;
/**
 * "Jeśli się nie mylę": a hedge whose verb is of the first person in -ę (folded to -e, unlike its
 * third person "myli"). Not "nie sądzę, że X": that says X is not so, a negation of the claim.
 */
const POLISH_HEDGE_IN_E = 'myle';

/**
 * A negation of what the asker does rather than of the claim: "nie jestem pewien", "nie wiem",
 * "nie czytałam całości", "jeśli się nie mylę", "I'm not sure", "I don't know if…". Polish verbs of
 * the first person end in -m (jestem, wiem, kumam, czytałam), or is "mylę"; English ones follow "I".
 */
function aboutTheAsker(words: readonly string[], i: number, lang: Lang, next: string | undefined): boolean {
  if (lang === 'en') return words[i - 1] === 'i' || (words[i - 1] === 'm' && words[i - 2] === 'i');
  if (next === undefined) return false;
  return (next.length >= 4 && next.endsWith('m') && !POLISH_NOT_FIRST_PERSON.test(next)) || next === POLISH_HEDGE_IN_E;
}

/**
 * Frames that ask whether the claim after them is false, so the question's yes is the claim's no:
 * "Would I be wrong to say X?", "Am I wrong that X?", "Is it false that X?", "Czy się mylę, że X?",
 * "Nieprawda, że X?", "Błędem byłoby twierdzić, że X?". Each is a run of words, each word one of its
 * alternatives; the last word ties the frame to the claim, so a hedge ("correct me if I'm wrong",
 * "I might be wrong", "…, czy się mylę?") asks about the claim as it stands. A frame marked `first`
 * counts only at the start ("Czy to nieprawda, że…?" is a negative question form).
 */
const REVERSING_FRAMES: readonly { words: readonly (readonly string[])[]; first?: boolean }[] = [
  { words: [['would', 'will'], ['i', 'it', 'one', 'we', 'you'], ['be'], ['wrong', 'mistaken', 'incorrect', 'false', 'untrue'], ['to', 'that', 'if', 'in']] },
  { words: [['would'], ['it'], ['be'], ['a'], ['mistake', 'lie'], ['to', 'that']] },
  { words: [['am'], ['i'], ['wrong', 'mistaken'], ['that', 'to', 'in', 'if', 'about', 'thinking', 'saying']] },
  { words: [['is'], ['it'], ['wrong', 'false', 'untrue', 'incorrect'], ['that', 'to']] },
  { words: [['czy'], ['sie'], ['myle'], ['ze', 'twierdzac', 'mowiac', 'sadzac']] },
  { words: [['czy'], ['myle'], ['sie'], ['ze', 'twierdzac', 'mowiac', 'sadzac']] },
  { words: [['czy'], ['jestem'], ['w'], ['bledzie'], ['ze', 'twierdzac', 'mowiac', 'sadzac']] },
  { words: [['bledem'], ['byloby', 'jest', 'bylo'], ['powiedziec', 'twierdzic', 'uznac', 'mowic', 'stwierdzic', 'napisac']] },
  { words: [['nieprawda'], ['ze']], first: true },
  { words: [['to'], ['nieprawda'], ['ze']], first: true },
  { words: [['chyba'], ['nieprawda'], ['ze']], first: true },
  { words: [['to'], ['chyba'], ['nieprawda'], ['ze']], first: true },
];

/** The length of the reversing frame that starts at word `i`, or 0. */
function reversingFrameAt(words: readonly string[], i: number): number {
  for (const frame of REVERSING_FRAMES) {
    if (frame.first && i !== 0) continue;
    if (frame.words.every((alternatives, k) => alternatives.includes(words[i + k] ?? ''))) return frame.words.length;
  }
  return 0;
}

/** Where an alternative is set against the claim: "X, not Y", "X, a nie Y", "X a nie Y", "X and not Y", "X rather than Y", "X instead of Y", "X zamiast Y". */
function alternativeStartsAt(words: readonly string[], i: number): boolean {
  const word = words[i];
  const next = words[i + 1];
  if (word === CONTRAST_WORD) return next === 'not' || next === 'nie' || (next === 'a' && words[i + 2] === 'nie');
  return (word === 'a' && next === 'nie') || (word === 'and' && next === 'not') || (word === 'rather' && next === 'than') || (word === 'instead' && next === 'of') || word === 'zamiast';
}

export function readClaim(words: readonly string[], lang: Lang): ReadClaim {
  const claim: string[] = [];
  let negations = 0;
  const last = words.at(-1) === QUESTION_MARK ? words.length - 2 : words.length - 1;
  for (let i = 0; i < words.length; i++) {
    // "X, not Y?" holds when X does: Y is only the alternative set against it, so it is left out of
    // the claim, which then reads as "X?" does. With Y in it, the truth head read "usługi, a nie
    // produkcja" much as "produkcja, a nie usługi": in cross-validation by brief, 19,941 of 25,137
    // yes/no questions got their verdict first against 19,341, and 474 the opposite against 554.
    if (claim.length >= 2 && alternativeStartsAt(words, i)) {
      while (i + 1 < words.length && words[i + 1] !== CONTRAST_WORD && words[i + 1] !== QUESTION_MARK) i++;
      continue;
    }
    const frame = reversingFrameAt(words, i);
    if (frame > 0) {
      negations++;
      i += frame - 1;
      continue;
    }
    const word = words[i]!;
    const next = words[i + 1];
    // English contractions fold to two words: "isn't" is "isn" "t".
    if (ENGLISH_AUXILIARIES.has(word) && next === 't') {
      // "Isn't it…?", "…, doesn't it?": the question's form, not its claim.
      const opensQuestion = i === 0 || ['so', 'but', 'and', 'well', 'ok', 'hey'].includes(words[i - 1]!);
      const tag = i + 2 > last || (i + 2 === last && ENGLISH_TAG_SUBJECTS.has(words[i + 2]!));
      if (!opensQuestion && !tag && !aboutTheAsker(words, i, lang, words[i + 2])) negations++;
      i++;
      continue;
    }
    if ((word === 'not' || word === 'never') && aboutTheAsker(words, i, lang, next)) continue;
    // "X or not?", "whether or not X": a choice, as "czy nie?" is, not a negation of the claim.
    if (word === 'not' && words[i - 1] === 'or') continue;
    // "…a part, not the whole?": the alternative set against the claim, not a negation of it.
    if (word === CONTRAST_WORD) continue;
    if ((word === 'not' || word === 'nie') && words[i - 1] === CONTRAST_WORD && i < last) {
      claim.push(word);
      continue;
    }
    if (word === 'not' || word === 'never' || (word === 'no' && lang === 'en' && i < last && words[i - 1] !== 'or' && words[i - 1] !== 'yes')) {
      negations++;
      continue;
    }
    if (word === 'nie') {
      const previous = words[i - 1];
      // "…czy nie?", "…, nie?": a tag or a choice.
      if (i >= last || (previous !== undefined && POLISH_CHOICE.has(previous) && i + 1 >= last)) continue;
      if ((previous === 'czy' || previous === 'lub' || previous === 'albo') && POLISH_CHOICE_FIRST.has(words[i - 2] ?? '')) continue;
      if (words.slice(Math.max(0, i - 1), i + 4).some((nearby) => POLISH_LEADING.has(nearby))) continue;
      if (aboutTheAsker(words, i, lang, next)) continue;
      // "Czy nie jest tak, że…", "czy to nie prawda, że…": a negative question form.
      if ((previous === 'czy' || (previous === 'to' && words[i - 2] === 'czy')) && (next === 'jest' || next === 'prawda')) continue;
      // "…usługi, a nie produkcja": a contrast, not a negation of the claim.
      if (previous === 'a') {
        claim.push(word);
        continue;
      }
      negations++;
      continue;
    }
    claim.push(word);
  }
  return { claim, negated: negations % 2 === 1 };
}
