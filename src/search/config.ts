/**
 * Every tuning number of the search in one frozen object, so calibration happens in one place.
 * The values were calibrated on tests/fixtures/questions.dev.json and checked on the held-out set.
 */
export const SEARCH_DEFAULTS = Object.freeze({
  /** How much a match in each kind of text counts: alternate questions and titles above keywords above answers. */
  fieldWeights: Object.freeze({ question: 1, keyword: 0.85, answer: 0.6 }),
  /** Share of the best keyword and answer match added on top of the best field, so corroboration breaks ties. */
  corroboration: 0.3,
  /**
   * Confidence = scoreShare * (how well the entry's best text matches) + the rest * (how much of the
   * question the entry explains). Below minConfidence the question is treated as out of scope.
   */
  scoreShare: 0.5,
  minConfidence: 0.47,
  /** Weight of a word the knowledge base does not know, relative to its rarest word: unknown words are what out-of-scope questions are made of. */
  unknownWeight: 1.5,
  /** Rare words weigh more (inverse document frequency); this power flattens the curve, since in a small knowledge base any filler word can look rare. */
  idfPower: 0.75,
  /** Entries scored in full per question, chosen by how much of the question they explain. */
  maxCandidates: 12,
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
    /** Remembered lookups (typos repeat). */
    cacheSize: 5000,
  }),
});

export type SearchConfig = typeof SEARCH_DEFAULTS;
