import { loadKnowledgeBase } from '../knowledge/load.ts';
import { loadReader, type LoadReaderOptions } from '../reader/load.ts';
import { createAnswerer, type Answerer } from './answer.ts';

/**
 * The answerer of a knowledge file: the knowledge base and its reader (trained now if its model
 * is missing or stale). Throws KnowledgeBaseError on a broken knowledge base.
 */
export function loadAnswerer(file?: string, options: LoadReaderOptions = {}): Answerer {
  const kb = loadKnowledgeBase(file);
  return createAnswerer(kb, loadReader(kb, options));
}
