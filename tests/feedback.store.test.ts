/**
 * Feedback storage on real SQLite files in a scratch folder: what a question row holds, votes and
 * changed votes, unanswered questions, retention, and that no raw user id ever reaches the disk.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, answerById } from '../src/answering/answer.ts';
import type { FeedbackSettings } from '../src/config.ts';
import { createFeedback, type Feedback, type FeedbackOptions } from '../src/feedback/recorder.ts';
import { storedQuestionText } from '../src/feedback/rows.ts';
import { buildReport } from '../src/feedback/report.ts';
import { renderReportText } from '../src/feedback/report-text.ts';
import { FeedbackStoreError, openFeedbackReader, SCHEMA_VERSION } from '../src/feedback/store.ts';
import { secretFileOf, userHasher } from '../src/feedback/user-hash.ts';
import { newAnswerRef } from '../src/feedback/vote-buttons.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { captureLogger, LEVEL } from './support/capture-log.ts';
import { runScript, scriptEnv } from './support/run-script.ts';
import { readRows } from './support/feedback-db.ts';

const answerer = testAnswerer();
const ALICE = '312345678901234567';
const BOB = '412345678901234568';
const SECRET = 'k'.repeat(64);
const DAY = 24 * 60 * 60 * 1000;

const open: Feedback[] = [];
afterEach(() => {
  open.splice(0).forEach((feedback) => feedback.close());
});

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'feedback-'));
}

function settings(path: string, extra: Partial<FeedbackSettings> = {}): FeedbackSettings {
  return { path, secret: SECRET, retentionDays: 90, ...extra };
}

function start(path: string, extra: Partial<FeedbackSettings> = {}, options: FeedbackOptions = {}) {
  const { lines, logger } = captureLogger();
  const feedback = createFeedback(settings(path, extra), logger, options);
  open.push(feedback);
  return { feedback, lines };
}

/** A clock the test moves by hand. */
function clock(start = Date.UTC(2025, 0, 15, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const rows = (path: string, sql: string) => readRows(path, sql);

const hmac = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest();

describe('a question row', () => {
  it('holds the time, entry point, language, entry, confidence, text, answer reference and hashed user', async () => {
    const path = join(scratch(), 'feedback.db');
    const time = clock();
    const { feedback } = start(path, {}, { now: time.now });
    const answered = answer('Co to jest back office?', answerer);
    const missed = answer('Jaka będzie jutro pogoda?', answerer);
    expect(answered.kind).toBe('answer');
    expect(missed.kind).toBe('not-found');

    const first = feedback.recordQuestion({ via: 'slash', userId: ALICE, result: answered });
    const second = feedback.recordQuestion({ via: 'dm', userId: BOB, result: missed });
    expect(first).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(first).not.toBe(second);
    await feedback.settled();

    const stored = rows(path, 'SELECT * FROM questions ORDER BY id');
    expect(stored).toEqual([
      {
        id: 1,
        asked_at: time.now(),
        via: 'slash',
        lang: 'pl',
        kind: 'answer',
        entry_id: 'back-office',
        confidence: answered.kind === 'answer' ? answered.confidence : -1,
        question: 'Co to jest back office?',
        answer_ref: first,
        user_hash: hmac(SECRET, ALICE),
      },
      {
        id: 2,
        asked_at: time.now(),
        via: 'dm',
        lang: 'pl',
        kind: 'not-found',
        entry_id: null,
        confidence: null,
        question: 'Jaka będzie jutro pogoda?',
        answer_ref: second,
        user_hash: hmac(SECRET, BOB),
      },
    ]);
  });

  it('keeps the answer reference the reply was rendered with, when given one (and a well-formed one only)', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const result = answer('Co to jest BPO?', answerer);
    const rendered = newAnswerRef();
    expect(feedback.recordQuestion({ via: 'slash', userId: ALICE, result, answerRef: rendered })).toBe(rendered);
    const replaced = feedback.recordQuestion({ via: 'slash', userId: ALICE, result, answerRef: 'not a reference' });
    expect(replaced).toMatch(/^[A-Za-z0-9_-]{12}$/);
    await feedback.settled();
    expect(rows(path, 'SELECT answer_ref FROM questions ORDER BY id')).toEqual([{ answer_ref: rendered }, { answer_ref: replaced }]);
    expect(await feedback.recordVote({ userId: BOB, vote: 'up', entryId: 'bpo-definition', answerRef: rendered })).toMatchObject({ answerKnown: true });
  });

  it('records an answer given twice with the same reference once, without holding up the rest of its batch', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback, lines } = start(path);
    const result = answer('Co to jest BPO?', answerer);
    const ref = newAnswerRef();
    feedback.recordQuestion({ via: 'slash', userId: ALICE, result, answerRef: ref });
    feedback.recordQuestion({ via: 'slash', userId: ALICE, result, answerRef: ref });
    feedback.recordQuestion({ via: 'dm', userId: BOB, result });
    await feedback.settled();
    expect(rows(path, 'SELECT via FROM questions ORDER BY id')).toEqual([{ via: 'slash' }, { via: 'dm' }]);
    expect(lines.filter((line) => line.level >= LEVEL.warn)).toEqual([]);
  });

  it('is written after the call returns, not during it: the answer does not wait', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    feedback.recordQuestion({ via: 'mention', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 0 }]);
    await feedback.settled();
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 1 }]);
  });

  it('keeps up with a flood: 1,000 questions per turn of the event loop, all stored', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback, lines } = start(path);
    const result = answer('Co to jest BPO?', answerer);
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 1000; i++) feedback.recordQuestion({ via: 'dm', userId: ALICE, result });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await feedback.settled();
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 30_000 }]);
    expect(lines.filter((line) => line.level >= LEVEL.warn)).toEqual([]);
  });

  it('masks mentions and long numbers, drops control characters and caps the text', () => {
    expect(storedQuestionText('<@312345678901234567> co to <@!1> <#2> <@&3> BPO?')).toBe('@… co to @… @… @… BPO?');
    expect(storedQuestionText('mój numer 312345678901234567, a BPO?')).toBe('mój numer …, a BPO?');
    expect(storedQuestionText('co\u001b[31m to\n\njest\u0007 BPO')).toBe('co [31m to jest BPO');
    expect(storedQuestionText('a'.repeat(4000))).toHaveLength(300);
    expect(storedQuestionText('telefon 123 456 789')).toBe('telefon 123 456 789');
    // Invisible formatting: a right-to-left override, zero-width spaces, a word joiner.
    expect(storedQuestionText('co to \u202Eje\u200Bst\u2060 BPO')).toBe('co to je st BPO');
  });

  it('keeps an unexpected entry point name short and plain', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    feedback.recordQuestion({ via: 'http', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    feedback.recordQuestion({ via: 'Robert\'); DROP TABLE questions;--', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    await feedback.settled();
    expect(rows(path, 'SELECT via FROM questions ORDER BY id')).toEqual([{ via: 'http' }, { via: 'other' }]);
  });
});

describe('votes', () => {
  it('count once per user and answer; a second click changes the vote, the same click changes nothing', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const ref = feedback.recordQuestion({ via: 'slash', userId: ALICE, result: answer('Co to jest back office?', answerer) })!;
    const vote = (userId: string, v: 'up' | 'down') => feedback.recordVote({ userId, vote: v, entryId: 'back-office', answerRef: ref });

    expect(await vote(ALICE, 'up')).toEqual({ status: 'recorded', vote: 'up', answerKnown: true, entryId: 'back-office' });
    expect(await vote(ALICE, 'up')).toEqual({ status: 'unchanged', vote: 'up', answerKnown: true, entryId: 'back-office' });
    expect(await vote(ALICE, 'down')).toEqual({ status: 'changed', vote: 'down', answerKnown: true, entryId: 'back-office' });
    // Someone else in the channel rates the same answer: a vote of their own.
    expect(await vote(BOB, 'up')).toEqual({ status: 'recorded', vote: 'up', answerKnown: true, entryId: 'back-office' });

    expect(rows(path, 'SELECT user_hash, vote FROM votes ORDER BY vote')).toEqual([
      { user_hash: hmac(SECRET, ALICE), vote: -1 },
      { user_hash: hmac(SECRET, BOB), vote: 1 },
    ]);
    const reader = openFeedbackReader(path);
    expect(await reader.totals(0)).toMatchObject({ up: 1, down: 1 });
    expect(await reader.entryVotes(0)).toEqual([{ entryId: 'back-office', up: 1, down: 1 }]);
    await reader.close();
  });

  it('many at once, as from a busy channel: each user\'s clicks apply in the order they came', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const ref = feedback.recordQuestion({ via: 'mention', userId: ALICE, result: answer('Co to jest back office?', answerer) })!;
    const users = Array.from({ length: 200 }, (_, i) => `6${String(i).padStart(17, '0')}`);
    const clicks = users.flatMap((userId, i) => {
      const vote = (v: 'up' | 'down') => feedback.recordVote({ userId, vote: v, entryId: 'back-office', answerRef: ref });
      // Even users change their mind, odd ones click the same button twice; nobody waits between clicks.
      return i % 2 === 0 ? [vote('up'), vote('down')] : [vote('up'), vote('up')];
    });
    const outcomes = (await Promise.all(clicks)).map((outcome) => outcome.status);
    expect(outcomes).toEqual(users.flatMap((_, i) => (i % 2 === 0 ? ['recorded', 'changed'] : ['recorded', 'unchanged'])));
    expect(rows(path, 'SELECT vote, COUNT(*) AS n FROM votes GROUP BY vote ORDER BY vote')).toEqual([
      { vote: -1, n: 100 },
      { vote: 1, n: 100 },
    ]);
  });

  it('a vote arriving in the same turn as its question still finds it', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const ref = feedback.recordQuestion({ via: 'button', userId: ALICE, result: answerById('front-office', answerer, 'en') })!;
    const outcome = feedback.recordVote({ userId: BOB, vote: 'down', entryId: 'front-office', answerRef: ref });
    expect(await outcome).toMatchObject({ status: 'recorded', answerKnown: true });
  });

  it('for an answer the database does not know (an old message, a pruned row): accepted for the button\'s entry', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const outcome = await feedback.recordVote({ userId: ALICE, vote: 'down', entryId: 'call-center', answerRef: 'AAAAAAAAAAAA' });
    expect(outcome).toEqual({ status: 'recorded', vote: 'down', answerKnown: false, entryId: 'call-center' });
    expect(rows(path, 'SELECT entry_id, vote FROM votes')).toEqual([{ entry_id: 'call-center', vote: -1 }]);
  });

  it('the stored answer\'s entry wins over the one a button names', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    const ref = feedback.recordQuestion({ via: 'slash', userId: ALICE, result: answer('Co to jest back office?', answerer) })!;
    const outcome = await feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: ref });
    expect(outcome).toMatchObject({ entryId: 'back-office' });
    expect(rows(path, 'SELECT entry_id FROM votes')).toEqual([{ entry_id: 'back-office' }]);
  });
});

