/**
 * Trains some of a knowledge base's reader's heads off the main thread (see trainInWorkers): it
 * loads the knowledge file named in `workerData`, trains the heads named there, and posts them back
 * as the bytes of a model file holding only those heads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadKnowledgeBase } from '../knowledge/load.ts';
import { trainingInputs, type HeadName } from './examples.ts';
import { encodeModel } from './model-file.ts';
import { trainHeads } from './reader.ts';

const { knowledge, heads } = workerData as { knowledge: string; heads: HeadName[] };
try {
  const inputs = trainingInputs(loadKnowledgeBase(knowledge));
  const bytes = encodeModel({ trainedFrom: inputs.digest, heads: trainHeads(inputs, heads) });
  const model = new Uint8Array(bytes);
  parentPort?.postMessage({ model }, [model.buffer as ArrayBuffer]);
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message });
}
