import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CORPUS_FILE_BYTES, MAX_KNOWLEDGE_FILE_BYTES, type KnowledgeFiles } from './load.ts';
import { feedRegularFile, NotReadableAsFile } from './regular-file.ts';
import { MAX_ARTICLE_BYTES } from './schema.ts';

/**
 * The bytes of a knowledge base's files as they are on disk now, hashed: the knowledge file, its
 * article and every corpus file. A file that cannot be read, is not a regular file or is too large
 * is hashed as that, without being read (a pipe in its place must not stall the reload).
 */
export function diskFingerprint(files: Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'>): string {
  const hash = createHash('sha256');
  const corpus = files.corpus;
  let corpusFiles: string[] = [];
  try {
    corpusFiles = corpus ? readdirSync(corpus).filter((name) => /\.jsonl?$/.test(name)).sort().map((name) => join(corpus, name)) : [];
  } catch (error) {
    hash.update(`unlistable:${(error as NodeJS.ErrnoException).code}`);
  }
  const sized: [string, number][] = [
    [files.knowledge, MAX_KNOWLEDGE_FILE_BYTES],
    [files.article, MAX_ARTICLE_BYTES],
    ...corpusFiles.map((path): [string, number] => [path, MAX_CORPUS_FILE_BYTES]),
  ];
  for (const [path, maxBytes] of sized) {
    hash.update(path);
    try {
      feedRegularFile(path, maxBytes, (chunk) => hash.update(chunk));
    } catch (error) {
      hash.update(error instanceof NotReadableAsFile ? error.reason : `unreadable:${(error as NodeJS.ErrnoException).code}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
