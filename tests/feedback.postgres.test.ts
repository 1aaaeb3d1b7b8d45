/**
 * Feedback in PostgreSQL (DATABASE_URL), on a server started for the suite, each test on a database
 * of its own: rows as the SQLite file stores them (users hashed only), the same vote outcomes and
 * the same report, several processes writing to one database, a database that refuses writes or
 * cannot be reached, and `npm run report` and `npm run start:http` on it.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerById, type AnswerResult } from '../src/answering/answer.ts';
import { loadAnswerer } from '../src/answering/load.ts';
import { openFeedbackOrRunWithout } from '../src/cli/startup.ts';
import { openPostgresFeedback, openPostgresFeedbackReader, POSTGRES_FEEDBACK_SCHEMA_VERSION, type PostgresFeedbackOptions } from '../src/feedback/postgres-feedback.ts';
import { createFeedback, type Feedback, type FeedbackOptions } from '../src/feedback/recorder.ts';
import { buildReport, type Report } from '../src/feedback/report.ts';
import { renderReportText } from '../src/feedback/report-text.ts';
import { FeedbackStoreError, openFeedbackReader, type FeedbackReader } from '../src/feedback/store.ts';
import { newAnswerRef, type Vote } from '../src/feedback/vote-buttons.ts';
import type { Lang } from '../src/knowledge/schema.ts';
import { captureLogger, LEVEL } from './support/capture-log.ts';
import { makeChatInputInteraction, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { readRows } from './support/feedback-db.ts';
import { freePort } from './support/free-port.ts';
import { makeSigningKeys, post, signatureHeaders } from './support/http-interactions.ts';
import { startPostgres, type TestPostgres } from './support/postgres-server.ts';
import { runScript, scriptEnv, startScript } from './support/run-script.ts';

// With the corpus's examples, as `npm run report` loads it: the in-process reports match its output.
const answerer = loadAnswerer(undefined, { withExamples: true });
const ALICE = '312345678901234567';
const BOB = '412345678901234568';
const CAROL = '512345678901234569';
const SECRET = 'k'.repeat(64);
const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'Sup3r-Secret-Passw0rd';
const WAIT = { timeout: 20_000, interval: 50 };
const hmac = (id: string) => createHmac('sha256', SECRET).update(id).digest();

let postgres: TestPostgres;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const open: Feedback[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((feedback) => feedback.close()));
});

/** Rows read past the store, bigints as numbers. */
async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) },
  });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A new database on the suite's server: each test sees only its own rows. */
async function freshDatabase(): Promise<string> {
  return postgres.createDatabase(`feedback_${++databases}`);
}

async function startPg(url: string, options: PostgresFeedbackOptions = {}, retentionDays = 90) {
  const { lines, logger } = captureLogger();
  const feedback = await openPostgresFeedback(url, { secret: SECRET, retentionDays }, logger, options);
  open.push(feedback);
  return { feedback, lines };
}

function startSqlite(options: FeedbackOptions = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'feedback-pg-')), 'feedback.db');
  const { lines, logger } = captureLogger();
  const feedback = createFeedback({ path, secret: SECRET, retentionDays: 90 }, logger, options);
  open.push(feedback);
  return { feedback, lines, path };
}

const notFound = (question: string, lang: Lang = 'pl'): AnswerResult => ({ kind: 'not-found', question, lang, suggestions: [] });
const answered = (entry: string, question: string, lang: Lang = 'pl'): AnswerResult => ({ ...answerById(entry, answerer, lang), question });

const QUESTION_COLUMNS = 'asked_at, via, lang, kind, entry_id, confidence, question, answer_ref, user_hash';
const VOTE_COLUMNS = 'answer_ref, user_hash, entry_id, vote, voted_at';

