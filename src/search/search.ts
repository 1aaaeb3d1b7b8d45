import type { Entry } from '../knowledge/schema.ts';
import { consonantSkeleton, fullSpelling, isStopWordTypo, looksVowelless, oneSlipApart, termKey } from './normalize.ts';
import { queryFromText, type SearchQuery } from './query.ts';
import { phraseKey, type IndexedEntry, type SearchIndex } from './search-index.ts';
import type { TermMatch } from './term-matcher.ts';

export interface SearchHit {
  entry: Entry;
  /** 0..1, higher is better: how well the best-matching text of the entry matches the question. */
  score: number;
  /** 0..1: the share of the question's meaning (IDF-weighted) found anywhere in the entry. */
  explained: number;
  /** 0..1: the two combined; what the answer threshold applies to. */
  confidence: number;
  /** The entry's place in the knowledge base. */
  position: number;
}

export interface SearchOutcome {
  /** Best first; entries that share no word with the question are not listed. */
  hits: SearchHit[];
  /** The question had no word that carries meaning ("?", "co to jest"). */
  empty: boolean;
}

interface QueryTerm {
  weight: number;
  matches: TermMatch[];
}

/** Ranks the entries for a question. Pure: the same index and question always give the same outcome. */
export function search(question: string | SearchQuery, index: SearchIndex): SearchOutcome {
  const { terms, pairs } = queryTerms(typeof question === 'string' ? queryFromText(question) : question, index);
  const totalWeight = terms.reduce((sum, term) => sum + term.weight, 0);
  if (totalWeight === 0) return { hits: [], empty: true };

  // Stage 1: what each entry explains of the question, summed from the postings alone. It is cheap
  // even for common words in a large knowledge base; only the best entries are then scored fully.
  const explainedWeight = new Map<number, number>();
  for (const term of terms) {
    if (term.weight === 0) continue;
    const credited = new Set<number>();
    for (const match of [...term.matches].sort((a, b) => b.similarity - a.similarity)) {
      for (const position of index.postings.get(match.key) ?? []) {
        if (credited.has(position)) continue;
        credited.add(position);
        explainedWeight.set(position, (explainedWeight.get(position) ?? 0) + term.weight * match.similarity);
      }
    }
  }
  const candidates = topCandidates(explainedWeight, terms, index);

  // Stage 2: the full score of each candidate.
  const matched = new Set(terms.flatMap((term) => term.matches.map((m) => m.key)));
  const { scoreShare } = index.config;
  const hits: SearchHit[] = [];
  const focus = new Map<number, number>();
  const order = new Map<number, number>();
  for (const [position, weight] of candidates) {
    const indexed = index.entries[position]!;
    // Shared phrases lift the score; the order is decided before the cap, so two entries that both
    // reach it stay apart.
    const raw = scoreEntry(indexed, terms, totalWeight, matched, index) + index.config.phraseWeight * phraseShare(indexed, pairs, totalWeight);
    const score = Math.min(1, raw);
    const explained = weight / totalWeight;
    const confidence = Math.round(Math.min(1, scoreShare * raw + (1 - scoreShare) * explained) * 1000) / 1000;
    order.set(position, scoreShare * raw + (1 - scoreShare) * explained);
    hits.push({ entry: indexed.entry, score, explained, confidence, position });
    focus.set(position, titleFocus(indexed, matched));
  }
  // Ties go to the entry whose title is most about the words asked ("marketing": the marketing entry
  // rather than the list of everything BPO covers), then to the one listed first, as main topics are.
  hits.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      order.get(b.position)! - order.get(a.position)! ||
      b.score - a.score ||
      focus.get(b.position)! - focus.get(a.position)! ||
      a.position - b.position,
  );
  return { hits, empty: false };
}

/**
 * The entries that explain most of the question, at most `maxCandidates`. Where the cut falls inside
 * a tie, the tied entries whose alternate questions use more of the words go first: a cut by their
 * place in the file would drop the entry whose phrasing matches ("Z czym należy powiązać BPO?").
 */
