/**
 * Feedback in PostgreSQL (DATABASE_URL), shared by every process on every machine: the recorder the
 * handlers use, and the report's reader. The same rows as the SQLite file's (built by recorder.ts),
 * the same vote outcomes and the same report queries; writes are queued, sent in batches (one
 * multi-row INSERT per run of questions, in a transaction) and retried, so that a slow or absent
 * database never holds up an answer.
 */
import pg from 'pg';
import type { Logger } from '../log.ts';
import { createPool, databaseError, openMigratedPool, passwordFree, shownUrl, type StoreErrors } from '../postgres.ts';
import { DAY_MS, FEEDBACK_DEFAULTS, type Feedback, type FeedbackOptions } from './recorder.ts';
import { recordingCalls, troubleReporter, writeQueue, type Job } from './write-queue.ts';
import { FeedbackStoreError, type DownVotedText, type EntryVotes, type FeedbackReader, type QuestionRow, type RateRow, type TextCount, type Totals, type VoteResult, type VoteRow } from './store.ts';
import { userHasher } from './user-hash.ts';

/** Schema steps in order, the same tables as the SQLite file's. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE feedback_questions (
     id bigserial PRIMARY KEY,
     asked_at bigint NOT NULL,
     via text NOT NULL,
     lang text NOT NULL,
     kind text NOT NULL,
     entry_id text,
     confidence double precision,
     question text NOT NULL,
     answer_ref text NOT NULL UNIQUE,
     user_hash bytea NOT NULL
   );
   CREATE INDEX feedback_questions_by_time ON feedback_questions (asked_at);
   CREATE TABLE feedback_votes (
     answer_ref text NOT NULL,
     user_hash bytea NOT NULL,
     entry_id text NOT NULL,
     vote smallint NOT NULL CHECK (vote IN (-1, 1)),
     voted_at bigint NOT NULL,
     PRIMARY KEY (answer_ref, user_hash)
   );
   CREATE INDEX feedback_votes_by_time ON feedback_votes (voted_at);`,
];

export const POSTGRES_FEEDBACK_SCHEMA_VERSION = MIGRATIONS.length;

/** Held while migrating: processes starting together take turns (apart from the server knowledge store's keys). */
const MIGRATION_LOCK = 7_303_614_200_001n;
const QUESTION_COLUMNS = ['asked_at', 'via', 'lang', 'kind', 'entry_id', 'confidence', 'question', 'answer_ref', 'user_hash'] as const;

export interface PostgresFeedbackOptions extends FeedbackOptions {
  /** How long to wait for a connection before the write (or the start) fails (milliseconds). */
  connectionTimeoutMs?: number;
  /** How long one statement may take before the write fails and is retried (milliseconds). */
  queryTimeoutMs?: number;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 15_000;
/** The report's queries read up to a year of rows; they may take longer than a write. */
const REPORT_QUERY_TIMEOUT_MS = 120_000;

const ERRORS: StoreErrors = { store: 'feedback', tables: 'feedback_', error: (message, options) => new FeedbackStoreError(message, options) };

/** bigint (counts, millisecond times) as numbers: every value here is far below 2^53. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)),
};

/**
 * Connects to the database at `url`, creating and migrating the feedback_ tables if needed, and
 * prunes what is older than `retentionDays`. Throws FeedbackStoreError, without the URL's password.
 * `close()` returns a promise: the last write and the end of the connections.
 */
export async function openPostgresFeedback(
  url: string,
  settings: { secret: string; retentionDays: number },
  logger: Logger,
  options: PostgresFeedbackOptions = {},
): Promise<Feedback> {
  const shown = shownUrl(url, ERRORS);
  if (!settings.secret) throw new FeedbackStoreError(`The feedback database ${shown} needs FEEDBACK_SECRET, the key users are hashed with: set it, the same in every process.`);
  const { now = Date.now, retryMs, maxPending, batchSize, pruneEveryMs, logEveryMs } = { ...FEEDBACK_DEFAULTS, ...options };
  // One batch is written at a time; the other connection is for the daily pruning.
  const pool = await openMigratedPool(
    url,
    shown,
    ERRORS,
    { name: 'bpo-discord-bot feedback', max: 2, connectionTimeoutMs: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS, queryTimeoutMs: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS, types: TYPES },
    { lock: MIGRATION_LOCK, table: 'feedback_migrations', steps: MIGRATIONS },
  );
  const hash = userHasher(settings.secret);

  const waiters: (() => void)[] = [];
  let scheduled = false;
  let draining: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let pruning: Promise<void> = Promise.resolve();
  // Log throttling runs on the monotonic clock, not on `now`, which stamps rows.
  const trouble = troubleReporter(logger, () => performance.now(), logEveryMs);
  const queue = writeQueue({ maxPending, trouble, onQueued: () => schedule() });
  const { pending } = queue;
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());

