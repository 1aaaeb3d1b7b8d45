/**
 * How sure the reader must be before the bot says something, in one frozen object: the operating
 * points measured on briefs held out of training (`npm run bench`).
 */
export const ANSWER_CONFIG = Object.freeze({
  /** The probability the best entry needs to be the answer; below it the reply is "not found". */
  minConfidence: 0.5,
  /** A second entry joins the answer (a compound question, a comparison) when it is at least this likely… */
  secondPart: 0.2,
  /** …and at least this share of the first's probability. */
  secondPartShare: 0.4,
  /** A clause of a message that asks several things adds its entry when this sure of it. */
  clause: 0.7,
  /** …and a side of a comparison, a term read alone ("audyt", "accounting"), when its entry is likelier than anything else. */
  side: 0.5,
  /** Entries at least this likely are offered as "did you mean" topics with a "not found". */
  suggestion: 0.05,
  /**
   * The probability that a message is a yes/no question the article settles, for a "Tak."/"Nie."
   * first… With the asks head's 40,000 rows, 0.5 gives a yes or no to as few open questions as 0.2
   * did with 15,000 (in cross-validation by brief, 793 open questions against 784).
   */
  yesOrNo: 0.5,
  /** …and the probability its yes (or no) needs. Below either, the answer comes without one. */
  verdict: 0.98,
  /**
   * A message on its own is English when the language head is at least this sure and the text has
   * no Polish letters; Polish otherwise, the bot's first language. Messages made only of words both
   * languages use ("bpo", "back office?", "call center", "coca-cola outsourcing") read 0.5 to 0.75
   * English, as the corpus happens to hold them; of its 42,111 English examples without Polish
   * letters, 42,040 read at least 0.7.
   */
  english: 0.65,
  /**
   * In a conversation, an unsure reading leans to the conversation's language: English from
   * `conversationEnglish` less `conversationLanguagePull` after an English answer, plus it after a
   * Polish one.
   */
  conversationEnglish: 0.5,
  conversationLanguagePull: 0.2,
});
