import { MAX_QUESTION_LENGTH, type Answerer } from '../answering/answer.ts';
import { suggest } from '../answering/suggest.ts';
import type { Lang } from '../knowledge/schema.ts';
import { DISCORD_LIMITS as L, truncate } from '../responder/discord-limits.ts';

export interface Choice {
  /** What the user sees: the topic's title. */
  name: string;
  /** What is submitted if the user picks it: the entry id, answered directly by the ask command. */
  value: string;
}

/**
 * Suggestions while the user types a question: the main topics for empty input, fuzzy matches
 * otherwise. Within Discord's limits (25 choices, 1–100 characters each), which it enforces by
 * rejecting the whole response.
 */
export function autocompleteChoices(typed: string, answerer: Answerer, lang: Lang): Choice[] {
  // The option's max_length keeps typing short; a client that sends more still gets suggestions
  // for the start of it, at the cost of a short question.
  return suggest(typed.slice(0, MAX_QUESTION_LENGTH), answerer, lang, L.autocompleteChoices)
    .map((topic) => ({ name: truncate(topic.title.trim(), L.choiceName), value: topic.id }))
    .filter((choice) => choice.name !== '' && choice.value !== '' && choice.value.length <= L.choiceValue)
    .slice(0, L.autocompleteChoices);
}