describe('questions and votes in PostgreSQL', () => {
  it('are stored row for row as in the SQLite file, users as keyed hashes only', async () => {
    const url = await freshDatabase();
    const at = Date.UTC(2025, 0, 15, 12);
    const pgStore = (await startPg(url, { now: () => at })).feedback;
    const sqlite = startSqlite({ now: () => at });
    const refs = [newAnswerRef(), newAnswerRef(), newAnswerRef(), newAnswerRef()];
    const serverEntry = { id: 'k3v9q2xa', guildId: '1200000000000000001', question: 'Kiedy jest meetup?', phrasings: [], answer: 'W czwartek.', createdAt: 0, updatedAt: 0 };
    const events = [
      { via: 'slash', userId: ALICE, result: answered('back-office', 'Co to jest back office?'), answerRef: refs[0] },
      { via: 'dm', userId: BOB, result: notFound(`<@${ALICE}> jaka będzie pogoda? mój numer ${CAROL}`) },
      { via: 'mention', userId: CAROL, result: { kind: 'server-answer', question: 'kiedy meetup', lang: 'pl', entry: serverEntry, confidence: 0.9 } as AnswerResult, answerRef: refs[1] },
      { via: "Robert'); DROP TABLE feedback_questions;--", userId: ALICE, result: notFound('co\u001b[31m to\u202E jest '.repeat(40)), answerRef: 'not a reference' },
      // The same answer recorded twice is kept once.
      { via: 'http', userId: BOB, result: answered('front-office', 'What is front office?', 'en'), answerRef: refs[2] },
      { via: 'http', userId: BOB, result: answered('front-office', 'What is front office?', 'en'), answerRef: refs[2] },
    ];
    const returned = events.map((event) => [pgStore.recordQuestion(event), sqlite.feedback.recordQuestion(event)]);
    // The reference the buttons carry is returned at once, the given one when it is well-formed.
    expect(returned[0]).toEqual([refs[0], refs[0]]);
    expect(returned[3]![0]).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(returned[3]![0]).not.toBe('not a reference');
    for (const feedback of [pgStore, sqlite.feedback]) {
      await feedback.recordVote({ userId: BOB, vote: 'down', entryId: 'bpo-definition', answerRef: refs[0]! });
      await feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'call-centers', answerRef: refs[3]! });
      await feedback.settled();
    }

    const pgQuestions = await query(url, `SELECT ${QUESTION_COLUMNS} FROM feedback_questions ORDER BY id`);
    const sqliteQuestions = readRows(sqlite.path, `SELECT ${QUESTION_COLUMNS} FROM questions ORDER BY id`);
    // The random references of questions recorded without one differ; everything else is the same.
    const withoutNewRefs = (rows: Record<string, unknown>[]) => rows.map((row, i) => (i === 1 || i === 3 ? { ...row, answer_ref: 'new' } : row));
    expect(withoutNewRefs(pgQuestions)).toEqual(withoutNewRefs(sqliteQuestions));
    expect(pgQuestions).toHaveLength(5);
    expect(pgQuestions[0]).toEqual({
      asked_at: at,
      via: 'slash',
      lang: 'pl',
      kind: 'answer',
      entry_id: 'back-office',
      confidence: 1,
      question: 'Co to jest back office?',
      answer_ref: refs[0],
      user_hash: hmac(ALICE),
    });
    expect(pgQuestions.map((row) => [row.via, row.kind, row.entry_id, row.question])).toEqual([
      ['slash', 'answer', 'back-office', 'Co to jest back office?'],
      ['dm', 'not-found', null, '@… jaka będzie pogoda? mój numer …'],
      ['mention', 'server-answer', 'server:k3v9q2xa', 'kiedy meetup'],
      ['other', 'not-found', null, expect.stringMatching(/^co \[31m to jest co/)],
      ['http', 'answer', 'front-office', 'What is front office?'],
    ]);
    expect((pgQuestions[3]!.question as string).length).toBe(300);

    const order = 'ORDER BY answer_ref COLLATE "C", user_hash';
    const pgVotes = await query(url, `SELECT ${VOTE_COLUMNS} FROM feedback_votes ${order}`);
    expect(pgVotes).toEqual(readRows(sqlite.path, `SELECT ${VOTE_COLUMNS} FROM votes ${order.replace(' COLLATE "C"', '')}`));
    expect(pgVotes).toContainEqual({ answer_ref: refs[0], user_hash: hmac(BOB), entry_id: 'back-office', vote: -1, voted_at: at });

    // No raw user id anywhere in the tables, as text: hashes are bytea, mentions and long numbers masked.
    const dump = (await query<{ row: string }>(url, 'SELECT q::text AS row FROM feedback_questions q UNION ALL SELECT v::text FROM feedback_votes v')).map((r) => r.row).join('\n');
    for (const id of [ALICE, BOB, CAROL]) expect(dump).not.toContain(id);
    const hashes = await query<{ user_hash: Buffer }>(url, 'SELECT user_hash FROM feedback_questions UNION SELECT user_hash FROM feedback_votes');
    expect(hashes.map((row) => row.user_hash.toString('hex')).sort()).toEqual([ALICE, BOB, CAROL].map((id) => hmac(id).toString('hex')).sort());
  });

  it('give the same vote outcomes as SQLite: recorded, unchanged, changed, the stored entry winning, unknown answers', async () => {
    const url = await freshDatabase();
    const at = Date.UTC(2025, 0, 15, 12);
    const pgStore = (await startPg(url, { now: () => at })).feedback;
    const sqlite = startSqlite({ now: () => at });

    const scenario = async (feedback: Feedback) => {
      const ref = feedback.recordQuestion({ via: 'slash', userId: ALICE, result: answered('back-office', 'Co to jest back office?') })!;
      const missed = feedback.recordQuestion({ via: 'dm', userId: BOB, result: notFound('Jaka będzie pogoda?') })!;
      const vote = (userId: string, v: Vote, entryId = 'back-office', answerRef = ref) => feedback.recordVote({ userId, vote: v, entryId, answerRef });
      const outcomes = [
        await vote(ALICE, 'up'),
        await vote(ALICE, 'up'),
        await vote(ALICE, 'down'),
        // Another user on the same answer; the button names another entry, the stored answer's wins.
        await vote(BOB, 'up', 'bpo-definition'),
        // An answer the database does not know (an old message, a pruned row).
        await vote(ALICE, 'down', 'call-centers', 'AAAAAAAAAAAA'),
        // A known question with no entry: the button's entry.
        await vote(CAROL, 'down', 'front-office', missed),
      ];
      // A vote in the same turn as its question still finds it.
      const same = feedback.recordQuestion({ via: 'button', userId: ALICE, result: answered('front-office', 'What is front office?', 'en') })!;
      outcomes.push(await vote(BOB, 'down', 'front-office', same));
      // A busy channel: 100 users clicking at once, each user's clicks applied in order.
      const clicks = Array.from({ length: 100 }, (_, i) => `6${String(i).padStart(17, '0')}`).flatMap((userId, i) =>
        i % 2 === 0 ? [vote(userId, 'up'), vote(userId, 'down')] : [vote(userId, 'up'), vote(userId, 'up')],
      );
      const busy = (await Promise.all(clicks)).map((outcome) => outcome.status);
      await feedback.settled();
      return { outcomes, busy };
    };

    const onPostgres = await scenario(pgStore);
    const onSqlite = await scenario(sqlite.feedback);
    expect(onPostgres).toEqual(onSqlite);
    expect(onPostgres.outcomes).toEqual([
      { status: 'recorded', vote: 'up', answerKnown: true, entryId: 'back-office' },
      { status: 'unchanged', vote: 'up', answerKnown: true, entryId: 'back-office' },
      { status: 'changed', vote: 'down', answerKnown: true, entryId: 'back-office' },
      { status: 'recorded', vote: 'up', answerKnown: true, entryId: 'back-office' },
      { status: 'recorded', vote: 'down', answerKnown: false, entryId: 'call-centers' },
      { status: 'recorded', vote: 'down', answerKnown: true, entryId: 'front-office' },
      { status: 'recorded', vote: 'down', answerKnown: true, entryId: 'front-office' },
    ]);
    expect(onPostgres.busy).toEqual(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? ['recorded', 'changed'] : ['recorded', 'unchanged'])).flat());
    expect(await query(url, 'SELECT entry_id, vote, COUNT(*)::int AS n FROM feedback_votes GROUP BY entry_id, vote ORDER BY entry_id, vote')).toEqual([
      { entry_id: 'back-office', vote: -1, n: 51 },
      { entry_id: 'back-office', vote: 1, n: 51 },
      { entry_id: 'call-centers', vote: -1, n: 1 },
      { entry_id: 'front-office', vote: -1, n: 2 },
    ]);
  });

  it('keeps up with a flood, keeps a bounded queue, and has written everything when close() resolves', async () => {
    const url = await freshDatabase();
    const { feedback, lines } = await startPg(url);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1000; i++) feedback.recordQuestion({ via: 'dm', userId: ALICE, result: notFound(`pytanie ${round}-${i}`) });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await feedback.settled();
    expect(await query(url, 'SELECT COUNT(*)::int AS n FROM feedback_questions')).toEqual([{ n: 5000 }]);
    expect(lines.filter((line) => line.level >= LEVEL.warn)).toEqual([]);

    // Beyond maxPending the oldest questions are dropped, with one warning.
    const bounded = await startPg(url, { maxPending: 100 });
    for (let i = 0; i < 300; i++) bounded.feedback.recordQuestion({ via: 'dm', userId: BOB, result: notFound(`Co to jest BPO ${i}?`) });
    await bounded.feedback.settled();
    const kept = await query<{ question: string }>(url, 'SELECT question FROM feedback_questions WHERE user_hash = $1 ORDER BY id', [hmac(BOB)]);
    expect(kept).toHaveLength(100);
    expect(kept[0]).toEqual({ question: 'Co to jest BPO 200?' });
    expect(bounded.lines.filter((line) => line.level >= LEVEL.warn).map((line) => line.msg)).toEqual(['feedback: too many questions waiting to be stored; the oldest were dropped']);

    // Closed without waiting: the last write is done when close() resolves, and nothing is taken after it.
    const last = await startPg(url);
    for (let i = 0; i < 50; i++) last.feedback.recordQuestion({ via: 'slash', userId: CAROL, result: notFound(`ostatnie ${i}`) });
    await last.feedback.close();
    expect(await query(url, 'SELECT COUNT(*)::int AS n FROM feedback_questions WHERE user_hash = $1', [hmac(CAROL)])).toEqual([{ n: 50 }]);
    expect(last.feedback.recordQuestion({ via: 'slash', userId: CAROL, result: notFound('po zamknięciu') })).toBeNull();
    expect(await last.feedback.recordVote({ userId: CAROL, vote: 'up', entryId: 'back-office', answerRef: 'AAAAAAAAAAAA' })).toEqual({ status: 'unavailable', vote: 'up' });
  });

  it('a table another session holds locked: answers go on, one error line, the writes retried and all stored once it is free', async () => {
    const url = await freshDatabase();
    const { feedback, lines } = await startPg(url, { retryMs: 20, queryTimeoutMs: 300 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE feedback_questions IN ACCESS EXCLUSIVE MODE');
      const refs = Array.from({ length: 200 }, (_, i) => feedback.recordQuestion({ via: 'dm', userId: ALICE, result: notFound(`zablokowane ${i}`) }));
      expect(refs.every((ref) => ref !== null)).toBe(true);
      // A click is answered, not kept waiting for the lock: it can simply be repeated.
      expect(await feedback.recordVote({ userId: BOB, vote: 'up', entryId: 'back-office', answerRef: refs[0]! })).toEqual({ status: 'unavailable', vote: 'up' });
      // Three attempts, each a session of its own that the server ends when the statement times out.
      const attempts = new Set<number>();
      await expect
        .poll(
          async () => {
            const waiting = await query<{ pid: number }>(url, "SELECT pid FROM pg_stat_activity WHERE application_name = 'bpo-discord-bot feedback' AND wait_event_type = 'Lock'");
            for (const { pid } of waiting) attempts.add(pid);
            return attempts.size;
          },
          { timeout: 20_000, interval: 20 },
        )
        .toBeGreaterThanOrEqual(3);
      const troubles = lines.filter((line) => line.level >= LEVEL.warn);
      expect(troubles).toEqual([expect.objectContaining({ level: LEVEL.error, code: '57014', msg: expect.stringMatching(/^feedback not stored/) })]);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await feedback.settled();
    expect(await query(url, 'SELECT COUNT(*)::int AS n FROM feedback_questions')).toEqual([{ n: 200 }]);
    expect(lines).toContainEqual(expect.objectContaining({ level: LEVEL.info, msg: 'feedback storage recovered', dropped: 0, failures: expect.any(Number) }));
    expect(lines.find((line) => line.msg === 'feedback storage recovered')!.failures).toBeGreaterThanOrEqual(2);
  });

  it('prunes questions and votes older than the retention at start-up, and again on its timer', async () => {
    const url = await freshDatabase();
    let clock = Date.UTC(2025, 0, 15, 12);
    const now = () => clock;
    const first = await startPg(url, { now }, 30);
    const old = first.feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answered('bpo-definition', 'Co to jest BPO?') })!;
    await first.feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: old });
    clock += 20 * DAY;
    first.feedback.recordQuestion({ via: 'dm', userId: BOB, result: answered('front-office', 'Co to jest front office?') });
    await first.feedback.close();

    clock += 11 * DAY; // the first question and its vote are now 31 days old, the second 11
    const second = await startPg(url, { now, pruneEveryMs: 20 }, 30);
    expect(await query(url, 'SELECT question FROM feedback_questions')).toEqual([{ question: 'Co to jest front office?' }]);
    expect(await query(url, 'SELECT COUNT(*)::int AS n FROM feedback_votes')).toEqual([{ n: 0 }]);
    expect(second.lines).toContainEqual(expect.objectContaining({ msg: 'feedback: pruned old questions and votes', questions: 1, votes: 1, retentionDays: 30 }));
    clock += 20 * DAY;
    await expect.poll(() => query(url, 'SELECT COUNT(*)::int AS n FROM feedback_questions'), { timeout: 10_000, interval: 20 }).toEqual([{ n: 0 }]);
  });
});

