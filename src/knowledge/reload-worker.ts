/**
 * Reads a changed knowledge base off the main thread (see readKnowledgeOffThread): fingerprints the
 * files, and when they differ from what is being answered from, loads and checks them, then
 * fingerprints them again. What it posts back is what it loaded, with the fingerprint of exactly
 * that; files that changed while they were read are reported as such, to be read again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { diskFingerprint } from './fingerprint.ts';
import { KnowledgeBaseError, loadKnowledgeBase, type KnowledgeFiles } from './load.ts';
import type { ReadOffThread } from './reload.ts';

const { file, files, known } = workerData as { file: string; files: Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'>; known: string };

function read(): ReadOffThread {
  const before = diskFingerprint(files);
  if (before === known) return { kind: 'unchanged' };
  try {
    const kb = loadKnowledgeBase(file, { withExamples: false });
    const after = diskFingerprint(kb.files!);
    // A save while it was read: what was loaded may mix two versions.
    if (sameFiles(files, kb.files!) && after !== before) return { kind: 'moving' };
    return { kind: 'loaded', kb, fingerprint: after };
  } catch (error) {
    const problems = error instanceof KnowledgeBaseError ? error.problems : [`cannot be used: ${(error as Error).message}`];
    return { kind: 'refused', problems, fingerprint: before };
  }
}

function sameFiles(a: Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'>, b: Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'>): boolean {
  return a.knowledge === b.knowledge && a.article === b.article && a.corpus === b.corpus;
}

parentPort?.postMessage(read());
