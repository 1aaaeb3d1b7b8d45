import { loadKnowledgeBase, type LoadOptions } from '../knowledge/load.ts';
import { loadReader, type LoadReaderOptions } from '../reader/load.ts';
import { createAnswerer, type Answerer } from './answer.ts';

/**
 * The answerer of a knowledge file: the knowledge base and its reader (trained now if its model
 * is missing or stale). The corpus's examples are not read unless asked for: answering needs only the model.
 * Throws KnowledgeBaseError on a broken knowledge base.
 */
export function loadAnswerer(file?: string, options: LoadReaderOptions & LoadOptions = {}): Answerer {
  const kb = loadKnowledgeBase(file, { withExamples: options.withExamples ?? false });
  return createAnswerer(kb, loadReader(kb, options));
}
