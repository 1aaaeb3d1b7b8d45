import { createAnswerer, type Answerer } from '../answering/answer.ts';
import { KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.ts';

/** Loads the knowledge base for a command-line tool; on a broken knowledge base prints what to fix and exits. */
export function loadAnswererOrExit(file?: string): Answerer {
  try {
    return createAnswerer(loadKnowledgeBase(file));
  } catch (error) {
    if (error instanceof KnowledgeBaseError) {
      process.stderr.write(`${error.message}\nFix the knowledge file, then run "npm run kb:check" to confirm.\n`);
      process.exit(1);
    }
    throw error;
  }
}
