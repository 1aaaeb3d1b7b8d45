/**
 * A copy of the shipped knowledge base in a scratch folder: the knowledge file, its article, its
 * corpus and its trained model (so that loading it trains nothing until the test changes what the
 * reader learns from).
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnswerer, type Answerer } from '../../src/answering/answer.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { loadReader } from '../../src/reader/load.ts';

const KNOWLEDGE = fileURLToPath(new URL('../../knowledge/', import.meta.url));

export interface KnowledgeCopy {
  dir: string;
  file: string;
  article: string;
  corpus: string;
  model: string;
}

export function copyKnowledge(prefix = 'kb-'): KnowledgeCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const name of ['bpo.json', 'bpo-article.txt', 'bpo.model']) copyFileSync(join(KNOWLEDGE, name), join(dir, name));
  cpSync(join(KNOWLEDGE, 'corpus'), join(dir, 'corpus'), { recursive: true });
  return { dir, file: join(dir, 'bpo.json'), article: join(dir, 'bpo-article.txt'), corpus: join(dir, 'corpus'), model: join(dir, 'bpo.model') };
}

/** What `npm start` builds from a base at start-up: the answerer with its reader. */
export function buildAnswerer(kb: KnowledgeBase): Answerer {
  return createAnswerer(kb, loadReader(kb));
}

/**
 * The same with every `keepOneIn`-th example of each corpus file and a model trained for that
 * smaller corpus: for tests of the retraining mechanism (kb:learn, live reload), where a retrain
 * of the whole corpus would only make them slower, not surer.
 */
export function copySmallKnowledge(prefix = 'kb-small-', keepOneIn = 16): KnowledgeCopy {
  const copy = copyKnowledge(prefix);
  for (const name of readdirSync(copy.corpus).filter((name) => name.endsWith('.jsonl'))) {
    const path = join(copy.corpus, name);
    const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
    writeFileSync(path, `${lines.filter((_, index) => index % keepOneIn === 0).join('\n')}\n`);
  }
  loadReader(loadKnowledgeBase(copy.file));
  return copy;
}
