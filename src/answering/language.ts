import type { Lang } from '../knowledge/schema.ts';
import { englishProbability, readMessage, type Message, type Reader } from '../reader/reader.ts';
import { messageWords } from '../reader/words.ts';
import { ANSWER_CONFIG } from './config.ts';

const POLISH_LETTERS = /[ąćęłńóśźż]/i;
const LATIN_LETTER = /[a-z]/i;

/**
 * The language of a message: Polish when it has Polish letters or the reader is unsure, because
 * the article and most users are Polish. In a conversation an unsure reading ("ok, examples?")
 * keeps the conversation's language instead.
 */
export function languageOf(message: Message, raw: string, reader: Reader, conversation?: Lang): Lang {
  if (POLISH_LETTERS.test(raw)) return 'pl';
  // No Latin letters (emoji, another script): the reader only knows Polish and English, so unsure.
  if (!LATIN_LETTER.test(raw) || message.features.length === 0) return conversation ?? 'pl';
  const english = englishProbability(reader, message);
  if (conversation === undefined) return english >= ANSWER_CONFIG.english ? 'en' : 'pl';
  const pull = conversation === 'en' ? -ANSWER_CONFIG.conversationLanguagePull : ANSWER_CONFIG.conversationLanguagePull;
  return english >= ANSWER_CONFIG.conversationEnglish + pull ? 'en' : 'pl';
}

/** The same from the text alone. */
export function detectLanguage(text: string, reader: Reader, conversation?: Lang): Lang {
  return languageOf(readMessage(reader, messageWords(text)), text, reader, conversation);
}
