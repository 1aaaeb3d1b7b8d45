/**
 * `npm run kb:train [-- --file FILE] [--force]`: trains the reader from the knowledge base and its
 * corpus and saves the model beside the knowledge file. A current model is kept unless --force.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile } from './env-file.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.ts';
import { trainingInputs } from '../reader/examples.ts';
import { hasCurrentModel, saveModelFile, trainInWorkers } from '../reader/load.ts';
import { describeKnowledgeBaseError, knowledgeFileFrom } from './startup.ts';

const USAGE = `Usage: npm run kb:train [-- --file FILE] [--force]
  Trains the reader from the knowledge file (--file, else KNOWLEDGE_FILE, else
  knowledge/bpo.json) and its corpus, and saves the model beside it. A model
  already trained from exactly this knowledge base is kept unless --force.`;

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({ options: { file: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  loadEnvFile();
  const chosen = values.file ?? knowledgeFileFrom(process.env);
  let kb;
  try {
    kb = loadKnowledgeBase(chosen ?? DEFAULT_KNOWLEDGE_FILE);
  } catch (error) {
    if (error instanceof KnowledgeBaseError) {
      process.stderr.write(`${describeKnowledgeBaseError(error, chosen !== undefined)}\n`);
      process.exit(1);
    }
    throw error;
  }
  const path = kb.files!.model;
  const shown = relative(process.cwd(), path) || path;
  if (!values.force && hasCurrentModel(kb)) {
    process.stdout.write(`The model ${shown} is current: nothing to train (--force trains it again).\n`);
    return;
  }
  const inputs = trainingInputs(kb);
  process.stdout.write(`Training the reader from ${inputs.samples.length} examples…\n`);
  const startedAt = performance.now();
  const model = await trainInWorkers(kb.files!.knowledge);
  const seconds = (performance.now() - startedAt) / 1000;
  saveModelFile(path, model, {
    onSaveFailed: (error) => {
      process.stderr.write(`The model could not be saved to ${shown} (${error.message}): check that the folder is writable.\n`);
      process.exit(1);
    },
  });
  const size = statSync(path).size;
  process.stdout.write(`Trained in ${seconds.toFixed(1)} s; saved ${shown} (${(size / 1024 / 1024).toFixed(1)} MB).\n`);
}

await main();