describe('unanswered questions', () => {
  it('are stored like any other, and the report reads them grouped by exact text', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path);
    for (const [text, user] of [
      ['Jaka będzie pogoda?', ALICE],
      ['Jaka będzie pogoda?', BOB],
      ['Ile zarabia programista?', ALICE],
      ['Co to jest BPO?', ALICE],
    ] as const) {
      feedback.recordQuestion({ via: 'dm', userId: user, result: answer(text, answerer) });
    }
    await feedback.settled();
    const reader = openFeedbackReader(path);
    expect(await reader.unansweredTexts(0)).toEqual([
      { question: 'Jaka będzie pogoda?', lang: 'pl', count: 2 },
      { question: 'Ile zarabia programista?', lang: 'pl', count: 1 },
    ]);
    expect(await reader.totals(0)).toEqual({ questions: 4, answered: 1, answeredByServers: 0, notFound: 3, up: 0, down: 0, askers: 2 });
    await reader.close();
  });
});

describe("answers from a server's own entries", () => {
  it('are stored under server:<id> and counted as answered, and apart, in the report', async () => {
    const path = join(scratch(), 'server-answers.db');
    const { feedback } = start(path);
    const entry = { id: 'k3v9q2xa', guildId: '1200000000000000001', question: 'Kiedy jest meetup?', phrasings: [], answer: 'W czwartek.', createdAt: 0, updatedAt: 0 };
    feedback.recordQuestion({ via: 'slash', userId: ALICE, result: { kind: 'server-answer', question: 'kiedy meetup', lang: 'pl', entry, confidence: 0.9 } });
    feedback.recordQuestion({ via: 'dm', userId: BOB, result: answer('Co to jest BPO?', answerer) });
    await feedback.settled();
    expect(rows(path, 'SELECT kind, entry_id AS entryId FROM questions ORDER BY id')).toEqual([
      { kind: 'server-answer', entryId: 'server:k3v9q2xa' },
      { kind: 'answer', entryId: 'bpo-definition' },
    ]);
    const reader = openFeedbackReader(path);
    expect(await reader.totals(0)).toMatchObject({ questions: 2, answered: 2, answeredByServers: 1, notFound: 0 });
    const report = await buildReport(reader, answerer, { days: 30 });
    expect(report.serverEntries).toEqual([{ id: 'server:k3v9q2xa', count: 1, questions: [{ question: 'kiedy meetup', count: 1, variants: 1, lang: 'pl' }] }]);
    expect(renderReportText(report)).toContain("Servers' own entries (/wiedza) answering most\n       1  server:k3v9q2xa\n         1  \"kiedy meetup\" [pl]\n");
    await reader.close();
  });
});

