import { runWorker } from '../worker.ts';
import type { KnowledgeBase, KnowledgeFiles } from './load.ts';

/** What a reload found, read off the main thread. */
export type ReadOffThread =
  /** The files are byte for byte what is being answered from. */
  | { kind: 'unchanged' }
  /** They changed while they were read: read them again. */
  | { kind: 'moving' }
  | { kind: 'loaded'; kb: KnowledgeBase; fingerprint: string }
  | { kind: 'refused'; problems: string[]; fingerprint: string };

/** A reload that takes longer is given up (and refused), so that a stuck one cannot stop all later ones. */
const READ_TIMEOUT_MS = 60_000;

/**
 * Fingerprints, reads and checks a knowledge base in a worker thread, so that a large file (or
 * one being written) never holds up the answers. `known` is the fingerprint being answered from.
 */
export async function readKnowledgeOffThread(file: string, files: Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'>, known: string): Promise<ReadOffThread> {
  // The worker is the compiled script: from src/knowledge and dist/knowledge alike, two folders up is the project.
  try {
    return await runWorker<ReadOffThread>(new URL('../../dist/knowledge/reload-worker.js', import.meta.url), { file, files: { ...files }, known }, 'reload', { timeoutMs: READ_TIMEOUT_MS });
  } catch (error) {
    return { kind: 'refused', problems: [`cannot be read: ${(error as Error).message}`], fingerprint: known };
  }
}
