/**
 * Adds an accepted question to the corpus: one line appended to the entry's file, so `git diff`
 * shows the one line added. The reader learns it at its next training.
 */
import { join } from 'node:path';
import { foldText } from '../reader/words.ts';
import { exampleLine, MAX_EXAMPLE_LENGTH } from './corpus.ts';
import type { KnowledgeBase } from './load.ts';
import type { Lang } from './schema.ts';

/** Why a question cannot be added, as one sentence. */
export class LearnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnError';
  }
}

export interface AcceptedQuestion {
  entryId: string;
  question: string;
  lang: Lang;
}

/** The brief of the questions keepers accept from what users asked. */
export const ACCEPTED_BRIEF = 'accepted';

/**
 * The corpus file to append to, and the line. Refuses an unknown entry, an empty, multi-line or
 * over-long question, and one the knowledge base already has as a title or an example of any
 * entry (compared folded), or as an out-of-scope example.
 */
export function acceptedExample(kb: KnowledgeBase, { entryId, question, lang }: AcceptedQuestion, shown: string): { file: string; line: string } {
  const wanted = question.trim();
  if (wanted === '') throw new LearnError('The question is empty: pass the question to add with --question "…".');
  if (/[\r\n]/.test(wanted)) throw new LearnError('The question spans several lines: pass it as one line.');
  // Invisible characters (control, zero-width, right-to-left override) would make an example that
  // reads as something else than it is: refused, not kept.
  if (/[\p{Cc}\p{Cf}]/u.test(wanted)) throw new LearnError('The question holds invisible control or formatting characters (such as a zero-width space or a right-to-left override): type it again without them.');
  if (foldText(wanted) === '') throw new LearnError('The question has no words, only punctuation or symbols: pass a question people would ask.');
  if (wanted.length > MAX_EXAMPLE_LENGTH) throw new LearnError(`The question has ${wanted.length} characters, more than the ${MAX_EXAMPLE_LENGTH} an example may have: shorten it.`);
  if (!kb.byId.has(entryId)) throw new LearnError(`There is no entry "${entryId}" in ${shown}: use the id of an existing entry, as the report prints it.`);
  const folder = kb.files?.corpus;
  if (!folder) throw new LearnError(`${shown} names no corpus folder to add examples to: add "corpus": "corpus" to it and create the folder.`);
  const folded = foldText(wanted);
  for (const entry of kb.entries) {
    for (const titleLang of ['pl', 'en'] as const) if (foldText(entry.title[titleLang]) === folded) throw new LearnError(`"${wanted}" is already the title of entry "${entry.id}": there is nothing to add.`);
  }
  const existing = kb.corpus.examples.find((example) => foldText(example.text) === folded);
  if (existing) {
    const where = existing.entry === null ? 'an out-of-scope example' : `an example of entry "${existing.entry}"`;
    throw new LearnError(`"${wanted}" is already ${where} in the corpus: there is nothing to add.`);
  }
  return { file: join(folder, `${entryId}.jsonl`), line: exampleLine({ text: wanted, lang, brief: ACCEPTED_BRIEF }) };
}