  const prune = async () => {
    try {
      const cutoff = now() - settings.retentionDays * DAY_MS;
      // One statement: both deletions or neither.
      const { rows } = await pool.query<{ questions: number; votes: number }>(
        `WITH q AS (DELETE FROM feedback_questions WHERE asked_at < $1 RETURNING 1),
              v AS (DELETE FROM feedback_votes WHERE voted_at < $1 RETURNING 1)
         SELECT (SELECT COUNT(*) FROM q) AS questions, (SELECT COUNT(*) FROM v) AS votes`,
        [cutoff],
      );
      const removed = rows[0]!;
      if (removed.questions + removed.votes > 0) logger.info({ ...removed, retentionDays: settings.retentionDays }, 'feedback: pruned old questions and votes');
    } catch (error) {
      const { code, message } = passwordFree(error, url);
      logger.warn({ code, err: message }, 'feedback: pruning failed; trying again at the next run');
    }
  };
  await prune();
  const pruneTimer = setInterval(() => {
    pruning = pruning.then(prune);
  }, pruneEveryMs);
  pruneTimer.unref();

  /** Writes one batch in a transaction. On failure the questions go back to the queue; votes are answered "unavailable". */
  const write = async (batch: Job[]): Promise<boolean> => {
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      const outcomes: (VoteResult | undefined)[] = [];
      for (let i = 0; i < batch.length; ) {
        const job = batch[i]!;
        if (job.kind === 'vote') {
          outcomes.push(await recordVote(client, job.row));
          i++;
          continue;
        }
        // A run of questions is one INSERT; a vote after them finds them.
        let end = i;
        while (end < batch.length && batch[end]!.kind === 'question') end++;
        await insertQuestions(client, batch.slice(i, end).map((question) => (question as Extract<Job, { kind: 'question' }>).row));
        for (; i < end; i++) outcomes.push(undefined);
      }
      await client.query('COMMIT');
      client.release();
      client = undefined;
      queue.written(batch, outcomes);
      return true;
    } catch (error) {
      // The connection is dropped rather than rolled back (it may be the trouble): the server
      // rolls the transaction back when it goes.
      client?.release(true);
      queue.refused(batch, passwordFree(error, url));
      return false;
    }
  };

  /** Writes batches until the queue is empty, one at a time; after a failure, again in retryMs. */
  const drain = async () => {
    while (pending.length > 0) {
      if (!(await write(pending.splice(0, batchSize)))) {
        if (!closed) {
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            schedule();
          }, retryMs);
          retryTimer.unref();
        }
        return;
      }
    }
  };

  /** On the next turn: the questions of this turn go in one batch. */
  const schedule = () => {
    if (scheduled || draining || retryTimer || closed) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (closed || draining) return;
      draining = drain();
      void draining.then(() => {
        draining = undefined;
        // Anything queued since the last batch left goes next (unless a retry is waiting).
        if (pending.length === 0) wake();
        else schedule();
      });
    });
  };

  return {
    enabled: true,
    ...recordingCalls({ queue, now, hash, closed: () => closed, refusing: () => retryTimer !== undefined }),
    settled() {
      // Once closing, what is queued is written (or given up on) when close is done.
      if (closing) return closing;
      if (pending.length === 0 && !scheduled && !draining) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      if (closing) return closing;
      closed = true;
      clearInterval(pruneTimer);
      clearTimeout(retryTimer);
      retryTimer = undefined;
      closing = (async () => {
        // The batch under way ends first (once closed, a failure is not retried), then one last attempt.
        await draining;
        while (pending.length > 0 && (await write(pending.splice(0, batchSize))));
        if (pending.length > 0) logger.error({ lost: pending.length }, 'feedback: questions not stored at shutdown (the database refused them)');
        pending.length = 0;
        wake();
        await pruning;
        await pool.end().catch(() => {});
      })();
      return closing;
    },
  };
}