describe('retention', () => {
  it('prunes questions and votes older than FEEDBACK_RETENTION_DAYS at start-up', async () => {
    const path = join(scratch(), 'feedback.db');
    const time = clock();
    const first = start(path, { retentionDays: 30 }, { now: time.now });
    const old = first.feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) })!;
    await first.feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: old });
    time.advance(20 * DAY);
    first.feedback.recordQuestion({ via: 'dm', userId: BOB, result: answer('Co to jest front office?', answerer) });
    await first.feedback.settled();
    first.feedback.close();

    time.advance(11 * DAY); // the first question and its vote are now 31 days old, the second 11
    const second = start(path, { retentionDays: 30 }, { now: time.now });
    expect(rows(path, 'SELECT question FROM questions')).toEqual([{ question: 'Co to jest front office?' }]);
    expect(rows(path, 'SELECT COUNT(*) AS n FROM votes')).toEqual([{ n: 0 }]);
    expect(second.lines).toContainEqual(expect.objectContaining({ msg: 'feedback: pruned old questions and votes', questions: 1, votes: 1, retentionDays: 30 }));
  });

  it('prunes again while running, on its timer', async () => {
    const path = join(scratch(), 'feedback.db');
    const time = clock();
    const { feedback } = start(path, { retentionDays: 1 }, { now: time.now, pruneEveryMs: 20 });
    feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    await feedback.settled();
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 1 }]);
    time.advance(DAY + 1);
    await expect.poll(() => rows(path, 'SELECT COUNT(*) AS n FROM questions'), { timeout: 5000, interval: 20 }).toEqual([{ n: 0 }]);
  });
});

