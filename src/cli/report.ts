/**
 * `npm run report`: what users asked over a period, for the knowledge base's keepers; as text,
 * as one JSON object (--json), or as a self-contained HTML page (--html FILE).
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnvFile } from './env-file.ts';
import { buildReport, DEFAULT_REPORT_DAYS, DEFAULT_REPORT_TOP } from '../feedback/report.ts';
import { renderReportHtml } from '../feedback/report-html.ts';
import { renderReportText } from '../feedback/report-text.ts';
import { openPostgresFeedbackReader } from '../feedback/postgres-feedback.ts';
import { FeedbackStoreError, openFeedbackReader, type FeedbackReader } from '../feedback/store.ts';
import { displayUrl } from '../redact.ts';
import { failWith as fail, loadConfigOrExit } from './exit.ts';
import { knowledgeFileFrom, loadAnswererOrExit } from './startup.ts';

const USAGE = `Usage: npm run --silent report -- [--days N] [--json] [--html FILE] [--top N]
  --days N     the period: the last N days (default ${DEFAULT_REPORT_DAYS})
  --json       print one JSON object instead of text
  --html FILE  write a one-page HTML report to FILE
  --top N      the longest each list gets (default ${DEFAULT_REPORT_TOP})
  The database is PostgreSQL at DATABASE_URL when it is set, otherwise the SQLite file FEEDBACK_DB
  (default data/feedback.db); the knowledge base, KNOWLEDGE_FILE.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        html: { type: 'string' },
        top: { type: 'string' },
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
  const days = wholeNumber(values.days, DEFAULT_REPORT_DAYS, 1, 3650, '--days must be a whole number of days from 1 to 3650');
  const top = wholeNumber(values.top, DEFAULT_REPORT_TOP, 1, 1000, '--top must be a whole number from 1 to 1000');
  if (values.html === '') usage('--html needs the name of the file to write');

  loadEnvFile();
  const config = loadConfigOrExit(process.env);
  // With DATABASE_URL every process writes its feedback there, whatever FEEDBACK_DB says.
  const databaseUrl = config.databaseUrl;
  const path = config.feedback.path;
  if (databaseUrl === undefined) {
    if (path === null) fail('FEEDBACK_DB is off, so no feedback is stored: set FEEDBACK_DB to the database to report on (or DATABASE_URL to a PostgreSQL one).');
    if (!existsSync(path)) fail(`There is no feedback database at ${path} yet: it is created when the bot starts with feedback storage on, or point FEEDBACK_DB at an existing one.`);
  }

  // With the corpus's examples: a question that already is one is not suggested again.
  const answerer = loadAnswererOrExit(knowledgeFileFrom(process.env), { withExamples: true });
  let reader: FeedbackReader;
  let report;
  try {
    reader = databaseUrl === undefined ? openFeedbackReader(path!) : await openPostgresFeedbackReader(databaseUrl);
    try {
      report = await buildReport(reader, answerer, { days, top });
    } finally {
      await reader.close();
    }
  } catch (error) {
    // Each message names the database, a URL without its password.
    if (error instanceof FeedbackStoreError) fail(error.message);
    throw error;
  }
  if (databaseUrl !== undefined) process.stderr.write(`Feedback read from PostgreSQL at ${displayUrl(databaseUrl)}\n`);

  if (values.html !== undefined) {
    try {
      // The report quotes what users asked: owner-only, as the database it comes from.
      writeFileSync(values.html, renderReportHtml(report), { mode: 0o600 });
      chmodSync(values.html, 0o600); // an existing file keeps its mode, and the umask filters the one above
    } catch (error) {
      fail(`The HTML report cannot be written to ${values.html} (${(error as NodeJS.ErrnoException).code ?? 'error'}): choose a file in a writable folder.`);
    }
    process.stderr.write(`HTML report written to ${values.html}\n`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (values.html === undefined) process.stdout.write(renderReportText(report));
}

function wholeNumber(value: string | undefined, fallback: number, min: number, max: number, message: string): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) usage(message);
  return n;
}

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

await main();
