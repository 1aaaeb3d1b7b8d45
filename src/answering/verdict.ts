import { statementWords, type IndexedStatement, type SearchIndex } from '../search/search-index.ts';
import { resolveKeys } from '../search/search.ts';
import type { AnswerPart } from './answer.ts';
import { negationCount } from '../search/normalize.ts';

export type Verdict = 'yes' | 'no';

/** How closely the entry's best statement matches a yes/no question (0..1): for choosing between entries that rank alike. */
export function statementFit(asked: readonly string[], entryId: string, index: SearchIndex): number {
  const indexed = index.entries.find((candidate) => candidate.entry.id === entryId);
  if (!indexed) return 0;
  const keys = claimKeys(asked, indexed.titles, index);
  return Math.max(0, ...indexed.statements.map((statement) => overlap(keys, statement, indexed.titles, index, index.config.verdict.polarityWeight)));
}

/** The keys a question claims about an entry: its content and polarity words, resolved as the search reads them, less the entry's topic. */
function claimKeys(asked: readonly string[], topic: ReadonlySet<string>, index: SearchIndex): Set<string> {
  const words = statementWords(asked);
  const resolved = resolveKeys(words.map((word) => (word.startsWith('~') ? word : index.keyOf(word))), words, index);
  return new Set([...resolved].filter((key) => !topic.has(key)));
}

/**
 * Yes or no for a yes/no question, where the article settles it. The entry's statements say what
 * the article holds true or false ("Klienci widzą back-office": false); the question is read as the
 * statement it matches best, its negations counted ("czy klient nie widzi…" turns the answer round).
 * With no statement close enough, a confident answer is a yes unless a false statement comes near;
 * anything else gets no verdict, only the answer.
 */
export function verdictFor(typed: readonly string[], part: AnswerPart, index: SearchIndex): Verdict | undefined {
  const indexed = index.entries.find((candidate) => candidate.entry.id === part.entry.id);
  if (!indexed) return undefined;
  const asked = splitNegatedWords(typed, index);
  const negations = negationCount(asked);
  const { statementMatch, contradiction, margin, polarityWeight } = index.config.verdict;
  // The entry's topic ("back-office") is given by both sides; what is claimed about it decides.
  const topic = indexed.titles;
  const keys = claimKeys(asked, topic, index);
  // Each statement read as the question asks it: a negation on one side only turns its truth round.
  let holding = 0;
  let against = 0;
  for (const statement of indexed.statements) {
    const match = overlap(keys, statement, topic, index, polarityWeight);
    const holds = statement.truth === ((negations + statement.negations) % 2 === 0);
    if (holds) holding = Math.max(holding, match);
    else against = Math.max(against, match);
  }
  // Statements often come in pairs that differ in one word ("część" / "cały"): the question is
  // read as the closer of the two, and only a clear difference decides.
  if (Math.max(holding, against) >= statementMatch && Math.abs(holding - against) >= margin) return holding > against ? 'yes' : 'no';
  // No statement close enough: an answered plain question that no false statement resembles is a
  // yes ("Czy księgowość to BPO?" answered by the accounting entry).
  if (negations === 0 && part.confidence >= index.config.minConfidence && against < contradiction) return 'yes';
  return undefined;
}

/**
 * "Niewidoczne", "invisible", "unseen": a negation inside a word that searches like its opposite
 * (a synonym group may hold both, for finding the entry). For the yes or no it is read as "nie" and
 * the rest, so it counts against statements as "nie jest widoczny" does.
 */
const NEGATING_PREFIXES = ['nie', 'un', 'in', 'im'];

function splitNegatedWords(words: readonly string[], index: SearchIndex): readonly string[] {
  return words.flatMap((word) => {
    const prefix = NEGATING_PREFIXES.find((candidate) => word.startsWith(candidate) && word.length - candidate.length >= 4);
    return prefix && index.keyOf(word.slice(prefix.length)) === index.keyOf(word) ? ['nie', word.slice(prefix.length)] : [word];
  });
}

/** IDF-weighted F1 between the question's keys and a statement's; a word the index does not know weighs like its rarest. */
function overlap(keys: ReadonlySet<string>, statement: IndexedStatement, topic: ReadonlySet<string>, index: SearchIndex, polarityWeight: number): number {
  // Polarity concepts ("~all", "~part") are not in the index and decide between paired statements:
  // they weigh several rare words.
  const weight = (key: string) => (key.startsWith('~') ? polarityWeight * index.unknownIdf : (index.idf.get(key) ?? index.unknownIdf));
  let shared = 0;
  let asked = 0;
  for (const key of keys) {
    asked += weight(key);
    if (statement.keys.has(key)) shared += weight(key);
  }
  const claimed = [...statement.keys].filter((key) => !topic.has(key)).reduce((sum, key) => sum + weight(key), 0);
  if (shared === 0 || asked === 0 || claimed === 0) return 0;
  const recall = shared / asked;
  const precision = shared / claimed;
  return (2 * precision * recall) / (precision + recall);
}