/**
 * The seeded questions and what became of them, with ties in every ordering the queries make (equal
 * counts of texts, entries and entry points), texts of mixed case and diacritics, and one question
 * outside a 30-day period.
 */
const SEED: { via: string; user: string; text: string; lang: Lang; entry?: string; server?: boolean; daysAgo?: number }[] = [
  { via: 'slash', user: ALICE, text: 'Co to jest back office?', lang: 'pl', entry: 'back-office' },
  { via: 'slash', user: BOB, text: 'Co to jest back office?', lang: 'pl', entry: 'back-office' },
  { via: 'mention', user: CAROL, text: 'What is front office?', lang: 'en', entry: 'front-office' },
  { via: 'mention', user: ALICE, text: 'co robi call center w nocy', lang: 'pl', entry: 'call-centers' },
  { via: 'dm', user: ALICE, text: 'Jaka będzie pogoda?', lang: 'pl' },
  { via: 'dm', user: BOB, text: 'jaka bedzie pogoda', lang: 'pl' },
  { via: 'dm', user: CAROL, text: 'Kol senter?', lang: 'pl' },
  { via: 'dm', user: ALICE, text: 'kol senter', lang: 'pl' },
  { via: 'http', user: BOB, text: 'Zażółć gęślą jaźń?', lang: 'pl' },
  { via: 'http', user: CAROL, text: 'apple pie?', lang: 'en' },
  { via: 'button', user: ALICE, text: 'Ćma w biurze?', lang: 'pl' },
  { via: 'button', user: BOB, text: 'Banana?', lang: 'en' },
  { via: 'slash', user: CAROL, text: 'kiedy meetup', lang: 'pl', server: true },
  { via: 'dm', user: ALICE, text: 'Kto wygrał mundial?', lang: 'pl', daysAgo: 40 },
];

