/**
 * `npm run kb:learn -- --entry ID --question "…" [--lang pl|en]`: adds an accepted suggestion to an
 * entry's alternate questions. The result is validated exactly as start-up validates it, and only
 * then put in place (a rename, so a running bot never reads half a file).
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { createAnswerer } from '../answering/answer.ts';
import { detectLanguage } from '../answering/language.ts';
import { addPhrasing, LearnError } from '../knowledge/learn.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { knowledgeFileFrom } from './startup.ts';

const USAGE = `Usage: npm run kb:learn -- --entry ID --question "…" [--lang pl|en] [--file FILE]
  Adds the question to the entry's alternate questions in the knowledge file
  (--file, else KNOWLEDGE_FILE, else knowledge/bpo.json). Without --lang, the
  question's own language.`;

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        entry: { type: 'string' },
        question: { type: 'string' },
        lang: { type: 'string' },
        file: { type: 'string' },
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
  if (values.question === undefined) usage('--question is missing: the phrasing to add');
  if (values.lang !== undefined && !LANGS.includes(values.lang as Lang)) usage(`--lang must be one of: ${LANGS.join(', ')}`);
  const lang = (values.lang as Lang | undefined) ?? detectLanguage(values.question);

  loadDotenv({ quiet: true });
  const file = values.file ?? knowledgeFileFrom(process.env) ?? DEFAULT_KNOWLEDGE_FILE;
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`The knowledge file ${shown} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path.`);
  }

  let updated: string;
  try {
    updated = addPhrasing(text, { entryId: values.entry, question: values.question, lang }, shown);
  } catch (error) {
    if (error instanceof LearnError) fail(error.message);
    throw error;
  }

  // Validated as a file beside the original, so that the article it names is found the same way.
  const candidate = join(dirname(file), `.${basename(file)}.kb-learn-${process.pid}.tmp`);
  writeFileSync(candidate, updated);
  try {
    createAnswerer(loadKnowledgeBase(candidate));
    chmodSync(candidate, statSync(file).mode & 0o7777);
    renameSync(candidate, file);
  } catch (error) {
    rmSync(candidate, { force: true });
    if (error instanceof KnowledgeBaseError) {
      const [first = 'unknown problem', ...rest] = error.problems;
      const more = rest.length > 0 ? `, and ${rest.length} more` : '';
      fail(`Not added: with it, ${shown} would not pass the start-up check (${first}${more}); run "npm run kb:check -- ${shown}" to see every problem.`);
    }
    throw error;
  }
  process.stdout.write(`Added "${values.question.trim()}" to the ${lang === 'pl' ? 'Polish' : 'English'} alternate questions of "${values.entry}" in ${shown}.\n`);
}

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function fail(sentence: string): never {
  process.stderr.write(`${sentence}\n`);
  process.exit(1);
}

main();
