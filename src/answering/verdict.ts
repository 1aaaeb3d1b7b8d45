import { statementWords, type IndexedStatement, type SearchIndex } from '../search/search-index.ts';
import { resolveKeys } from '../search/search.ts';
import type { AnswerPart } from './answer.ts';
import type { AnalyzedQuestion } from './question.ts';

export type Verdict = 'yes' | 'no';

/**
 * Yes or no for a yes/no question, where the article settles it. The entry's statements say what
 * the article holds true or false ("Klienci widzą back-office": false); the question is read as the
 * statement it matches best, its negations counted ("czy klient nie widzi…" turns the answer round).
 * With no statement close enough, a confident answer is a yes unless a false statement comes near;
 * anything else gets no verdict, only the answer.
 */
export function verdictFor(question: AnalyzedQuestion, part: AnswerPart, index: SearchIndex): Verdict | undefined {
  const indexed = index.entries.find((candidate) => candidate.entry.id === part.entry.id);
  if (!indexed) return undefined;
  const { statementMatch, defaultYesConfidence, contradiction } = index.config.verdict;
  // The entry's topic ("back-office") is given by both sides; what is claimed about it decides.
  const topic = indexed.titles;
  const words = statementWords(question.words);
  const resolved = resolveKeys(words.map((word) => (word.startsWith('~') ? word : index.keyOf(word))), words, index);
  const keys = new Set([...resolved].filter((key) => !topic.has(key)));
  // Each statement read as the question asks it: a negation on one side only turns its truth round.
  let best: { holds: boolean; match: number } | undefined;
  let against = 0;
  for (const statement of indexed.statements) {
    const match = overlap(keys, statement, topic, index);
    const holds = statement.truth === ((question.negations + statement.negations) % 2 === 0);
    if (!holds) against = Math.max(against, match);
    if (!best || match > best.match) best = { holds, match };
  }
  if (best && best.match >= statementMatch) return best.holds ? 'yes' : 'no';
  // No statement close enough: a confident answer to a plain question that no false statement
  // resembles is a yes ("Czy księgowość to BPO?" answered by the accounting entry).
  if (question.negations === 0 && part.confidence >= defaultYesConfidence && against < contradiction) return 'yes';
  return undefined;
}

/** IDF-weighted F1 between the question's keys and a statement's; a word the index does not know weighs like its rarest. */
function overlap(keys: ReadonlySet<string>, statement: IndexedStatement, topic: ReadonlySet<string>, index: SearchIndex): number {
  // Polarity concepts ("~must") are not in the index: they weigh like a rare word, since they decide.
  const weight = (key: string) => index.idf.get(key) ?? index.unknownIdf;
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
