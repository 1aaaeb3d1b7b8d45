/**
 * Every tuning number of the search in one frozen object, so calibration happens in one place.
 * The values were calibrated on tests/fixtures/questions.dev.json and checked on the held-out set.
 */
export const SEARCH_DEFAULTS = Object.freeze({
  /** How much a match in each kind of text counts: alternate questions and titles above keywords above answers. */
  fieldWeights: Object.freeze({ question: 1, keyword: 0.85, answer: 0.6 }),
  /** How much the question's weight in phrases the entry uses too ("obsługa klientów") adds to its score. */
  phraseWeight: 0.3,
  /** Share of the best keyword and answer match added on top of the best field, so corroboration breaks ties. */
  corroboration: 0.3,
  /**
   * Confidence = scoreShare * (how well the entry's best text matches) + the rest * (how much of the
   * question the entry explains). Below minConfidence the question is treated as out of scope.
   */
  scoreShare: 0.5,
  minConfidence: 0.46,
  /** Weight of a word the knowledge base does not know, relative to its rarest word: unknown words are what out-of-scope questions are made of. */
  unknownWeight: 1.5,
  /** An unknown word written in capitals or as a name ("ITO", "Kraków") weighs this many times more. */
  unknownNameWeight: 1.5,
  /** A known word from the context of a question (a sentence before it, the clause a follow-up refers to) counts this much. */
  contextWeight: 0.6,
  /** An unknown word from the context counts this much of an unknown word in the question itself. */
  contextUnknownWeight: 0.15,
  /** …and all of them together at most this much of the rest of the question. */
  contextUnknownCap: 0.3,
  /** All words of the context together (known or not) weigh at most this much of the question's own words. */
  contextCap: 1,
  /** Rare words weigh more (inverse document frequency); this power flattens the curve, since in a small knowledge base any filler word can look rare. */
  idfPower: 0.75,
  /** Entries scored in full per question, chosen by how much of the question they explain. */
  maxCandidates: 12,
  /** Where the last places tie, at most this many times `maxCandidates` tied entries are compared by their phrasings. */
  tieLookahead: 4,
  /** How what a question asks for steers the answer (see `answers` in the knowledge file). */
  intents: Object.freeze({
    /** Confidence is multiplied by this when the question asks for a reason, a person, a date… the entry does not give. */
    mismatch: 0.45,
    /** Added when the entry does give it. */
    match: 0.05,
    /** Added when the entry has the asked shape (a list, a comparison, an example, a definition). */
    shape: 0.03,
    /** Confidence is multiplied by this when a list or an example is asked for and the entry gives neither. */
    shapeMismatch: 0.9,
    /** The same when the meaning of a term is asked for and the entry defines no term. */
    termMismatch: 0.8,
    /** The second topic of a comparison must explain at least this share of what the first left. */
    secondTopicExplained: 0.5,
  }),
  /** Yes or no first, for yes/no questions. */
  verdict: Object.freeze({
    /** A statement decides when it matches the question at least this well (weighted F1). */
    statementMatch: 0.55,
    /** Entries within this much of the best one are told apart by their statements, for a yes/no question. */
    tieMargin: 0.05,
    /** …and the statements that would make it "yes" and "no" differ at least this much. */
    margin: 0.05,
    /** How many rare words a polarity word ("cały", "tylko", "musi") weighs in that comparison. */
    polarityWeight: 3,
    /** Without a matching statement, an answered question is a "yes" unless a statement that would make it "no" matches this well. */
    contradiction: 0.5,
  }),
  /** Fuzzy word matching (fuse.js Bitap) for words not in the vocabulary: a typo or an inflection. */
  fuzzy: Object.freeze({
    /** Shorter words are only matched exactly: "kpo" must not become "bpo". */
    minLength: 4,
    /** fuse.js score cut-off (0 = exact, 1 = anything). */
    maxScore: 0.4,
    /** Similarity (0..1) below which a fuzzy match is ignored. */
    minSimilarity: 0.7,
    /** The same for words of 5 letters or fewer. */
    minShortSimilarity: 0.75,
    /** How many vocabulary words, pre-selected by shared letter triples, fuse.js scores per unknown word. */
    candidates: 12,
    /** Memory for remembered lookups (typos repeat), per matcher; the least recently used are forgotten first. */
    cacheBytes: 1024 * 1024,
  }),
});

export type SearchConfig = typeof SEARCH_DEFAULTS;