describe('no raw user id anywhere on disk', () => {
  it('neither in the database nor in its WAL, while open and after closing', async () => {
    const dir = scratch();
    const path = join(dir, 'feedback.db');
    // No FEEDBACK_SECRET: the generated key file is the only other file, and holds no id either.
    const { feedback } = start(path, { secret: undefined });
    const ids = Array.from({ length: 50 }, (_, i) => `${3_000_000_000_000_000_00n + BigInt(i) * 7919n}`);
    for (const id of ids) {
      const ref = feedback.recordQuestion({ via: 'mention', userId: id, result: answer(`<@${ids[0]}> co to jest BPO? pyta <@${id}>`, answerer) })!;
      await feedback.recordVote({ userId: id, vote: 'up', entryId: 'bpo-definition', answerRef: ref });
    }
    await feedback.settled();
    const files = () => ['feedback.db', 'feedback.db-wal', 'feedback.db-shm', 'feedback.db.secret'].map((name) => join(dir, name)).filter(existsSync);
    const scan = () => {
      const found = files().flatMap((file) => {
        const bytes = readFileSync(file);
        return ids.filter((id) => bytes.includes(id) || bytes.includes(Buffer.from(id, 'utf16le'))).map((id) => `${id} in ${file}`);
      });
      return found;
    };
    expect(files().some((file) => file.endsWith('-wal') && statSync(file).size > 0)).toBe(true);
    expect(scan()).toEqual([]);
    feedback.close();
    expect(scan()).toEqual([]);
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: ids.length }]);
    expect(rows(path, 'SELECT DISTINCT question FROM questions')).toEqual([{ question: '@… co to jest BPO? pyta @…' }]);
  });
});

