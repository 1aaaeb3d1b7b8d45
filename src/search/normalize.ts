import { PHRASES, STOP_WORDS, SYNONYMS } from './stopwords.ts';

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

// Polish inflection endings (folded) and the few English ones that matter; the longest one that
// leaves a stem of at least 3 letters is removed. Both "kosztów" and "kosztami" become "koszt".
const SUFFIXES = [
  'owaniu', 'owania', 'owanie', 'owego', 'owych', 'owymi', 'owej', 'owym', 'owie', 'iemu', 'iego',
  'ami', 'ach', 'ego', 'emu', 'ymi', 'imi', 'iej', 'ich', 'ych', 'owa', 'owe', 'owi', 'owo', 'ow',
  'om', 'em', 'ie', 'ia', 'iu', 'ii', 'ej', 'es', 'a', 'e', 'i', 'o', 'u', 'y', 's',
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
// its vocabulary), so they are remembered; the cap keeps a flood of random words from growing it.
const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 200_000;

/** The key a word is indexed and looked up by. */
export function termKey(token: string): string {
  let key = keyCache.get(token);
  if (key === undefined) {
    key = spellingKey(SYNONYMS.get(token) ?? token);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(token, key);
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

/** The key of a word's spelling alone, before question words are mapped ("dlaczego" to "why"). */
export function spellingKey(token: string): string {
  return stem(phonetic(token)).slice(0, KEY_LENGTH);
}

/** Question words that search as another word, keyed by their spelling: their typos map there too. */
export function questionWordKeys(): Map<string, string> {
  return new Map([...SYNONYMS.keys()].map((word) => [spellingKey(word), termKey(word)]));
}

/** Keys of the words of a text that carry meaning, in order (duplicates kept). */
export function contentKeys(text: string): string[] {
  return contentTokens(text).map(termKey);
}

// Chat mentions (<@123>, <@&123>, <#123>, @everyone) name people and places, never the topic.
const MENTIONS = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/g;

export function contentTokens(text: string): string[] {
  let folded = foldText(text.replace(MENTIONS, ' '));
  for (const [phrase, word] of PHRASES) folded = folded.replace(phrase, word);
  // Single letters are left-overs of apostrophes and initials ("what's", "i"), not topics.
  return folded === '' ? [] : folded.split(' ').filter((token) => token.length > 1 && !isStopWord(token));
}

/** Words written in capitals ("ITO", "KPO"): deliberate acronyms, never typos of a stop word. */
export function acronyms(text: string): Set<string> {
  const words = text.normalize('NFKC').replace(FORMAT_CHARS, '').split(NOT_WORD);
  return new Set(words.filter((word) => word.length >= 2 && /^\p{Lu}+$/u.test(word)).map(foldText));
}
