/**
 * The reader of a knowledge base: its model file when the file was trained from exactly this
 * knowledge base and corpus, and otherwise a model trained now and saved for the next start.
 */
import { readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { NotReadableAsFile, withRegularFile } from '../knowledge/regular-file.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/load.ts';
import { HEAD_NAMES, trainingDigest, trainingInputs, type HeadName } from './examples.ts';
import { decodeModel, encodeModel, ModelFileError, type ModelFile } from './model-file.ts';
import { readerOf, trainReader, type Reader } from './reader.ts';
import { runWorker } from '../worker.ts';

export interface LoadReaderOptions {
  /** Called before a model is trained (it takes a while): the number of examples, when known. */
  onTraining?: (examples?: number) => void;
  /** Called when a trained model could not be saved: the bot answers all the same, and trains again at the next start. */
  onSaveFailed?: (error: Error) => void;
}

/**
 * The reader for a knowledge base, trained here and now if its model file is missing or stale.
 * Synchronous: for start-up and command-line tools. A base loaded without its examples has them
 * read (and checked) only when a model must be trained.
 */
export function loadReader(kb: KnowledgeBase, options: LoadReaderOptions = {}): Reader {
  return storedReader(kb) ?? trainedReader(kb, options);
}

/** The model file of a knowledge base, when it was trained from exactly this base and corpus. */
function currentModelFile(kb: KnowledgeBase): ModelFile | undefined {
  return kb.files ? readModelFile(kb.files.model, trainingDigest(kb)) : undefined;
}

/** The reader in the current model file of a knowledge base. */
function storedReader(kb: KnowledgeBase): Reader | undefined {
  const current = currentModelFile(kb);
  return current && readerOf(current);
}

/** A reader trained here and now, and saved beside the knowledge file. */
function trainedReader(kb: KnowledgeBase, options: LoadReaderOptions): Reader {
  const full = kb.corpus.read || !kb.files ? kb : loadKnowledgeBase(kb.files.knowledge);
  const inputs = trainingInputs(full);
  options.onTraining?.(inputs.samples.length);
  const model = trainReader(inputs);
  if (full.files) saveModelFile(full.files.model, model, options);
  return readerOf(model)!;
}

/** Whether the model file of a knowledge base is current, so loadReader will not need to train. */
export function hasCurrentModel(kb: KnowledgeBase): boolean {
  return currentModelFile(kb) !== undefined;
}

/**
 * The same without blocking the event loop: a missing or stale model is trained in worker threads
 * (see trainInWorkers), while the caller goes on answering from what it has.
 */
export async function loadReaderInWorker(kb: KnowledgeBase, options: LoadReaderOptions = {}): Promise<Reader> {
  // The model file is read once: a current one is the reader.
  const current = storedReader(kb);
  if (current) return current;
  if (!kb.files) return trainedReader(kb, options);
  const { knowledge, model } = kb.files;
  options.onTraining?.(kb.corpus.read ? trainingInputs(kb).samples.length : undefined);
  const trained = await trainInWorkers(knowledge);
  // The files may have changed while it trained: then the next reload trains again.
  saveModelFile(model, trained, options);
  const reader = readerOf(trained);
  if (!reader) throw new ModelFileError('the trained model lacks a head');
  return reader;
}

/**
 * The heads in two shares of about equal training time (measured one by one, at 68,000 examples
 * and 32,000 follow-ups: the follow head 22 s and the asks head 17 s, against the truth head 18 s,
 * the topic head 16 s and the language head 5 s; the follow head reads every follow-up twice, in
 * general and after its answer), each trained by a worker thread of its own: on two cores, the
 * model takes the time of the longer share instead of the sum.
 */
const WORKER_SHARES: readonly (readonly HeadName[])[] = [
  ['follow', 'asks'],
  ['truth', 'topic', 'lang'],
];

/**
 * Trains the reader of a knowledge file in worker threads, which load the file themselves. Each
 * head is trained from its own examples and seed, so the model is byte for byte the one
 * `trainReader` makes on one thread.
 */
export async function trainInWorkers(knowledge: string, attempts = 2): Promise<ModelFile> {
  // The worker is the compiled script: from src/reader and dist/reader alike, two folders up is the project.
  const script = new URL('../../dist/reader/train-worker.js', import.meta.url);
  // One share failing makes the other's work useless: its thread is stopped at once, not left to train.
  const failed = new AbortController();
  const shares = await Promise.all(
    WORKER_SHARES.map(async (heads) => {
      try {
        const posted = await runWorker<{ model?: Uint8Array; error?: string }>(script, { knowledge, heads }, 'training', { signal: failed.signal });
        if (!posted.model) throw new Error(posted.error ?? 'training failed');
        return decodeModel(Buffer.from(posted.model.buffer, posted.model.byteOffset, posted.model.byteLength));
      } catch (error) {
        failed.abort();
        throw error;
      }
    }),
  );
  // Files changed between the two workers' reads give shares of two corpora: train again, once.
  if (shares.some((share) => share.trainedFrom !== shares[0]!.trainedFrom)) {
    if (attempts > 1) return trainInWorkers(knowledge, attempts - 1);
    throw new Error('the knowledge files changed while the reader was trained from them');
  }
  const heads = Object.assign({}, ...shares.map((share) => share.heads)) as ModelFile['heads'];
  // In the order trainReader gives them, so the file's bytes are the same.
  return { trainedFrom: shares[0]!.trainedFrom, heads: Object.fromEntries(HEAD_NAMES.map((name) => [name, heads[name]!])) };
}

/** Far above any model's size (about 7 MB): a file larger than this is not a model. */
const MAX_MODEL_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The model in a file, or undefined when there is none, it cannot be read, or (given `trainedFrom`)
 * it was trained from other knowledge: then it is trained anew. Read a piece at a time into the
 * heads' own arrays, never whole, and a stale one no further than its header.
 */
export function readModelFile(path: string, trainedFrom?: string): ModelFile | undefined {
  try {
    return withRegularFile(path, MAX_MODEL_FILE_BYTES, (fd, size) => {
      const readInto = (target: Uint8Array, position: number): void => {
        for (let filled = 0; filled < target.length; ) {
          const read = readSync(fd, target, filled, target.length - filled, position + filled);
          if (read === 0) throw new ModelFileError('the model file is cut short (run npm run kb:train)');
          filled += read;
        }
      };
      return decodeModel({ size, readInto }, trainedFrom);
    });
  } catch (error) {
    if (error instanceof ModelFileError || error instanceof NotReadableAsFile || isFileSystemError(error)) return undefined;
    throw error;
  }
}

/** An error of the file system itself (ENOENT, EISDIR, EIO…), not of the code reading the file. */
function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && 'syscall' in error;
}

/** Written beside the target and renamed over it, so a reader never sees half a model. */
export function saveModelFile(path: string, model: ModelFile, options: Pick<LoadReaderOptions, 'onSaveFailed'> = {}): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, encodeModel(model));
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    options.onSaveFailed?.(error as Error);
  }
}