function topCandidates(explainedWeight: ReadonlyMap<number, number>, terms: readonly QueryTerm[], index: SearchIndex): [number, number][] {
  const ranked = [...explainedWeight.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const { maxCandidates, tieLookahead } = index.config;
  if (ranked.length <= maxCandidates || ranked[maxCandidates - 1]![1] !== ranked[maxCandidates]![1]) return ranked.slice(0, maxCandidates);
  const cut = ranked[maxCandidates - 1]![1];
  const firstTied = ranked.findIndex(([, weight]) => weight === cut);
  const above = ranked.slice(0, firstTied);
  // In a large knowledge base a tie can hold thousands of entries: a few times the room left is looked at.
  const tied: [number, number][] = [];
  for (let i = firstTied; i < ranked.length && ranked[i]![1] === cut && tied.length < tieLookahead * maxCandidates; i++) tied.push(ranked[i]!);
  const inQuestions = (position: number) => {
    const { questionsByKey } = index.entries[position]!;
    let count = 0;
    for (const term of terms) if (term.weight > 0 && term.matches.some((match) => questionsByKey.has(match.key))) count++;
    return count;
  };
  const byPhrasing = tied.map((candidate) => [candidate, inQuestions(candidate[0])] as const).sort((a, b) => b[1] - a[1] || a[0][0] - b[0][0]);
  return [...above, ...byPhrasing.slice(0, maxCandidates - above.length).map(([candidate]) => candidate)];
}

/** Two neighbouring words of the question, by their matched keys, for phrase matches ("obsługa klientów"). */
interface QueryPair {
  key: string;
  weight: number;
}

function queryTerms(query: SearchQuery, index: SearchIndex): { terms: QueryTerm[]; pairs: QueryPair[] } {
  const { contextWeight, contextUnknownWeight, unknownWeight } = index.config;
  // A misspelled stop word ("jst") is dropped, unless the knowledge base has a word it could be a
  // slip of too ("stnad" is "stąd" or "stand": the topic word wins).
  const words = query.words
    .map((word) => ({ ...word, token: splitGluedPreposition(word.token, index) }))
    .filter(({ token, capital }) => index.terms.has(index.keyOf(token)) || capital || !isStopWordTypo(token) || matchesOf(index.keyOf(token), token, index).length > 0);
  // A compound and its parts describe the same thing whether typed together ("frontofis", even
  // misspelled: "bekofis") or apart ("front office"): both give the parts as weighted terms and the
  // compound as a weightless one, which only helps to recognise the alternate questions containing it.
  const weighted: { key: string; similarity: number; context: boolean }[] = [];
  const weightless: string[] = [];
  // Parts of a two-word name ("Coca Cola", "back office") count as one word between them.
  const halved = new Set<string>();
  const capitals = new Set(words.filter((word) => word.capital && !word.context).map((word) => index.keyOf(word.token)));
  const capitalContext = new Set(words.filter((word) => word.capital && word.context).map((word) => index.keyOf(word.token)));
  words.forEach(({ token, context }, i) => {
    const key = index.keyOf(token);
    const compound = compoundOf(key, index);
    if (compound) {
      for (const part of compound.parts) weighted.push({ key: part, similarity: compound.similarity, context });
      compound.parts.forEach((part) => halved.add(part));
      weightless.push(compound.key);
    } else {
      weighted.push({ key, similarity: 1, context });
    }
    const next = words[i + 1];
    if (next !== undefined && next.context === context) {
      const joined = termKey(token + next.token);
      if (index.compounds.has(joined)) {
        weightless.push(joined);
        halved.add(key).add(index.keyOf(next.token));
      }
    }
  });
  const tokenOf = new Map(words.map(({ token }) => [index.keyOf(token), token]));
  const contextTerms = new Set<QueryTerm>();
  const knownContextTerms = new Set<QueryTerm>();
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  // The question's own words come first, so a word also found in its context counts fully.
  for (const { key, similarity, context } of weighted) {
    if (seen.has(key)) continue;
    seen.add(key);
    // A word of the context is taken as written: guessing at its typos would let a story's words
    // pick the topic ("jednym zdaniem" is no typo of "danej").
    const matches = (context ? (index.terms.has(key) ? [{ key, similarity: 1 }] : []) : matchesOf(key, tokenOf.get(key), index, capitals.has(key))).map((m) => ({
      key: index.canonical(m.key),
      similarity: m.similarity * similarity,
    }));
    const known = matches.length > 0;
    let weight = known ? Math.max(...matches.map((m) => index.idf.get(m.key) ?? 0)) : index.unknownIdf * unknownWeight;
    // An unknown name or acronym ("ITO", "Kraków") is what such a question is about.
    if (!known && capitals.has(key)) weight *= index.config.unknownNameWeight;
    // "skrót PR", "the acronym PR": the noun only points at the name next to it.
    if (isNamingNoun(tokenOf.get(key) ?? '', matches, index) && namesNear(words, tokenOf.get(key)!, capitals, index)) weight = 0;
    // A known name in the context ("Jestem freelancerką od PR") is likely what is asked about.
    if (context) weight *= known ? (capitalContext.has(key) ? 1 : contextWeight) : contextUnknownWeight;
    const term = { weight: halved.has(key) ? weight / 2 : weight, matches };
    if (context && !known) contextTerms.add(term);
    if (context && known) knownContextTerms.add(term);
    terms.push(term);
  }
  for (const key of weightless) {
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push({ weight: 0, matches: [{ key, similarity: 1 }] });
  }
  capContext(terms, contextTerms, index.config.contextUnknownCap);
  capContext(terms, new Set([...contextTerms, ...knownContextTerms]), index.config.contextCap);
  return { terms, pairs: neighbourPairs(words, index) };
}

/**
 * Many words around a question (a long story before it) must not outweigh the question: together
 * they weigh at most `cap` times the rest.
 */
function capContext(terms: QueryTerm[], noise: ReadonlySet<QueryTerm>, cap: number): void {
  let noiseWeight = 0;
  let rest = 0;
  for (const term of terms) {
    if (noise.has(term)) noiseWeight += term.weight;
    else rest += term.weight;
  }
  // With no word of its own the question is its context ("BPO – co to?"): nothing to cap against.
  if (noiseWeight <= cap * rest || noiseWeight === 0 || rest === 0) return;
  const scale = (cap * rest) / noiseWeight;
  for (const term of noise) term.weight *= scale;
}

/** Pairs of neighbouring known words of the question itself, each weighing as its lighter word. */
function neighbourPairs(words: readonly { token: string; context: boolean }[], index: SearchIndex): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i]!, words[i + 1]!];
    if (a.context || b.context) continue;
    const [first, second] = [a, b].map((word) => {
      const key = index.keyOf(word.token);
      const best = matchesOf(key, word.token, index)[0];
      return best ? index.canonical(best.key) : undefined;
    });
    if (!first || !second || first === second) continue;
    pairs.push({ key: phraseKey(first, second), weight: Math.min(index.idf.get(first) ?? 0, index.idf.get(second) ?? 0) });
  }
  return pairs;
}

