import type { Lang } from '../knowledge/schema.ts';
import { englishProbability, readMessage, type Message, type Reader } from '../reader/reader.ts';
import { messageWords } from '../reader/words.ts';
import { ANSWER_CONFIG } from './config.ts';

const POLISH_LETTERS = /[ąćęłńóśźż]/i;

/** The language of a message: Polish when it has Polish letters or the reader is unsure, because the article and most users are Polish. */
export function languageOf(message: Message, raw: string, reader: Reader): Lang {
  if (POLISH_LETTERS.test(raw)) return 'pl';
  return englishProbability(reader, message) >= ANSWER_CONFIG.english ? 'en' : 'pl';
}

/** The same from the text alone. */
export function detectLanguage(text: string, reader: Reader): Lang {
  return languageOf(readMessage(reader, messageWords(text)), text, reader);
}