/** The questions of a batch in one statement; an answer recorded twice (the same reference) is kept once. */
async function insertQuestions(client: pg.PoolClient, rows: readonly QuestionRow[]): Promise<void> {
  const width = QUESTION_COLUMNS.length;
  const values = rows.map((_, r) => `(${QUESTION_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  await client.query(
    `INSERT INTO feedback_questions (${QUESTION_COLUMNS.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (answer_ref) DO NOTHING`,
    rows.flatMap((row) => [row.askedAt, row.via, row.lang, row.kind, row.entryId, row.confidence, row.question, row.answerRef, row.userHash]),
  );
}

/**
 * A click, in one statement, as the SQLite store records it: the stored answer's entry wins over the
 * button's; the same vote again changes nothing; clicks of one user on one answer from several
 * processes at once take turns on the row. xmax is 0 on a row this statement inserted.
 */
async function recordVote(client: pg.PoolClient, row: VoteRow): Promise<VoteResult> {
  const { rows } = await client.query<{ known: boolean; entry_id: string; inserted: boolean | null }>(
    `WITH answer AS (SELECT entry_id FROM feedback_questions WHERE answer_ref = $1),
          upserted AS (
            INSERT INTO feedback_votes AS v (answer_ref, user_hash, entry_id, vote, voted_at)
            VALUES ($1, $2, COALESCE((SELECT entry_id FROM answer), $3), $4, $5)
            ON CONFLICT (answer_ref, user_hash) DO UPDATE SET entry_id = excluded.entry_id, vote = excluded.vote, voted_at = excluded.voted_at
              WHERE v.vote <> excluded.vote
            RETURNING (xmax = 0) AS inserted)
     SELECT EXISTS (SELECT 1 FROM answer) AS known, COALESCE((SELECT entry_id FROM answer), $3) AS entry_id, (SELECT inserted FROM upserted) AS inserted`,
    [row.answerRef, row.userHash, row.entryId, row.vote, row.votedAt],
  );
  const { known, entry_id: entryId, inserted } = rows[0]!;
  return { status: inserted === null ? 'unchanged' : inserted ? 'recorded' : 'changed', answerKnown: known, entryId };
}

// ---- Reading, for the report ----

/**
 * The report's queries on PostgreSQL, in a read-only session: the same figures, in the same order,
 * as the SQLite reader's (text is ordered by COLLATE "C", byte order, as SQLite does). Throws
 * FeedbackStoreError, without the URL's password, when the database cannot be reached or has no
 * feedback tables of this version; a query that fails rejects with one too.
 */
export async function openPostgresFeedbackReader(url: string, options: { connectionTimeoutMs?: number; queryTimeoutMs?: number } = {}): Promise<FeedbackReader> {
  const shown = shownUrl(url, ERRORS);
  const pool = createPool(url, {
    name: 'bpo-discord-bot report',
    max: 4,
    connectionTimeoutMs: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    queryTimeoutMs: options.queryTimeoutMs ?? REPORT_QUERY_TIMEOUT_MS,
    readOnly: true,
    types: TYPES,
  });
  try {
    const { rows } = await pool.query<{ present: boolean }>("SELECT to_regclass('feedback_migrations') IS NOT NULL AS present");
    const version = rows[0]!.present ? (await pool.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM feedback_migrations')).rows[0]!.version : 0;
    if (version === 0) {
      throw new FeedbackStoreError(`There are no feedback tables in ${shown} yet: they are created when the bot starts with DATABASE_URL set to this database.`);
    }
    if (version !== POSTGRES_FEEDBACK_SCHEMA_VERSION) {
      throw new FeedbackStoreError(
        `The feedback tables in ${shown} have schema version ${version}, and this report reads version ${POSTGRES_FEEDBACK_SCHEMA_VERSION}: start the bot of this version once to migrate them, or update the report.`,
      );
    }
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof FeedbackStoreError) throw error;
    throw databaseError(ERRORS, shown, 'cannot be read', error, url);
  }

  const all = async <T extends pg.QueryResultRow>(sql: string, since: number): Promise<T[]> => {
    try {
      return (await pool.query<T>(sql, [since])).rows;
    } catch (error) {
      throw databaseError(ERRORS, shown, 'cannot be read', error, url);
    }
  };
  const answered = "COUNT(*) FILTER (WHERE kind IN ('answer', 'server-answer'))";
  const notFound = "COUNT(*) FILTER (WHERE kind = 'not-found')";
  let closed = false;
  return {
    async totals(since) {
      const [questions, votes] = await Promise.all([
        all<Omit<Totals, 'up' | 'down'>>(
          `SELECT COUNT(*) AS questions, ${answered} AS answered, COUNT(*) FILTER (WHERE kind = 'server-answer') AS "answeredByServers",
                  ${notFound} AS "notFound", COUNT(DISTINCT user_hash) AS askers
             FROM feedback_questions WHERE asked_at >= $1`,
          since,
        ),
        all<{ up: number; down: number }>('SELECT COUNT(*) FILTER (WHERE vote = 1) AS up, COUNT(*) FILTER (WHERE vote = -1) AS down FROM feedback_votes WHERE voted_at >= $1', since),
      ]);
      return { ...questions[0]!, ...votes[0]! };
    },
    // The column name cannot be a parameter; it comes from this fixed pair only.
    ratesBy: (column, since) =>
      all<RateRow>(
        `SELECT ${column} AS key, COUNT(*) AS questions, ${answered} AS answered, ${notFound} AS "notFound"
           FROM feedback_questions WHERE asked_at >= $1 GROUP BY ${column} ORDER BY COUNT(*) DESC, ${column} COLLATE "C"`,
        since,
      ),
    unansweredTexts: (since) =>
      all<TextCount>(
        `SELECT question, lang, COUNT(*) AS count FROM feedback_questions
          WHERE kind = 'not-found' AND asked_at >= $1 GROUP BY question, lang ORDER BY COUNT(*) DESC, question COLLATE "C"`,
        since,
      ),
    entryVotes: (since) =>
      all<EntryVotes>(
        `SELECT entry_id AS "entryId", COUNT(*) FILTER (WHERE vote = 1) AS up, COUNT(*) FILTER (WHERE vote = -1) AS down FROM feedback_votes
          WHERE voted_at >= $1 GROUP BY entry_id
          ORDER BY COUNT(*) FILTER (WHERE vote = -1) DESC, COUNT(*) FILTER (WHERE vote = 1), entry_id COLLATE "C"`,
        since,
      ),
    downVotedTexts: (since) =>
      all<DownVotedText>(
        `SELECT v.entry_id AS "entryId", q.question AS question, q.lang AS lang, COUNT(*) AS count
           FROM feedback_votes v JOIN feedback_questions q ON q.answer_ref = v.answer_ref
          WHERE v.vote = -1 AND v.voted_at >= $1 GROUP BY v.entry_id, q.question, q.lang ORDER BY COUNT(*) DESC, q.question COLLATE "C"`,
        since,
      ),
    serverAnsweredTexts: (since) =>
      all<DownVotedText>(
        `SELECT entry_id AS "entryId", question, lang, COUNT(*) AS count FROM feedback_questions
          WHERE kind = 'server-answer' AND asked_at >= $1 GROUP BY entry_id, question, lang ORDER BY COUNT(*) DESC, question COLLATE "C"`,
        since,
      ),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