describe('the key users are hashed with', () => {
  it('is generated once beside the database, owner-only, and reused at the next start', async () => {
    const dir = scratch();
    const path = join(dir, 'feedback.db');
    const first = start(path, { secret: undefined });
    const secretFile = secretFileOf(path);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.lines).toContainEqual(expect.objectContaining({ msg: 'feedback: generated the key users are hashed with', file: secretFile }));
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const ref = first.feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) })!;
    await first.feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: ref });
    first.feedback.close();

    // After a restart the same user is the same hash, so a second click still changes their vote.
    const second = start(path, { secret: undefined });
    expect(readFileSync(secretFile, 'utf8').trim()).toBe(secret);
    expect(await second.feedback.recordVote({ userId: ALICE, vote: 'down', entryId: 'bpo-definition', answerRef: ref })).toMatchObject({ status: 'changed' });
    expect(rows(path, 'SELECT user_hash FROM votes')).toEqual([{ user_hash: hmac(secret, ALICE) }]);
  });

  it('is used all the same when others may read it, or the database, with a warning that gives the fix', () => {
    const path = join(scratch(), 'feedback.db');
    start(path, { secret: undefined }).feedback.close();
    expect(start(path, { secret: undefined }).lines.filter((l) => l.level === 40)).toEqual([]);
    chmodSync(path, 0o644);
    chmodSync(secretFileOf(path), 0o640);
    const loose = start(path, { secret: undefined });
    loose.feedback.close();
    expect(loose.lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      `feedback: ${path} may be read by other users of this machine; run: chmod 600 ${path}`,
      `feedback: ${secretFileOf(path)} may be read by other users of this machine; run: chmod 600 ${secretFileOf(path)}`,
    ]);
  });

  it('written by another process an instant after its file appeared (shards starting together), is waited for and shared', async () => {
    const path = join(scratch(), 'feedback.db');
    const secretFile = secretFileOf(path);
    const key = 'b'.repeat(64);
    // The other process: its file exists already, empty; the key follows 100 ms later.
    writeFileSync(secretFile, '', { mode: 0o600 });
    const writer = spawn(process.execPath, ['-e', `console.log('ready'); setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(secretFile)}, ${JSON.stringify(`${key}\n`)}), 100)`]);
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    const { feedback } = start(path, { secret: undefined });
    feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    await feedback.settled();
    expect(rows(path, 'SELECT user_hash FROM questions')).toEqual([{ user_hash: hmac(key, ALICE) }]);
    feedback.close();
  });

  it('is FEEDBACK_SECRET when set, and then no key file is written', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback } = start(path, { secret: SECRET });
    feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) });
    await feedback.settled();
    expect(existsSync(secretFileOf(path))).toBe(false);
    expect(rows(path, 'SELECT user_hash FROM questions')).toEqual([{ user_hash: hmac(SECRET, ALICE) }]);
  });
});