/** How much of the question's weight comes in phrases the entry uses too. */
function phraseShare(indexed: IndexedEntry, pairs: readonly QueryPair[], totalWeight: number): number {
  let shared = 0;
  for (const pair of pairs) if (indexed.phrases.has(pair.key)) shared += pair.weight;
  return shared / totalWeight;
}

/**
 * The vocabulary keys words stand for, as the search reads them: typos matched, compounds split
 * ("bakoffice" is "back" and "office"), synonyms to their group. A word the index does not know
 * keeps its own key. Polarity concepts ("~must") pass through.
 */
export function resolveKeys(keys: readonly string[], tokens: readonly (string | undefined)[], index: SearchIndex): Set<string> {
  const resolved = new Set<string>();
  keys.forEach((key, i) => {
    if (key.startsWith('~')) {
      resolved.add(key);
      return;
    }
    const compound = compoundOf(key, index);
    if (compound) {
      for (const part of compound.parts) resolved.add(index.canonical(part));
      return;
    }
    const best = matchesOf(key, tokens[i], index)[0];
    resolved.add(best ? index.canonical(best.key) : key);
  });
  return resolved;
}

/** Nouns that name a kind of word ("skrót", "acronym"): beside a name, the name is the topic. */
const NAMING_NOUNS = new Set(['skrot', 'skrotu', 'skrotem', 'skrocie', 'akronim', 'akronimu', 'acronym', 'abbreviation', 'nazwa', 'nazwy', 'name']);

const namingKeys = new WeakMap<SearchIndex, ReadonlySet<string>>();

/** A naming noun as typed, or through a slip ("skrut"): its best match is one's key. */
function isNamingNoun(token: string, matches: readonly TermMatch[], index: SearchIndex): boolean {
  if (NAMING_NOUNS.has(token)) return true;
  const best = matches[0];
  if (!best || best.similarity === 1) return false;
  let keys = namingKeys.get(index);
  if (!keys) namingKeys.set(index, (keys = new Set([...NAMING_NOUNS].map((noun) => index.keyOf(noun)))));
  return keys.has(best.key);
}

/** Whether a distinctive name of the knowledge base, or an unknown acronym, stands next to `token`. */
function namesNear(words: readonly { token: string }[], token: string, capitals: ReadonlySet<string>, index: SearchIndex): boolean {
  const at = words.findIndex((word) => word.token === token);
  return [words[at - 1], words[at + 1]].some((word) => word !== undefined && (index.names.has(word.token) || (capitals.has(index.keyOf(word.token)) && !index.terms.has(index.keyOf(word.token)))));
}

/** Prepositions typed together with the next word ("wbpo", "dousług", "nazewnątrz"). */
const GLUED_PREPOSITIONS = ['na', 'do', 'od', 'po', 'za', 'we', 'ze', 'w', 'z', 'o', 'u'];

