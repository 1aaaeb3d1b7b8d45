/**
 * `npm run kb:learn -- --entry ID --question "…" [--lang pl|en]`: adds an accepted question to the
 * entry's examples in the corpus and retrains the reader. The corpus file is replaced by a rename,
 * so a running bot never reads half a file; it sees the change and retrains on its own.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile } from './env-file.ts';
import { detectLanguage } from '../answering/language.ts';
import { acceptedExample, LearnError } from '../knowledge/learn.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase, type KnowledgeBase } from '../knowledge/load.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { loadReaderInWorker } from '../reader/load.ts';
import { describeKnowledgeBaseError, knowledgeFileFrom } from './startup.ts';

const USAGE = `Usage: npm run kb:learn -- --entry ID --question "…" [--lang pl|en] [--file FILE] [--no-train]
  Adds the question to the entry's examples in the corpus of the knowledge file
  (--file, else KNOWLEDGE_FILE, else knowledge/bpo.json), then retrains the reader.
  Without --lang, the question's own language.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        entry: { type: 'string' },
        question: { type: 'string' },
        lang: { type: 'string' },
        file: { type: 'string' },
        'no-train': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.entry) usage('--entry is missing: the id of the entry to add the question to');
  if (values.question === undefined) usage('--question is missing: the question to add');
  if (values.lang !== undefined && !LANGS.includes(values.lang as Lang)) usage(`--lang must be one of: ${LANGS.join(', ')}`);

  loadEnvFile();
  const file = values.file ?? knowledgeFileFrom(process.env) ?? DEFAULT_KNOWLEDGE_FILE;
  const shown = relative(process.cwd(), file) || file;
  const kb = load(file, values.file !== undefined || knowledgeFileFrom(process.env) !== undefined);
  // Without --lang the reader of the knowledge base as it is tells the question's language.
  const lang = (values.lang as Lang | undefined) ?? detectLanguage(values.question, await loadReaderInWorker(kb, { onTraining: training }));

  let addition: { file: string; line: string };
  try {
    addition = acceptedExample(kb, { entryId: values.entry, question: values.question, lang }, shown);
  } catch (error) {
    if (error instanceof LearnError) fail(error.message);
    throw error;
  }
  const before = append(addition.file, addition.line);
  // The line was checked against the schema and the corpus; should the whole still fail, the file is put back.
  const updated = load(file, true, () => (before === undefined ? rmSync(addition.file, { force: true }) : replace(addition.file, before, 0o644)));
  const shownCorpus = relative(process.cwd(), addition.file) || addition.file;
  process.stdout.write(`Added "${values.question.trim()}" (${lang === 'pl' ? 'Polish' : 'English'}) to the examples of "${values.entry}" in ${shownCorpus}.\n`);
  if (values['no-train']) return;
  const startedAt = performance.now();
  await loadReaderInWorker(updated, { onTraining: training, onSaveFailed: (error) => fail(`The reader was retrained but could not be saved (${error.message}): check that the knowledge folder is writable.`) });
  process.stdout.write(`Retrained the reader in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. A running bot retrains on its own when the corpus changes.\n`);
}

function load(file: string, chosen: boolean, onFailure?: () => void): KnowledgeBase {
  try {
    return loadKnowledgeBase(file);
  } catch (error) {
    if (error instanceof KnowledgeBaseError) {
      onFailure?.();
      fail(describeKnowledgeBaseError(error, chosen));
    }
    throw error;
  }
}

/** Appends a line (see replace); returns the file's text before, undefined when there was no file. */
function append(path: string, line: string): string | undefined {
  let text: string | undefined;
  let mode = 0o644;
  try {
    text = readFileSync(path, 'utf8');
    mode = statSync(path).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(`The corpus file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const old = text ?? '';
  replace(path, `${old}${old === '' || old.endsWith('\n') ? '' : '\n'}${line}\n`, mode);
  return text;
}

/** Writes the whole file beside it and renames it over the old one, so no reader sees half of it. */
function replace(path: string, text: string, mode: number): void {
  const temporary = `${path}.kb-learn-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    fail(`The corpus file ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}): check that the folder is writable.`);
  }
}

function training(examples?: number): void {
  process.stdout.write(`Training the reader${examples === undefined ? '' : ` from ${examples} examples`} (up to a minute)…\n`);
}

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function fail(sentence: string): never {
  process.stderr.write(`${sentence}\n`);
  process.exit(1);
}

await main();
