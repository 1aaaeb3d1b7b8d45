/**
 * Brings dist/ up to date with src/ before an entry point runs (npm's pre-scripts, `prepare`, and
 * the test suite's global set-up). TypeScript's build mode compares the sources with the last build
 * and recompiles only what changed, so an up-to-date build costs about half a second. Then the
 * shipped knowledge base's model is trained if it is missing or older than the knowledge base
 * (about 40 seconds, once), so that the first start answers at once.
 *
 * Without the compiler (an install with `--omit=dev` after a build), an existing dist/ is used as is.
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const project = `${root}tsconfig.build.json`;

let ts;
try {
  ts = (await import('typescript')).default;
} catch {
  if (existsSync(`${root}dist/main.js`)) process.exit(0);
  process.stderr.write('dist/ is missing and TypeScript is not installed: run "npm ci" (with the dev dependencies) to build the bot.\n');
  process.exit(1);
}

const host = ts.createSolutionBuilderHost(ts.sys, undefined, undefined, undefined, () => undefined);
const status = ts.createSolutionBuilder(host, [project], {}).build();
if (status !== ts.ExitStatus.Success) {
  process.stderr.write('The build failed (see the errors above): fix them, or run "npm run typecheck" for the full list.\n');
  process.exit(1);
}
await trainShippedModel();

async function trainShippedModel() {
  const { loadKnowledgeBase } = await import(`${root}dist/knowledge/load.js`);
  const { loadReaderInWorker } = await import(`${root}dist/reader/load.js`);
  let kb;
  try {
    kb = loadKnowledgeBase(undefined, { withExamples: false });
  } catch {
    return; // A broken knowledge base is reported by the entry point that loads it, with what to fix.
  }
  await loadReaderInWorker(kb, {
    onTraining: () => process.stderr.write('Training the reader (knowledge/bpo.model is missing or older than the knowledge base; about 40 seconds, once)…\n'),
    onSaveFailed: (error) => process.stderr.write(`The model could not be saved (${error.message}); each start will train it until it can.\n`),
  });
}
