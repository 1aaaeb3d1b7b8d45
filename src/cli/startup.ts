import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAnswerer, type Answerer } from '../answering/answer.ts';
import { startLiveKnowledge, type LiveKnowledge } from '../knowledge/live.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, modelPathOf, type LoadOptions } from '../knowledge/load.ts';
import { loadAnswerer } from '../answering/load.ts';
import { loadReader, loadReaderInWorker, type LoadReaderOptions } from '../reader/load.ts';
import { DEFAULT_FEEDBACK, type Config, type FeedbackSettings } from '../config.ts';
import { openPostgresFeedback } from '../feedback/postgres-feedback.ts';
import { createFeedback, type Feedback } from '../feedback/recorder.ts';
import { FeedbackStoreError } from '../feedback/store.ts';
import type { Logger } from '../log.ts';
import { displayUrl } from '../redact.ts';
import { failWith } from './exit.ts';

/** `KNOWLEDGE_FILE` from the environment: another knowledge file to answer from (blank means the shipped one). */
export function knowledgeFileFrom(env: Record<string, string | undefined>): string | undefined {
  const file = env.KNOWLEDGE_FILE?.trim();
  return file ? file : undefined;
}

/**
 * Loads the knowledge base for a command-line tool; on a broken knowledge base prints one sentence
 * on what to fix (the first problem; `npm run kb:check` lists them all) and exits.
 */
export function loadAnswererOrExit(file?: string, options: LoadOptions = {}): Answerer {
  try {
    return loadAnswerer(file, { ...options, ...trainingNotices(file, (line) => process.stderr.write(`${line}\n`)) });
  } catch (error) {
    if (error instanceof KnowledgeBaseError) failWith(describeKnowledgeBaseError(error, file !== undefined));
    throw error;
  }
}

/**
 * The same for a process that answers for a long time: the knowledge base, kept current while its
 * files change (see startLiveKnowledge). Stop it when shutting down.
 */
export function startLiveAnswererOrExit(file: string | undefined, logger: Logger): LiveKnowledge<Answerer> {
  const log = (line: string) => logger.info(line);
  try {
    return startLiveKnowledge({
      file,
      build: (kb) => createAnswerer(kb, loadReader(kb, trainingNotices(file, log))),
      rebuild: async (kb) => createAnswerer(kb, await loadReaderInWorker(kb, trainingNotices(file, log))),
      logger,
    });
  } catch (error) {
    if (error instanceof KnowledgeBaseError) failWith(describeKnowledgeBaseError(error, file !== undefined));
    throw error;
  }
}

/** Pauses between start-up attempts on a busy database: about 10 s in all before giving up. */
export const FEEDBACK_OPEN_PAUSES_MS: readonly number[] = [100, 200, 400, 800, 1600, 3200, 3200];

/**
 * For the bot: the feedback store of the configuration. With DATABASE_URL, PostgreSQL, shared by
 * every process on every machine (FEEDBACK_DB is not used then); otherwise the SQLite file as below,
 * waiting out a database another process holds (peers starting together, a long prune). A database
 * that cannot be used leaves the bot answering with feedback off, with one error line saying why and
 * what to fix: trouble at start-up is no more in the way of an answer than trouble while running.
 * Await `close()` on the way out: PostgreSQL's last write is done then.
 */
export async function openFeedbackOrRunWithout(
  config: Pick<Config, 'databaseUrl' | 'feedback'>,
  logger: Logger,
  pausesMs = FEEDBACK_OPEN_PAUSES_MS,
): Promise<Feedback> {
  const settings = config.feedback;
  if (config.databaseUrl) {
    try {
      // loadConfig refuses DATABASE_URL without FEEDBACK_SECRET; without one (a configuration built by hand) openPostgresFeedback refuses to start.
      const feedback = await openPostgresOf(config.databaseUrl, settings, logger);
      logger.info({ database: displayUrl(config.databaseUrl) }, 'feedback: questions and votes are stored in PostgreSQL');
      return feedback;
    } catch (error) {
      if (!(error instanceof FeedbackStoreError)) throw error;
      logger.error({ code: error.code }, `feedback is off until a restart: ${error.message}`);
      return createFeedback(undefined, logger);
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return createFeedback(settings, logger);
    } catch (error) {
      if (!(error instanceof FeedbackStoreError)) throw error;
      const pause = pausesMs[attempt];
      if (error.transient && pause !== undefined) {
        logger.warn({ code: error.code, attempt: attempt + 1, retryInMs: pause }, 'feedback: the database is busy; trying again');
        await sleep(pause);
        continue;
      }
      logger.error({ code: error.code }, `feedback is off until a restart: ${error.message}`);
      return createFeedback(undefined, logger);
    }
  }
}

/** The feedback in PostgreSQL, with the configuration's key and retention. */
function openPostgresOf(url: string, settings: FeedbackSettings | undefined, logger: Logger): Promise<Feedback> {
  return openPostgresFeedback(url, { secret: settings?.secret ?? '', retentionDays: settings?.retentionDays ?? DEFAULT_FEEDBACK.retentionDays }, logger);
}

/**
 * Opens the feedback database of the configuration (PostgreSQL with DATABASE_URL, else FEEDBACK_DB;
 * a no-op recorder when it is "off"), created and migrated as needed. For a command run by hand
 * (the terminal chat, ask --record): a database that cannot be opened stops it with one sentence on
 * what to fix.
 */
export async function openFeedbackOrExit(config: Pick<Config, 'databaseUrl' | 'feedback'>, logger: Logger): Promise<Feedback> {
  const settings = config.feedback;
  try {
    if (config.databaseUrl) {
      return await openPostgresOf(config.databaseUrl, settings, logger);
    }
    return createFeedback(settings, logger);
  } catch (error) {
    if (error instanceof FeedbackStoreError) failWith(error.message);
    throw error;
  }
}

export function describeKnowledgeBaseError(error: KnowledgeBaseError, chosenFile: boolean): string {
  const [first = 'unknown problem', ...rest] = error.problems;
  const more = rest.length > 0 ? `, and ${rest.length} more problem${rest.length > 1 ? 's' : ''}` : '';
  const check = chosenFile ? `npm run kb:check -- ${error.file}` : 'npm run kb:check';
  const fix = chosenFile ? 'fix the file or point KNOWLEDGE_FILE at a valid one' : 'fix the file';
  return `The knowledge file ${error.file} cannot be used (${first}${more}): ${fix}, then run "${check}" to confirm.`;
}

/** What to say while a model is trained (it takes a while) and when it cannot be saved. */
function trainingNotices(file: string | undefined, say: (line: string) => void): LoadReaderOptions {
  const path = modelPathOf(file ?? DEFAULT_KNOWLEDGE_FILE);
  const model = relative(process.cwd(), path) || path;
  return {
    onTraining: (examples) => say(`Training the reader${examples === undefined ? '' : ` from ${examples} examples`}: its model (${model}) is missing or older than the knowledge base. This takes up to a minute, once.`),
    onSaveFailed: (error) => say(`The trained model could not be saved to ${model} (${error.message}): it is used all the same, and trained again at the next start.`),
  };
}
