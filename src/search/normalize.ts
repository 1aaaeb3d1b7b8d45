import { BoundedCache } from './bounded-cache.ts';
import { NEGATIONS, PHRASE_WORDS, STYLE_PHRASES, STOP_WORDS } from './stopwords.ts';

/**
 * Text normalization shared by the index and the question, so both sides always agree:
 * fold -> tokenize -> drop stop words -> reduce each word to a matching key.
 */

// Format characters (zero-width spaces and joiners, bidi controls, soft hyphen, BOM) are removed
// outright, so "b\u200Bpo" still reads "bpo".
const FORMAT_CHARS = /\p{Cf}/gu;
const MARKS = /\p{M}/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const ASCII = /^[ -~]*$/;
const ASCII_NOT_WORD = /[^a-z0-9]+/g;

/** Lower case, Polish diacritics folded (ł is not decomposed by NFD, so it is mapped first), punctuation to spaces. */
export function foldText(text: string): string {
  // Printable ASCII (most English, most Polish typed without diacritics) needs no Unicode normalization.
  if (ASCII.test(text)) return text.toLowerCase().replace(ASCII_NOT_WORD, ' ').trim();
  return text
    .normalize('NFKC')
    .replace(FORMAT_CHARS, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(NOT_WORD, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  const folded = foldText(text);
  return folded === '' ? [] : folded.split(' ');
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

/**
 * Spelling-insensitive form: people write "bak ofis" for "back office" and "koka kola" for
 * "Coca-Cola". Mapping letters that sound alike onto one another makes those exact matches.
 */
export function phonetic(token: string): string {
  return token
    // Polish nasal vowels are often typed as they sound: "rosnonce" for "rosnące", "przedsiembiorstw".
    .replace(/o[nm](?=[^aeiouy]|$)/g, 'a')
    .replace(/e[nm](?=[^aeiouy]|$)/g, 'e')
    .replace(/^ou/, 'au')
    .replace(/rz/g, 'z')
    .replace(/ck/g, 'k')
    .replace(/ph/g, 'f')
    .replace(/qu/g, 'kw')
    .replace(/x/g, 'ks')
    .replace(/w/g, 'v')
    .replace(/ch/g, 'h')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c(?![hz])/g, 'k')
    .replace(/y/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

/** Polish devoices a final consonant: "skąd" sounds, and is typed, like "skont". Applied to stems, so "usług" and "usługi" agree. */
function devoice(stemmed: string): string {
  return stemmed.replace(/d$/, 't').replace(/g$/, 'k');
}

// Polish inflection endings (folded) and the few English ones that matter; the longest one that
// leaves a stem of at least 3 letters is removed. Both "kosztów" and "kosztami" become "koszt".
const SUFFIXES = [
  'owaniu', 'owania', 'owanie', 'owego', 'owych', 'owymi', 'owej', 'owym', 'owie', 'iemu', 'iego',
  'ami', 'ach', 'ego', 'emu', 'ymi', 'imi', 'iej', 'ich', 'ych', 'owa', 'owe', 'owi', 'owo', 'ow',
  'om', 'em', 'ie', 'ia', 'iu', 'ii', 'ej', 'es', 'a', 'e', 'i', 'o', 'u', 'y', 's',
  // Verbs: "obejmować" and "obejmuje", "zlecać" and "zlecają" share a stem.
  'owac', 'owal', 'owala', 'owali', 'owane', 'owany', 'owana', 'uje', 'uja', 'ujac', 'ujacy', 'ujace', 'ujacych',
  'ac', 'ic', 'ec', 'yc', 'aja', 'ajac', 'ajace', 'ajacy', 'ajacych', 'ila', 'ili', 'ala', 'ali',
  // Participles: "zlecane", "zlecona" and "zleca" share a stem.
  'ane', 'ana', 'anych', 'one', 'ony', 'ona', 'onych', 'ione', 'iona',
  // English: "looking" is "look", "constantly" is "constant".
  'ing', 'ly',
]
  // Suffixes are removed after the phonetic mapping, so they are mapped the same way ("ów" -> "ov").
  .map((suffix) => phonetic(suffix))
  .filter((suffix, index, all) => all.indexOf(suffix) === index)
  .sort((a, b) => b.length - a.length);

const MIN_STEM = 3;
// Beyond this many letters, words are compared by their beginning only: a light stand-in for a
// Polish stemmer that merges "outsourcingu", "outsourcingiem" and "outsourced".
const KEY_LENGTH = 6;

export function stem(token: string): string {
  if (token.length <= MIN_STEM + 1 || /^\d+$/.test(token)) return token;
  for (const suffix of SUFFIXES) {
    if (token.endsWith(suffix) && token.length - suffix.length >= MIN_STEM) {
      return token.slice(0, -suffix.length);
    }
  }
  return token;
}

// Keys are asked for the same words over and over (every entry of a large knowledge base repeats
// its vocabulary), so they are remembered. The cache is bounded by memory, not by count, and forgets
// the least recently used words first, so a flood of random words can neither grow it nor empty it.
const keyCache = new BoundedCache<string>(4 * 1024 * 1024);

/**
 * No real word is longer; longer "words" are pasted junk, or characters that expand under
 * normalization (U+3316 becomes six letters). They are cut here so no cache holds them whole.
 */
export const MAX_TOKEN_LENGTH = 40;

/** The key a word is indexed and looked up by. */
export function termKey(token: string): string {
  const word = token.length > MAX_TOKEN_LENGTH ? token.slice(0, MAX_TOKEN_LENGTH) : token;
  let key = keyCache.get(word);
  if (key === undefined) {
    key = spellingKey(word);
    keyCache.set(word, key);
  }
  return key;
}

// Every stop word, and every stop word of 4+ letters with one letter left out: a word typed with
// one letter missing, extra, swapped or wrong ("jst", "waht", "tesz") shares one of these forms with a stop word.
const STOP_WORD_DELETIONS: ReadonlySet<string> = new Set([...STOP_WORDS].filter((word) => word.length >= 4).flatMap(deletions));

/** A misspelled stop word, such as "jst" for "jest". Only asked about words the knowledge base does not know. */
export function isStopWordTypo(token: string): boolean {
  if (token.length < 3 || token.length > 8) return false;
  if (STOP_WORD_DELETIONS.has(token)) return true; // a letter missing: "jst"
  if (swaps(token).some((form) => STOP_WORDS.has(form))) return true; // letters swapped: "waht", "nei"
  if (token.length < 4) return false; // three letters are too few to tell other typos from an acronym ("kpo")
  if (deletions(token).some((form) => STOP_WORDS.has(form))) return true; // a letter extra: "tesz"
  // A wrong letter: only in longer words, since "much" or "earn" are one letter from a stop word too.
  return token.length >= 5 && deletions(token).some((form) => STOP_WORD_DELETIONS.has(form));
}

function swaps(word: string): string[] {
  const forms: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) forms.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return forms;
}

function deletions(word: string): string[] {
  const forms: string[] = [];
  for (let i = 0; i < word.length; i++) forms.push(word.slice(0, i) + word.slice(i + 1));
  return forms;
}

/** The key of a word's spelling: phonetic form, stemmed, cut to a few letters. */
export function spellingKey(token: string): string {
  return fullSpelling(token).slice(0, KEY_LENGTH);
}

/**
 * The same before the cut: a typo early in a word shifts the letters a key keeps ("custmers" and
 * "customers" cut to different keys), so typos are also compared on whole stems.
 */
export function fullSpelling(token: string): string {
  return devoice(stem(phonetic(alternate(token))));
}

/**
 * Polish softens a stem's last consonant before some endings: "audyt" and "audycie", "zarząd" and
 * "zarządzie". The soft ending goes back to the hard consonant first, so both forms share a stem.
 */
function alternate(token: string): string {
  if (token.length < 6) return token;
  return token.replace(/cie$/, 't').replace(/dzie$/, 'd').replace(/(?<=[aeiouy])rze$/, 'r');
}

/** Keys of the words of a text that carry meaning, in order (duplicates kept). */
export function contentKeys(text: string): string[] {
  return contentTokens(text).map(termKey);
}

// Chat mentions (<@123>, <@&123>, <#123>, @everyone) name people and places, never the topic.
const MENTIONS = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/g;

/** Every word of a text, folded, in order, stop words included; each cut to MAX_TOKEN_LENGTH. */
export function words(text: string, { keepStylePhrases = false }: { keepStylePhrases?: boolean } = {}): string[] {
  const { styled, plain } = wordsBothWays(text);
  return keepStylePhrases ? styled : plain;
}

/**
 * A text's words folded once, two ways: `styled` keeps the phrases about the text or the answer's
 * form ("according to the article", "w jednym zdaniu", "tl;dr"), which say what is asked for;
 * `plain` drops them, since they say nothing about the topic.
 */
export function wordsBothWays(text: string): { styled: string[]; plain: string[] } {
  let folded = correctPhraseSlips(foldText(readCapitalAcronyms(text.replace(MENTIONS, ' '))));
  for (const [phrase, word] of PHRASE_WORDS) folded = folded.replace(phrase, word);
  let stripped = folded;
  for (const phrase of STYLE_PHRASES) stripped = stripped.replace(phrase, ' ');
  return { styled: splitWords(folded), plain: splitWords(stripped) };
}

/**
 * Phrases about the text are matched as typed, so the words that name the text are first read
 * through one slip ("acording to teh text" is "according to the text"). Only these: a slip of any
 * other word is the search's to judge ("zewnatrz" is one letter from "wewnatrz", "autorska" from
 * "autorka").
 */
const PHRASE_SLIP_WORDS = ['according', 'article', 'articles', 'author', 'passage', 'artykul', 'artykule', 'artykulu', 'tekscie', 'wedlug'];
const SHORT_PHRASE_SLIPS: Readonly<Record<string, string>> = { teh: 'the', hte: 'the', tihs: 'this', thsi: 'this', txet: 'text', tekts: 'tekst' };
/** Every spelling one slip from those words, to its word: one lookup per typed word. */
const PHRASE_SLIPS: ReadonlyMap<string, string> = new Map([
  ...PHRASE_SLIP_WORDS.flatMap((word) => oneSlipSpellings(word).filter((slip) => slip.length >= 6).map((slip) => [slip, word] as const)),
  ...PHRASE_SLIP_WORDS.map((word) => [word, word] as const),
  ...Object.entries(SHORT_PHRASE_SLIPS),
]);

const PHRASE_SLIP_CANDIDATE = new RegExp(`\\b(?:[a-z]{6,11}|${Object.keys(SHORT_PHRASE_SLIPS).join('|')})\\b`, 'g');

function correctPhraseSlips(folded: string): string {
  // A letter held down ("plsss", "pleeease") is typed once: neither language doubles a letter twice.
  // Only words of six letters or more are read as slips ("autor" is not "author"), and a few short ones.
  return folded.replace(/([a-z])\1{2,}/g, '$1').replace(PHRASE_SLIP_CANDIDATE, (word) => PHRASE_SLIPS.get(word) ?? word);
}

/** The spellings one letter missing, extra, wrong or swapped away from a word. */
function oneSlipSpellings(word: string): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const slips = new Set([...deletions(word), ...swaps(word)]);
  for (let i = 0; i <= word.length; i++) {
    for (const letter of letters) {
      slips.add(word.slice(0, i) + letter + word.slice(i));
      if (i < word.length) slips.add(word.slice(0, i) + letter + word.slice(i + 1));
    }
  }
  slips.delete(word);
  return [...slips];
}

/** One letter missing, extra, wrong, or swapped with its neighbour. */
export function oneSlipApart(a: string, b: string): boolean {
  if (a.length === b.length) {
    const diff = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
    return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!]);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return longer.length - shorter.length === 1 && deletions(longer).includes(shorter);
}

/**
 * Acronyms that fold into a stop word ("IT" into "it") keep their meaning, written in capitals in a
 * message that is not typed in capitals throughout.
 */
const CAPITAL_ACRONYMS: readonly (readonly [string, RegExp, string])[] = [['IT', /(?<![\p{L}\p{N}])IT(?![\p{L}\p{N}])/gu, 'informatyka']];

function readCapitalAcronyms(text: string): string {
  let read = text;
  for (const [letters, acronym, word] of CAPITAL_ACRONYMS) if (read.includes(letters) && !isShouted(text)) read = read.replace(acronym, word);
  return read;
}

function splitWords(folded: string): string[] {
  if (folded.trim() === '') return [];
  return folded
    .split(' ')
    .filter((token) => token !== '')
    .map((token) => (token.length > MAX_TOKEN_LENGTH ? token.slice(0, MAX_TOKEN_LENGTH) : token));
}

/** Whether a folded word carries meaning: not a stop word, and more than a left-over letter. */
export function isContentWord(token: string): boolean {
  // Single letters are left-overs of apostrophes and initials ("what's", "i"), not topics.
  return token.length > 1 && !isStopWord(token) && !REQUEST_STEMS.test(token);
}

/** Every form of the verbs that ask for an explanation ("wytłumaczy", "wyjaśniłbyś", "explained"). */
const REQUEST_STEMS = /^(?:wytlumacz|wyjasni|wyjasn|objasni|opowiedz|opowie|przybliz|explain|describ|clarif|elaborat|definiu|definiow|zdefini|define)/;

export function contentTokens(text: string): string[] {
  return words(text).filter(isContentWord);
}

/** A message typed in capitals throughout ("CZY TO BPO???"): more than a few letters, most of them capitals. */
export function isShouted(text: string): boolean {
  const letters = text.normalize('NFKC').replace(/[^\p{L}]/gu, '');
  return letters.length >= 8 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.6;
}

/**
 * Words written as names: in capitals ("ITO", "KPO") or capitalised inside a sentence ("Kraków",
 * "Pepsi"). They are deliberate, never typos of a stop word, and what a question about them is
 * about. A message typed in capitals throughout has none.
 */
export function acronyms(text: string, { shouted = isShouted(text) }: { shouted?: boolean } = {}): Set<string> {
  if (shouted) return new Set();
  const clean = text.normalize('NFKC').replace(FORMAT_CHARS, '');
  const found = new Set<string>();
  for (const sentence of clean.split(/(?<=[.!?:;])\s+|\n+/u)) {
    sentence
      .split(NOT_WORD)
      .filter(Boolean)
      .forEach((word, i) => {
        if (word.length >= 2 && (/^\p{Lu}+$/u.test(word) || (i > 0 && /^\p{Lu}\p{Ll}+$/u.test(word)))) found.add(foldText(word));
      });
  }
  return found;
}

/** Prepositions after which Polish "nie" is the pronoun "them" ("decydują się na nie"), not a negation. */
const BEFORE_PRONOUN = new Set(['na', 'o', 'w', 'za', 'przez', 'pod', 'nad', 'przed', 'dla']);

/** How many negations a text holds, from its folded words: two cancel out. */
export function negationCount(tokens: readonly string[]): number {
  // "Tak/nie?", "yes or no?" ask for the answer; they negate nothing.
  return tokens.filter(
    (token, i) =>
      NEGATIONS.has(token) &&
      !(token === 'nie' && BEFORE_PRONOUN.has(tokens[i - 1] ?? '')) &&
      !(tokens[i - 1] === 'tak' || tokens.slice(i - 2, i).join(' ') === 'yes or' || tokens.slice(i - 2, i).join(' ') === 'tak czy') &&
      // "don" negates as the "don" of "don't" (folded to "don t"), not as a slip of "done".
      !(CONTRACTION_STEMS.has(token) && tokens[i + 1] !== 't'),
  ).length;
}

/** Negations that are the first half of a contraction ("doesn't" folds to "doesn t"). */
const CONTRACTION_STEMS = new Set(['isn', 'aren', 'doesn', 'don', 'didn', 'wasn', 'weren', 'shouldn', 'wouldn', 'hasn', 'haven']);

/** A word's consonants, doubled letters once: what is left of a word typed without its vowels ("frnt ofis"). */
export function consonantSkeleton(token: string): string {
  return token.replace(/[aeiouy]+/g, '').replace(/(.)\1+/g, '$1');
}

/** Whether a word looks typed without its vowels: three consonants or more and at most one vowel. */
export function looksVowelless(token: string): boolean {
  const vowels = token.length - token.replace(/[aeiouy]/g, '').length;
  return vowels <= 1 && consonantSkeleton(token).length >= 3 && !/\d/.test(token);
}

/**
 * A dictionary of words with their one-slip misspellings (a letter missing, extra, swapped, or one
 * wrong in words of five letters or more): "dlaczgo" reads as "dlaczego". For the few words whose
 * meaning matters before the search (question words), not for the vocabulary, which fuse.js matches.
 */
export function slipCorrector(dictionary: Iterable<string>): (token: string) => string {
  const exact = new Set(dictionary);
  const byDeletion = new Map<string, string>();
  for (const word of exact) {
    if (word.length < 6) continue;
    for (const form of [word, ...deletions(word)]) if (!byDeletion.has(form)) byDeletion.set(form, word);
  }
  return (token) => {
    if (exact.has(token) || token.length < 6) return token;
    const missing = byDeletion.get(token); // "dlaczgo"
    if (missing) return missing;
    for (const form of [...swaps(token), ...deletions(token)]) {
      const word = exact.has(form) ? form : token.length >= 5 ? byDeletion.get(form) : undefined;
      if (word && word.length >= 5) return word;
    }
    return token;
  };
}
