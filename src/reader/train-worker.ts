/**
 * Trains a knowledge base's reader off the main thread (see loadReaderInWorker): it loads the
 * knowledge file named in `workerData`, trains, and posts the model's bytes back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadKnowledgeBase } from '../knowledge/load.ts';
import { trainingInputs } from './examples.ts';
import { encodeModel } from './model-file.ts';
import { trainReader } from './reader.ts';

const { knowledge } = workerData as { knowledge: string };
try {
  const kb = loadKnowledgeBase(knowledge);
  const bytes = encodeModel(trainReader(trainingInputs(kb)));
  const model = new Uint8Array(bytes);
  parentPort?.postMessage({ model }, [model.buffer as ArrayBuffer]);
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message });
}