/** A clock the seed sets: each question stamped its days ago, the votes a day ago. */
function settableClock(start: number) {
  let at = start;
  return { now: () => at, set: (time: number) => (at = time) };
}

/** Seeds `feedback` (on `clock`) with SEED and votes that tie entries; resolves once all of it is written. */
async function seed(feedback: Feedback, clock: ReturnType<typeof settableClock>, now: number): Promise<void> {
  const refs: string[] = [];
  for (const row of SEED) {
    const result: AnswerResult = row.server
      ? {
          kind: 'server-answer',
          question: row.text,
          lang: row.lang,
          entry: { id: 'k3v9q2xa', guildId: '1200000000000000001', question: 'Kiedy jest meetup?', phrasings: [], answer: 'W czwartek.', createdAt: 0, updatedAt: 0 },
          confidence: 0.9,
        }
      : row.entry
        ? answered(row.entry, row.text, row.lang)
        : notFound(row.text, row.lang);
    clock.set(now - (row.daysAgo ?? 1) * DAY);
    refs.push(feedback.recordQuestion({ via: row.via, userId: row.user, result })!);
  }
  clock.set(now - DAY);
  const vote = (user: string, v: Vote, entryId: string, ref: string) => feedback.recordVote({ userId: user, vote: v, entryId, answerRef: ref });
  await vote(ALICE, 'up', 'back-office', refs[0]!);
  await vote(BOB, 'down', 'back-office', refs[1]!);
  await vote(CAROL, 'down', 'front-office', refs[2]!);
  await vote(ALICE, 'down', 'call-centers', refs[3]!);
  await vote(BOB, 'down', 'server:k3v9q2xa', refs[12]!);
  await feedback.settled();
}