describe('a locked database', () => {
  it('delays the writes, not the answers: one log line for a flood, then everything is written once it is free', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback, lines } = start(path, {}, { retryMs: 20 });
    await feedback.settled();
    // Another process holds the write lock.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const refs: (string | null)[] = [];
    for (let i = 0; i < 1000; i++) refs.push(feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) }));
    expect(refs.every((ref) => ref !== null)).toBe(true);
    const vote = await feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: refs[0]! });
    expect(vote).toEqual({ status: 'unavailable', vote: 'up' });
    await expect.poll(() => lines.filter((line) => line.level >= LEVEL.warn).length, { timeout: 5000 }).toBeGreaterThan(0);
    // Several retries have failed by now; still one line.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const troubles = lines.filter((line) => line.level >= LEVEL.warn);
    expect(troubles).toEqual([expect.objectContaining({ level: LEVEL.error, code: 'SQLITE_BUSY', msg: expect.stringMatching(/^feedback not stored/) })]);

    other.exec('COMMIT');
    other.close();
    await feedback.settled();
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 1000 }]);
    expect(lines).toContainEqual(expect.objectContaining({ level: LEVEL.info, msg: 'feedback storage recovered', dropped: 0 }));
    // The vote that was declined can simply be clicked again.
    expect(await feedback.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: refs[0]! })).toMatchObject({ status: 'recorded' });
  });

  it('keeps a bounded queue meanwhile, dropping the oldest questions', async () => {
    const path = join(scratch(), 'feedback.db');
    const { feedback, lines } = start(path, {}, { retryMs: 20, maxPending: 100 });
    await feedback.settled();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 300; i++) feedback.recordQuestion({ via: 'dm', userId: ALICE, result: answer(`Co to jest BPO ${i}?`, answerer) });
    other.exec('COMMIT');
    other.close();
    await feedback.settled();
    const stored = rows(path, 'SELECT question FROM questions ORDER BY id');
    expect(stored).toHaveLength(100);
    expect(stored[99]).toEqual({ question: 'Co to jest BPO 299?' });
    expect(lines.filter((line) => line.level >= LEVEL.warn).length).toBeLessThanOrEqual(3);
  });
});

