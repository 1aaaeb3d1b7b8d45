import { CONTRAST_WORD, QUESTION_MARK_WORD } from './features.ts';

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

// Discord's markup names people, channels, roles and emoji, never the topic; links neither.
const MARKUP = /<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|@(?:everyone|here)\b|\bhttps?:\/\/\S+/g;
/** No real word is longer; longer "words" are pasted junk, cut so that no feature is built from all of it. */
export const MAX_WORD_LENGTH = 40;
/** More words than this are pasted text, not a question: the rest is not read. */
export const MAX_WORDS = 80;

/** A comma, semicolon or dash before "nie"/"not": an alternative set against the claim, kept as a marker word. */
const CONTRAST = /\s*[,;–—]\s*(?=(?:nie|not)(?![\p{L}\p{N}]))/giu;

/**
 * A message as the reader sees it: its words folded (lower case, no diacritics, no punctuation),
 * Discord markup and links left out, a marker word where a comma sets an alternative against the
 * claim, and one at the end when it asks with a question mark.
 */
export function messageWords(text: string): string[] {
  const words: string[] = [];
  for (const [i, part] of text.replace(MARKUP, ' ').split(CONTRAST).entries()) {
    if (words.length >= MAX_WORDS) break;
    if (i > 0 && words.length > 0) words.push(CONTRAST_WORD);
    const folded = foldText(part);
    if (folded !== '') for (const word of folded.split(' ', MAX_WORDS - words.length)) words.push(word.length > MAX_WORD_LENGTH ? word.slice(0, MAX_WORD_LENGTH) : word);
  }
  if (/[?？]/.test(text)) words.push(QUESTION_MARK_WORD);
  return words;
}