async function reportOf(reader: FeedbackReader, now: number, days = 30, top?: number): Promise<Report> {
  try {
    return await buildReport(reader, answerer, { days, now, ...(top === undefined ? {} : { top }) });
  } finally {
    await reader.close();
  }
}

describe('the report on PostgreSQL', () => {
  let url: string;
  let sqlitePath: string;
  const now = Date.now();

  beforeAll(async () => {
    url = await freshDatabase();
    const [pgClock, sqliteClock] = [settableClock(now), settableClock(now)];
    const pgStore = (await startPg(url, { now: pgClock.now })).feedback;
    const sqlite = startSqlite({ now: sqliteClock.now });
    sqlitePath = sqlite.path;
    await seed(pgStore, pgClock, now);
    await seed(sqlite.feedback, sqliteClock, now);
    await Promise.all([pgStore.close(), sqlite.feedback.close()]);
  });

  it('is the same as on SQLite for the same data: totals, rates, unanswered groups, entries and suggestions', async () => {
    for (const [days, top] of [[30, undefined], [60, undefined], [30, 2]] as const) {
      const onPostgres = await reportOf(await openPostgresFeedbackReader(url), now, days, top);
      const onSqlite = await reportOf(openFeedbackReader(sqlitePath), now, days, top);
      expect(onPostgres).toEqual(onSqlite);
    }
    const report = await reportOf(await openPostgresFeedbackReader(url), now);
    expect(report.totals).toEqual({ questions: 13, answered: 5, answeredByServers: 1, notFound: 8, up: 1, down: 4, askers: 3 });
    // Most questions first, ties in byte order of the key.
    expect(report.rates.byVia.map((rate) => [rate.key, rate.questions])).toEqual([
      ['dm', 4],
      ['slash', 3],
      ['button', 2],
      ['http', 2],
      ['mention', 2],
    ]);
    // Each spelling asked once: the shorter one represents the group.
    expect(report.unanswered.slice(0, 2)).toEqual([
      { question: 'jaka bedzie pogoda', count: 2, variants: 2, lang: 'pl' },
      { question: 'kol senter', count: 2, variants: 2, lang: 'pl' },
    ]);
    // Entries by 👎, then 👍, then id in byte order.
    expect(report.entries.map((entry) => [entry.id, entry.up, entry.down])).toEqual([
      ['call-centers', 0, 1],
      ['front-office', 0, 1],
      ['server:k3v9q2xa', 0, 1],
      ['back-office', 1, 1],
    ]);
    expect((await reportOf(await openPostgresFeedbackReader(url), now, 60)).totals).toMatchObject({ questions: 14, notFound: 9 });
  });

  it('sees the rows of every process: two recorders, each with its own connections, one report', async () => {
    const shared = await freshDatabase();
    // Started at the same moment on a new database: the tables are created once.
    const [first, second] = await Promise.all([startPg(shared), startPg(shared)]);
    expect(await query(shared, 'SELECT version FROM feedback_migrations')).toEqual([{ version: POSTGRES_FEEDBACK_SCHEMA_VERSION }]);
    const ref = first.feedback.recordQuestion({ via: 'slash', userId: ALICE, result: answered('back-office', 'Co to jest back office?') })!;
    second.feedback.recordQuestion({ via: 'http', userId: BOB, result: notFound('Jaka będzie pogoda?') });
    second.feedback.recordQuestion({ via: 'http', userId: CAROL, result: answered('front-office', 'What is front office?', 'en') });
    await first.feedback.settled();
    // A click handled by the other process finds the answer the first one recorded.
    expect(await second.feedback.recordVote({ userId: BOB, vote: 'down', entryId: 'bpo-definition', answerRef: ref })).toEqual({
      status: 'recorded',
      vote: 'down',
      answerKnown: true,
      entryId: 'back-office',
    });
    expect(await first.feedback.recordVote({ userId: BOB, vote: 'up', entryId: 'back-office', answerRef: ref })).toMatchObject({ status: 'changed' });
    await Promise.all([first.feedback.settled(), second.feedback.settled()]);

    const report = await reportOf(await openPostgresFeedbackReader(shared), Date.now());
    expect(report.totals).toEqual({ questions: 3, answered: 2, answeredByServers: 0, notFound: 1, up: 1, down: 0, askers: 3 });
    expect(report.rates.byVia.map((rate) => rate.key)).toEqual(['http', 'slash']);
    expect(report.unanswered).toEqual([{ question: 'Jaka będzie pogoda?', count: 1, variants: 1, lang: 'pl' }]);
  });

  it('npm run report reads PostgreSQL with DATABASE_URL: text, --json and --html, and says which database', async () => {
    const env = scriptEnv({ DATABASE_URL: url, FEEDBACK_SECRET: SECRET });
    const text = await runScript('dist/cli/report.js', env);
    expect(text.code).toBe(0);
    const withoutPeriod = (output: string) => output.split('\n').slice(1).join('\n');
    expect(text.stdout).toMatch(/^Feedback report: the last 30 days/);
    expect(withoutPeriod(text.stdout)).toBe(withoutPeriod(renderReportText(await reportOf(await openPostgresFeedbackReader(url), now))));
    expect(text.stdout).toContain('Zażółć gęślą jaźń?');
    expect(text.stderr).toBe(`Feedback read from PostgreSQL at postgres://[redacted]@127.0.0.1:${postgres.port}/${new URL(url).pathname.slice(1)}\n`);

    const json = await runScript('dist/cli/report.js', env, { args: ['--json', '--days', '60'] });
    expect(json.code).toBe(0);
    const { period: _period, ...rest } = JSON.parse(json.stdout) as Report;
    const { period: _expected, ...expected } = await reportOf(openFeedbackReader(sqlitePath), now, 60);
    expect(rest).toEqual(expected);

    const file = join(mkdtempSync(join(tmpdir(), 'report-pg-html-')), 'report.html');
    const html = await runScript('dist/cli/report.js', env, { args: ['--html', file] });
    expect(html.code).toBe(0);
    expect(html.stderr).toContain(`HTML report written to ${file}\n`);
    expect(existsSync(file)).toBe(true);
  });

  it('npm run report says in one sentence, without the password, when the database cannot be read or has no feedback yet', async () => {
    const port = await freePort();
    const unreachable = await runScript('dist/cli/report.js', scriptEnv({ DATABASE_URL: `postgres://bot:${PASSWORD}@127.0.0.1:${port}/bpo_bot`, FEEDBACK_SECRET: SECRET }));
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^The feedback database postgres://\\[redacted\\]@127\\.0\\.0\\.1:${port}/bpo_bot cannot be read \\(ECONNREFUSED: .*\\): check that PostgreSQL runs and accepts connections at that host and port\\.\\n$`),
    );
    expect(unreachable.stderr + unreachable.stdout).not.toContain(PASSWORD);

    const empty = await runScript('dist/cli/report.js', scriptEnv({ DATABASE_URL: await freshDatabase(), FEEDBACK_SECRET: SECRET }));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^There are no feedback tables in postgres:\/\/\[redacted\]@127\.0\.0\.1:\d+\/feedback_\d+ yet: they are created when the bot starts with DATABASE_URL set to this database\.\n$/);
  });
});

