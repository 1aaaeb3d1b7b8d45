import { loadAnswerer } from '../../src/answering/load.ts';
/**
 * Report benchmark: 100,000 questions (and votes on a tenth of the answers) written through the real
 * recorder into a fresh SQLite file, then the database's size and the report's time, in process
 * (query, group, read, render) and as a whole `npm run report` process (compiled, on plain node). Exits 1 when a target is
 * missed. Run with `npm run bench:report`.
 *
 * The questions are the project's question sets, most asked as written and the rest changed the way
 * people change questions (case, punctuation, diacritics dropped, a word added), so that the
 * report groups tens of thousands of distinct texts, as it would after months of real traffic.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answer, type AnswerResult } from '../../src/answering/answer.ts';
import { createFeedback } from '../../src/feedback/recorder.ts';
import { buildReport } from '../../src/feedback/report.ts';
import { renderReportHtml } from '../../src/feedback/report-html.ts';
import { renderReportText } from '../../src/feedback/report-text.ts';
import { openFeedbackReader } from '../../src/feedback/store.ts';
import { createLogger } from '../../src/log.ts';
import { loadQuestionSet, QUESTION_SETS } from '../support/question-sets.ts';
import { NODE } from '../support/run-script.ts';
import { seededRandom } from './random.ts';
import { formatMs, median } from './percentiles.ts';
import { formatTable } from './table.ts';

const QUESTIONS = 100_000;
const USERS = 5_000;
const DAYS = 30;
const VOTE_SHARE = 0.1;
const RUNS = 5;
const TARGETS = { reportMs: 2_000, processMs: 5_000, databaseMb: 40, writesPerSecond: 20_000 };
const VIAS = ['slash', 'dm', 'mention', 'button', 'http'] as const;
const EXTRA_WORDS = ['pls', 'proszę', 'dokładnie', 'w skrócie', 'na przykład', 'teraz', 'w Polsce', 'dla firmy', 'krótko', 'właściwie', 'naprawdę', 'w 2024'];

const random = seededRandom(2024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function variant(question: string): string {
  switch (Math.floor(random() * 6)) {
    case 0:
      return question.toLowerCase();
    case 1:
      return question.replace(/[?!.]+$/, '');
    case 2:
      return question.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l');
    case 3:
      return `${question.replace(/[?!.]+$/, '')} ${pick(EXTRA_WORDS)}?`;
    case 4:
      return `${pick(EXTRA_WORDS)}, ${question.charAt(0).toLowerCase()}${question.slice(1)}`;
    default:
      return question.toUpperCase();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const path = join(dir, 'feedback.db');
  const answerer = loadAnswerer();
  const sources = QUESTION_SETS.development.flatMap((name) => loadQuestionSet(name)).map((q) => q.q);
  const results = new Map<string, AnswerResult>(sources.map((q) => [q, answer(q, answerer)]));
  const now = Date.now();
  let clock = now;
  const feedback = createFeedback({ path, secret: 'b'.repeat(64), retentionDays: 90 }, createLogger({ level: 'warn' }), { now: () => clock });

  // ---- Seeding, through the recorder as the bot would ----
  const seedStart = performance.now();
  let votes = 0;
  const pendingVotes: Promise<unknown>[] = [];
  for (let i = 0; i < QUESTIONS; i++) {
    const base = pick(sources);
    const text = random() < 0.6 ? base : variant(base);
    // A variant is answered as its base would be: the report reads rows, it does not re-answer them.
    const result = { ...results.get(base)!, question: text };
    // Within the last DAYS - 1 days, so that a report started a moment later still sees every question.
    clock = now - Math.floor(random() * (DAYS - 1) * 24 * 3600 * 1000);
    const userId = String(300_000_000_000_000_000n + BigInt(Math.floor(random() * USERS)));
    const ref = feedback.recordQuestion({ via: pick(VIAS), userId, result });
    if (result.kind === 'answer' && ref && random() < VOTE_SHARE) {
      votes++;
      pendingVotes.push(feedback.recordVote({ userId, vote: random() < 0.8 ? 'up' : 'down', entryId: result.entry.id, answerRef: ref }));
    }
    // Let the recorder write as it goes, as it would between events.
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await feedback.settled();
  await Promise.all(pendingVotes);
  const seedMs = performance.now() - seedStart;
  feedback.close();
  const databaseBytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

  // ---- The report, in process ----
  const times = { query: [] as number[], text: [] as number[], json: [] as number[], html: [] as number[] };
  let report;
  for (let run = 0; run < RUNS; run++) {
    const reader = openFeedbackReader(path);
    let t = performance.now();
    report = await buildReport(reader, answerer, { days: DAYS, now });
    times.query.push(performance.now() - t);
    await reader.close();
    t = performance.now();
    renderReportText(report);
    times.text.push(performance.now() - t);
    t = performance.now();
    JSON.stringify(report);
    times.json.push(performance.now() - t);
    t = performance.now();
    renderReportHtml(report);
    times.html.push(performance.now() - t);
  }
  const reportMs = median(times.query) + median(times.text);

  // ---- The report as a whole process: npm run report ----
  const processTimes: number[] = [];
  let printed = '';
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    printed = execFileSync(NODE, ['dist/cli/report.js'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, FEEDBACK_DB: path }, encoding: 'utf8' });
    processTimes.push(performance.now() - t);
  }
  const processMs = median(processTimes);

  const writesPerSecond = (QUESTIONS + votes) / (seedMs / 1000);
  const stored = report!.totals.questions;
  const mb = databaseBytes / 1024 / 1024;
  console.log(`\n=== Feedback report after ${QUESTIONS.toLocaleString('en')} stored questions ===\n`);
  console.log(
    formatTable(
      ['measure', 'value'],
      [
        ['questions stored', QUESTIONS.toLocaleString('en')],
        ['votes stored', votes.toLocaleString('en')],
        ['distinct askers', report!.totals.askers.toLocaleString('en')],
        ['writing them through the recorder', `${formatMs(seedMs)} (${Math.round(writesPerSecond).toLocaleString('en')} writes/s)`],
        ['database size (file + WAL)', `${mb.toFixed(1)} MB (${Math.round(databaseBytes / QUESTIONS)} bytes per question)`],
        [`buildReport, ${DAYS} days (queries, grouping, reading), median of ${RUNS}`, formatMs(median(times.query))],
        ['render text', formatMs(median(times.text))],
        ['render JSON', formatMs(median(times.json))],
        ['render HTML', formatMs(median(times.html))],
        ['npm run report, whole process (median of 3)', formatMs(processMs)],
      ],
      ['left', 'right'],
    ),
  );
  const rows = [
    ['report in process (build + text)', formatMs(reportMs), `<= ${formatMs(TARGETS.reportMs)}`, reportMs <= TARGETS.reportMs],
    ['npm run report, whole process', formatMs(processMs), `<= ${formatMs(TARGETS.processMs)}`, processMs <= TARGETS.processMs],
    ['database size', `${mb.toFixed(1)} MB`, `<= ${TARGETS.databaseMb} MB`, mb <= TARGETS.databaseMb],
    ['questions stored of those recorded (none dropped)', stored.toLocaleString('en'), `= ${QUESTIONS.toLocaleString('en')}`, stored === QUESTIONS],
    ['recorder throughput', `${Math.round(writesPerSecond)} writes/s`, `>= ${TARGETS.writesPerSecond}`, writesPerSecond >= TARGETS.writesPerSecond],
  ] as const;
  console.log(`\n${formatTable(['target', 'measured', 'goal', 'result'], rows.map(([a, b, c, ok]) => [a, b, c, ok ? 'ok' : 'FAIL']), ['left', 'right', 'left', 'left'])}`);
  console.log(`\nThe text report (unanswered: ${report!.unanswered.length} shown of the groups found):\n`);
  console.log(printed);
  rmSync(dir, { recursive: true, force: true });
  const failed = rows.filter((row) => !row[3]).length;
  if (failed > 0) {
    console.error(`${failed} target(s) missed.`);
    process.exit(1);
  }
}

await main();