describe('opening', () => {
  it('creates the folder and the schema, version in PRAGMA user_version, in WAL mode', () => {
    const path = join(scratch(), 'nested', 'data', 'feedback.db');
    start(path);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('is created once when many processes open a new file at the same moment (shards starting together)', async () => {
    const path = join(scratch(), 'feedback.db');
    const store = pathToFileURL(join(process.cwd(), 'dist/feedback/store.js')).href;
    // Each process loads everything, says "ready", and opens the file when told to: all at once.
    const opener = `const { openFeedbackStore } = await import(${JSON.stringify(store)});
      console.log('ready');
      process.stdin.once('data', () => {
        try { openFeedbackStore(${JSON.stringify(path)}).close(); console.log('opened'); } catch (error) { console.log(String(error.message)); }
        process.exit(0);
      });`;
    const children = Array.from({ length: 8 }, () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', opener]);
      let output = '';
      const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => ((output += chunk.toString()), output.includes('ready') && resolve())));
      const done = new Promise<string>((resolve) => child.on('close', () => resolve(output.replace('ready', '').trim())));
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.write('go\n');
    const outputs = await Promise.all(children.map((c) => c.done));
    expect(outputs).toEqual(Array.from({ length: 8 }, () => 'opened'));
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database of a newer schema with one sentence', () => {
    const path = join(scratch(), 'feedback.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => createFeedback(settings(path), captureLogger().logger)).toThrow(FeedbackStoreError);
    expect(() => createFeedback(settings(path), captureLogger().logger)).toThrow(/^The feedback database .* has schema version 2, newer than this version of the bot knows \(1\): .*FEEDBACK_DB/);
  });

  it('refuses a path it cannot use with one sentence naming FEEDBACK_DB', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'feedback.db'));
    expect(() => createFeedback(settings(join(dir, 'feedback.db')), captureLogger().logger)).toThrow(/^The feedback database .*feedback\.db cannot be opened \(.*\): .*FEEDBACK_DB=off\.$/);
    writeFileSync(join(dir, 'garbage.db'), 'this is not a database, '.repeat(100));
    expect(() => createFeedback(settings(join(dir, 'garbage.db')), captureLogger().logger)).toThrow(/cannot be opened \(SQLITE_NOTADB/);
  });

  it('refuses a key file it cannot use with one sentence', () => {
    const dir = scratch();
    const path = join(dir, 'feedback.db');
    writeFileSync(secretFileOf(path), 'short\n');
    expect(() => createFeedback(settings(path, { secret: undefined }), captureLogger().logger)).toThrow(
      /^The key users are hashed with cannot be read or created beside .*feedback\.db \(.*feedback\.db\.secret holds fewer than 32 characters\): set FEEDBACK_SECRET, or fix or delete .*feedback\.db\.secret to have a new key generated\.$/,
    );
  });

  it('with FEEDBACK_DB=off stores nothing and creates no file', async () => {
    const dir = scratch();
    for (const off of [createFeedback({ path: null, secret: undefined, retentionDays: 90 }, captureLogger().logger), createFeedback(undefined, captureLogger().logger)]) {
      expect(off.enabled).toBe(false);
      expect(off.recordQuestion({ via: 'dm', userId: ALICE, result: answer('Co to jest BPO?', answerer) })).toBeNull();
      expect(await off.recordVote({ userId: ALICE, vote: 'up', entryId: 'bpo-definition', answerRef: 'AAAAAAAAAAAA' })).toEqual({ status: 'off', vote: 'up' });
      off.close();
    }
    expect(existsSync(join(dir, 'feedback.db'))).toBe(false);
  });
});

describe('a crash', () => {
  it('loses nothing already written: the WAL is replayed at the next open', async () => {
    const path = join(scratch(), 'feedback.db');
    const result = await runScript('tests/support/scripts/feedback-crash.ts', scriptEnv({}), { args: [path, '250'] });
    expect([null, 137]).toContain(result.code); // killed (tsx reports the signal as 128 + 9), not exited
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(rows(path, 'SELECT COUNT(*) AS n FROM questions')).toEqual([{ n: 250 }]);
  });
});

describe('userHasher', () => {
  it('gives each id its HMAC under the key, the same whether remembered or computed again', () => {
    const hash = userHasher('k'.repeat(64));
    const expected = (id: string) => createHmac('sha256', 'k'.repeat(64)).update(id, 'utf8').digest();
    expect(hash('1300000000000000001')).toEqual(expected('1300000000000000001'));
    expect(hash('1300000000000000001')).toBe(hash('1300000000000000001'));
    // Far more ids than it remembers: the first is forgotten, then computed again, the same.
    for (let i = 0; i < 20_000; i++) hash(`id-${i}`);
    expect(hash('1300000000000000001')).toEqual(expected('1300000000000000001'));
    expect(hash('id-0')).toEqual(expected('id-0'));
    expect(userHasher('l'.repeat(64))('1300000000000000001')).not.toEqual(expected('1300000000000000001'));
  });
});