describe('the entry points with DATABASE_URL', () => {
  let discord: DiscordTestServer;
  beforeAll(async () => {
    discord = await startDiscordServer();
  });
  afterAll(async () => {
    await discord?.close();
  });

  it('an unreachable database at start-up: feedback is off, with one error line that shows no password', async () => {
    const port = await freePort();
    const path = join(mkdtempSync(join(tmpdir(), 'feedback-pg-off-')), 'feedback.db');
    const { lines, logger } = captureLogger();
    const feedback = await openFeedbackOrRunWithout(
      { databaseUrl: `postgres://bot:${PASSWORD}@127.0.0.1:${port}/bpo_bot`, feedback: { path, secret: SECRET, retentionDays: 90 } },
      logger,
    );
    expect(feedback.enabled).toBe(false);
    expect(feedback.recordQuestion({ via: 'dm', userId: ALICE, result: notFound('Jaka będzie pogoda?') })).toBeNull();
    const troubles = lines.filter((line) => line.level >= LEVEL.warn);
    expect(troubles).toEqual([expect.objectContaining({ level: LEVEL.error, code: 'ECONNREFUSED' })]);
    expect(troubles[0]!.msg).toMatch(
      new RegExp(`^feedback is off until a restart: The feedback database postgres://\\S+@127\\.0\\.0\\.1:${port}/bpo_bot cannot be used \\(ECONNREFUSED: .*\\): check that PostgreSQL runs`),
    );
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
    // The SQLite file is not the fallback: with DATABASE_URL, feedback is PostgreSQL's or off.
    expect(existsSync(path)).toBe(false);
    await expect(openPostgresFeedback(`postgres://bot:${PASSWORD}@127.0.0.1:${port}/bpo_bot`, { secret: SECRET, retentionDays: 90 }, logger)).rejects.toThrow(FeedbackStoreError);
  });

  it('npm run start:http with an unreachable database answers all the same, without 👍/👎, and logs one feedback error line', async () => {
    const keys = makeSigningKeys();
    const [port, dbPort] = [await freePort(), await freePort()];
    const { child, output, exited } = startScript(
      'dist/http/main.js',
      scriptEnv({
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgres://bot:${PASSWORD}@127.0.0.1:${dbPort}/bpo_bot`,
        FEEDBACK_SECRET: SECRET,
      }),
    );
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('listening for interactions'), WAIT);
      const body = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest front-office?' }, locale: 'pl' }));
      const reply = await post(`http://127.0.0.1:${port}/interactions`, body, signatureHeaders(keys, body));
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.json())).not.toContain('vote:');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    const feedbackErrors = logLines(output.stderr).filter((line) => line.level >= LEVEL.warn && line.msg.startsWith('feedback'));
    expect(feedbackErrors).toHaveLength(1);
    expect(feedbackErrors[0]!.msg).toMatch(/^feedback is off until a restart: The feedback database postgres:\/\/\S+@127\.0\.0\.1:\d+\/bpo_bot cannot be used \(ECONNREFUSED/);
    expect(output.stderr + output.stdout).not.toContain(PASSWORD);
  });

  it('npm run start:http stores the question in PostgreSQL, written before it exits on SIGTERM', async () => {
    const url = await freshDatabase();
    const keys = makeSigningKeys();
    const port = await freePort();
    const { child, output, exited } = startScript(
      'dist/http/main.js',
      scriptEnv({ DISCORD_API_BASE: discord.apiBase, DISCORD_PUBLIC_KEY: keys.publicKeyHex, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, FEEDBACK_SECRET: SECRET }),
    );
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('listening for interactions'), WAIT);
      expect(output.stderr).toContain('"msg":"feedback: questions and votes are stored in PostgreSQL"');
      const body = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest front-office?' }, locale: 'pl' }));
      const reply = await post(`http://127.0.0.1:${port}/interactions`, body, signatureHeaders(keys, body));
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.json())).toContain('vote:');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    expect(await query(url, 'SELECT via, kind, entry_id, question FROM feedback_questions')).toEqual([
      { via: 'slash', kind: 'answer', entry_id: 'front-office', question: 'Czym jest front-office?' },
    ]);
  });

  it('npm run ask -- --record stores its question in PostgreSQL too', async () => {
    const url = await freshDatabase();
    const asked = await runScript('dist/cli/ask.js', scriptEnv({ DATABASE_URL: url, FEEDBACK_SECRET: SECRET }), { args: ['--record', '--json', 'Co to jest BPO?'] });
    expect(asked.code).toBe(0);
    expect(await query(url, 'SELECT via, kind, entry_id, question FROM feedback_questions')).toEqual([
      { via: 'terminal', kind: 'answer', entry_id: 'bpo-definition', question: 'Co to jest BPO?' },
    ]);
  });
});

function logLines(stderr: string): { level: number; msg: string }[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}