/** "wbpo" is "w bpo": an unknown word that is a preposition and a known word, read as the known word. */
function splitGluedPreposition(token: string, index: SearchIndex): string {
  if (token.length < 4 || index.terms.has(index.keyOf(token))) return token;
  for (const preposition of GLUED_PREPOSITIONS) {
    if (!token.startsWith(preposition)) continue;
    const rest = token.slice(preposition.length);
    if (rest.length >= 3 && index.terms.has(index.keyOf(rest))) return rest;
  }
  return token;
}

/** A word's matches in the vocabulary; a word typed without its vowels is also looked up by its consonants. */
function matchesOf(key: string, token: string | undefined, index: SearchIndex, name = false): TermMatch[] {
  if (token === undefined || index.terms.has(key)) return index.terms.match(key);
  // A name is not a typo: "Polsce" is not "polski".
  if (name) return [];
  if (looksVowelless(token)) {
    const found = index.skeletons.get(consonantSkeleton(token));
    return found ? [{ key: found, similarity: index.config.fuzzy.minSimilarity }] : [];
  }
  const spelling = fullSpelling(token);
  const bySpelling = () => index.spellings.terms.match(spelling).map((m) => ({ key: index.spellings.keys.get(m.key)!, similarity: m.similarity }));
  // A long word's key keeps only its first letters, so a typo there, or another word with the same
  // beginning ("interest", "internal"), looks closer than it is: long words are compared whole.
  const byKey = spelling.length > key.length ? bySpelling() : index.terms.match(key);
  if (byKey.length > 0) return byKey;
  // A synonym's key is its group's, so its typo ("diffrence") has no key of its own to be close to;
  // nor does a slip the phonetic key blurs ("offcie"): those are found as spelled, or as typed.
  const spelled = spelling.length === key.length ? bySpelling() : [];
  if (spelled.length > 0) return spelled;
  const corrected = index.correctSlip(token);
  // Both words long: a short word plus a letter is often another word ("towar" and "toward").
  return corrected === token || corrected.length < 6 || !oneSlipApart(token, corrected) ? [] : index.terms.match(index.keyOf(corrected)).map((m) => ({ key: m.key, similarity: Math.min(m.similarity, 1 - 1 / token.length) }));
}

/** The compound a word is, exactly or as its closest fuzzy match. */
function compoundOf(key: string, index: SearchIndex): { key: string; parts: readonly [string, string]; similarity: number } | undefined {
  const exact = index.compounds.get(key);
  if (exact) return { key, parts: exact, similarity: 1 };
  if (index.terms.has(key)) return undefined;
  const closest = index.terms.match(key)[0];
  const parts = closest && index.compounds.get(closest.key);
  return parts ? { key: closest.key, parts, similarity: closest.similarity } : undefined;
}

function scoreEntry(indexed: IndexedEntry, terms: QueryTerm[], totalWeight: number, matched: ReadonlySet<string>, index: SearchIndex): number {
  const { fieldWeights, corroboration } = index.config;
  const touched = new Set<number>();
  for (const key of matched) for (const i of indexed.questionsByKey.get(key) ?? []) touched.add(i);
  let bestQuestion = 0;
  for (const i of touched) {
    bestQuestion = Math.max(bestQuestion, questionMatch(indexed.questions[i]!, indexed.questionWeights[i]!, terms, totalWeight, matched, index));
  }
  const keyword = recall(indexed.keywords, terms, totalWeight);
  const answer = recall(indexed.answer, terms, totalWeight);
  const top = Math.max(fieldWeights.question * bestQuestion, fieldWeights.keyword * keyword, fieldWeights.answer * answer);
  const support = (keyword + answer) / 2;
  return Math.min(1, top * (1 - corroboration) + support * corroboration);
}

/** F1 of a question against one alternate question: recall over the question's words, precision over the alternate's. */
function questionMatch(
  keys: ReadonlySet<string>,
  keysWeight: number,
  terms: QueryTerm[],
  totalWeight: number,
  matched: ReadonlySet<string>,
  index: SearchIndex,
): number {
  const r = recall(keys, terms, totalWeight);
  if (r === 0 || keysWeight === 0) return 0;
  let found = 0;
  for (const key of keys) if (matched.has(key)) found += index.idf.get(key) ?? 0;
  const p = found / keysWeight;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** The share of an entry's title words (either language) that the question matched. */
function titleFocus(indexed: IndexedEntry, matched: ReadonlySet<string>): number {
  let hits = 0;
  for (const key of indexed.titles) if (matched.has(key)) hits++;
  return indexed.titles.size === 0 ? 0 : hits / indexed.titles.size;
}

function recall(keys: ReadonlySet<string>, terms: QueryTerm[], totalWeight: number): number {
  let matched = 0;
  for (const term of terms) {
    let similarity = 0;
    for (const match of term.matches) if (keys.has(match.key)) similarity = Math.max(similarity, match.similarity);
    matched += term.weight * similarity;
  }
  return matched / totalWeight;
}

