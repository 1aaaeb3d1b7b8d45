import { acronyms, contentTokens } from './normalize.ts';

/** One word of a question to search for. */
export interface QueryWord {
  /** Folded (lower case, no diacritics), a content word: stop words are already gone. */
  token: string;
  /**
   * From around the question rather than the question itself: a sentence of context ("Piszę pracę
   * zaliczeniową."), or the clause a follow-up refers back to. A known word there still points to
   * the topic; an unknown one says little about what is asked.
   */
  context: boolean;
  /** Written in capitals ("ITO", "SAP"): a deliberate name, never a typo of a stop word. */
  capital: boolean;
}

/** What the search ranks entries for: the question's content words, in order. */
export interface SearchQuery {
  words: QueryWord[];
}

/** A whole text as one query, every word part of the question (for suggestions, tests and tools). */
export function queryFromText(text: string): SearchQuery {
  const capitals = acronyms(text);
  return { words: contentTokens(text).map((token) => ({ token, context: false, capital: capitals.has(token) })) };
}
