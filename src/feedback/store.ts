/**
 * Every SQL statement of the feedback database, and nothing else: the rest of the code sees
 * functions. Questions and votes live in one SQLite file in WAL mode; statements are prepared once
 * when the store opens; the schema version is `PRAGMA user_version`, raised by plain migration steps.
 */
import Database from 'better-sqlite3';
import { openSqliteFile } from '../sqlite-file.ts';

export interface QuestionRow {
  /** Unix time in milliseconds. */
  askedAt: number;
  /** The entry point: "slash", "dm", "mention", "button", "http"… */
  via: string;
  lang: string;
  /** What the answering core made of it: "answer", "server-answer", "not-found", "small-talk" or "too-long". */
  kind: string;
  /** The entry answered with; null when none was. */
  entryId: string | null;
  confidence: number | null;
  question: string;
  /** The random reference the answer's vote buttons carry. */
  answerRef: string;
  /** HMAC-SHA256 of the user id: never the id itself. */
  userHash: Buffer;
}

export type VoteValue = 1 | -1;

export interface VoteRow {
  votedAt: number;
  answerRef: string;
  userHash: Buffer;
  /** The entry named by the vote button; the stored answer's own entry wins when the answer is known. */
  entryId: string;
  vote: VoteValue;
}

export interface VoteResult {
  /** "recorded": a first vote; "changed": the other button than before; "unchanged": the same one again. */
  status: 'recorded' | 'changed' | 'unchanged';
  /** False when no stored question has this answer reference (an old message, or a pruned row). */
  answerKnown: boolean;
  entryId: string;
}

/** The database cannot be used; the message is one sentence naming the file. */
export class FeedbackStoreError extends Error {
  /** SQLite's (or the file system's) code, e.g. SQLITE_BUSY, when there is one. */
  readonly code: string | undefined;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedbackStoreError';
    const code = (options?.cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }

  /** Another process holds the database for now (peers starting together, a long prune): worth trying again. */
  get transient(): boolean {
    return this.code === 'SQLITE_BUSY' || this.code?.startsWith('SQLITE_BUSY_') === true || this.code === 'SQLITE_LOCKED';
  }
}

/** What to do about a database that cannot be opened, by its error code. */
function fixFor(code: string): string {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'another process holds a lock on it; it is tried again, or stop the process that holds it';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'ENOSPC') return 'the disk is full or cannot be written: free some space';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'the file is not a SQLite database or is damaged: move it away to have a new one created';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT' || code === 'ENOTDIR') return 'check that the file and its folder are writable by this user';
  return 'check the file and its folder';
}

/** Schema steps in order; step n takes the database from user_version n to n + 1. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE questions (
     id INTEGER PRIMARY KEY,
     asked_at INTEGER NOT NULL,
     via TEXT NOT NULL,
     lang TEXT NOT NULL,
     kind TEXT NOT NULL,
     entry_id TEXT,
     confidence REAL,
     question TEXT NOT NULL,
     answer_ref TEXT NOT NULL UNIQUE,
     user_hash BLOB NOT NULL
   );
   CREATE INDEX questions_by_time ON questions (asked_at);
   CREATE TABLE votes (
     answer_ref TEXT NOT NULL,
     user_hash BLOB NOT NULL,
     entry_id TEXT NOT NULL,
     vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
     voted_at INTEGER NOT NULL,
     PRIMARY KEY (answer_ref, user_hash)
   ) WITHOUT ROWID;
   CREATE INDEX votes_by_time ON votes (voted_at);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface StoreOptions {
  /** How long a write waits for a lock held by another process before giving up (milliseconds). */
  busyTimeoutMs: number;
}

/** Short: a write runs on the event loop, and a locked database must not hold the bot up. */
export const DEFAULT_BUSY_TIMEOUT_MS = 25;

export interface FeedbackStore {
  recordQuestion(row: QuestionRow): void;
  recordVote(row: VoteRow): VoteResult;
  /** Runs `work` in one transaction: all of it is written, or none. */
  transaction<T>(work: () => T): T;
  /** Deletes questions and votes older than `cutoff` (Unix milliseconds). */
  prune(cutoff: number): { questions: number; votes: number };
  close(): void;
}

/** Opens (creating and migrating if needed) the database for writing. Throws FeedbackStoreError. */
export function openFeedbackStore(path: string, { busyTimeoutMs }: StoreOptions = { busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS }): FeedbackStore {
  const db = openDatabase(path, () => openSqliteFile(path, { busyTimeoutMs, secureDelete: true, migrate: (db) => migrate(db, path) }));

  const insertQuestion = db.prepare<[number, string, string, string, string | null, number | null, string, string, Buffer]>(
    // An answer recorded twice (the same reference) is kept once, rather than failing the whole batch.
    `INSERT OR IGNORE INTO questions (asked_at, via, lang, kind, entry_id, confidence, question, answer_ref, user_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const answerEntry = db.prepare<[string], { entry_id: string | null }>('SELECT entry_id FROM questions WHERE answer_ref = ?');
  const existingVote = db.prepare<[string, Buffer], { vote: VoteValue }>('SELECT vote FROM votes WHERE answer_ref = ? AND user_hash = ?');
  const upsertVote = db.prepare<[string, Buffer, string, VoteValue, number]>(
    `INSERT INTO votes (answer_ref, user_hash, entry_id, vote, voted_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (answer_ref, user_hash) DO UPDATE SET entry_id = excluded.entry_id, vote = excluded.vote, voted_at = excluded.voted_at`,
  );
  const pruneQuestions = db.prepare<[number]>('DELETE FROM questions WHERE asked_at < ?');
  const pruneVotes = db.prepare<[number]>('DELETE FROM votes WHERE voted_at < ?');

  return {
    recordQuestion(row) {
      insertQuestion.run(row.askedAt, row.via, row.lang, row.kind, row.entryId, row.confidence, row.question, row.answerRef, row.userHash);
    },
    recordVote(row) {
      const answer = answerEntry.get(row.answerRef);
      const entryId = answer?.entry_id ?? row.entryId;
      const before = existingVote.get(row.answerRef, row.userHash)?.vote;
      if (before === row.vote) return { status: 'unchanged', answerKnown: answer !== undefined, entryId };
      upsertVote.run(row.answerRef, row.userHash, entryId, row.vote, row.votedAt);
      return { status: before === undefined ? 'recorded' : 'changed', answerKnown: answer !== undefined, entryId };
    },
    transaction(work) {
      return db.transaction(work)();
    },
    prune(cutoff) {
      return db.transaction(() => ({ questions: pruneQuestions.run(cutoff).changes, votes: pruneVotes.run(cutoff).changes }))();
    },
    close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database, path: string): void {
  // One write lock over reading the version and every step: processes opening a new file at once
  // (the shards of start:sharded) take turns, and the later ones find it migrated already.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new FeedbackStoreError(
        `The feedback database ${path} has schema version ${version}, newer than this version of the bot knows (${SCHEMA_VERSION}): update the bot, or point FEEDBACK_DB at another file.`,
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) {
      db.exec(MIGRATIONS[step]!);
      db.pragma(`user_version = ${step + 1}`);
    }
  }).immediate();
}

function openDatabase(path: string, open: () => Database.Database): Database.Database {
  try {
    return open();
  } catch (error) {
    if (error instanceof FeedbackStoreError) throw error;
    const code = (error as { code?: string }).code ?? 'error';
    throw new FeedbackStoreError(`The feedback database ${path} cannot be opened (${code}: ${(error as Error).message}): ${fixFor(code)}, or set FEEDBACK_DB=off.`, { cause: error });
  }
}

// ---- Reading, for the report ----

export interface Totals {
  questions: number;
  /** Answered from the article or from a server's own entries. */
  answered: number;
  /** Of `answered`, answered from a server's own entries (/wiedza). */
  answeredByServers: number;
  notFound: number;
  up: number;
  down: number;
  /** Distinct (hashed) users who asked. */
  askers: number;
}

export interface RateRow {
  key: string;
  questions: number;
  answered: number;
  notFound: number;
}

export interface TextCount {
  question: string;
  lang: string;
  count: number;
}

export interface EntryVotes {
  entryId: string;
  up: number;
  down: number;
}

export interface DownVotedText extends TextCount {
  entryId: string;
}

/**
 * The report's queries, on a read-only connection: the report never changes the database. Async,
 * so that the SQLite file (openFeedbackReader) and PostgreSQL (openPostgresFeedbackReader) answer
 * alike; text is ordered by its bytes (code points) on both, so ties come out in the same order.
 */
export interface FeedbackReader {
  totals(since: number): Promise<Totals>;
  ratesBy(column: 'lang' | 'via', since: number): Promise<RateRow[]>;
  /** Texts of questions nothing was found for, with how often each exact text was asked. */
  unansweredTexts(since: number): Promise<TextCount[]>;
  /** 👍 and 👎 per entry, most 👎 first. */
  entryVotes(since: number): Promise<EntryVotes[]>;
  /** The questions behind 👎 votes, per entry and exact text. */
  downVotedTexts(since: number): Promise<DownVotedText[]>;
  /** The questions servers' own entries answered, per entry (`server:<id>`) and exact text. */
  serverAnsweredTexts(since: number): Promise<DownVotedText[]>;
  close(): Promise<void>;
}

/** Opens an existing database read-only. Throws FeedbackStoreError when there is none. */
export function openFeedbackReader(path: string): FeedbackReader {
  const db = openDatabase(path, () => {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw new FeedbackStoreError(
        `The feedback database ${path} has schema version ${version}, and this report reads version ${SCHEMA_VERSION}: start the bot of this version once to migrate it, or update the report.`,
      );
    }
    return db;
  });

  const totals = db.prepare<[number], Omit<Totals, 'up' | 'down'>>(
    `SELECT COUNT(*) AS questions,
            COALESCE(SUM(kind IN ('answer', 'server-answer')), 0) AS answered,
            COALESCE(SUM(kind = 'server-answer'), 0) AS answeredByServers,
            COALESCE(SUM(kind = 'not-found'), 0) AS notFound,
            COUNT(DISTINCT user_hash) AS askers
       FROM questions WHERE asked_at >= ?`,
  );
  const voteTotals = db.prepare<[number], { up: number; down: number }>(
    'SELECT COALESCE(SUM(vote = 1), 0) AS up, COALESCE(SUM(vote = -1), 0) AS down FROM votes WHERE voted_at >= ?',
  );
  // The column name cannot be a parameter; it comes from this fixed pair only.
  const rates = Object.fromEntries(
    (['lang', 'via'] as const).map((column) => [
      column,
      db.prepare<[number], RateRow>(
        `SELECT ${column} AS key, COUNT(*) AS questions, SUM(kind IN ('answer', 'server-answer')) AS answered, SUM(kind = 'not-found') AS notFound
           FROM questions WHERE asked_at >= ? GROUP BY ${column} ORDER BY questions DESC, key`,
      ),
    ]),
  ) as Record<'lang' | 'via', Database.Statement<[number], RateRow>>;
  const unanswered = db.prepare<[number], TextCount>(
    `SELECT question, lang, COUNT(*) AS count FROM questions
      WHERE kind = 'not-found' AND asked_at >= ? GROUP BY question, lang ORDER BY count DESC, question`,
  );
  const entryVotes = db.prepare<[number], EntryVotes>(
    `SELECT entry_id AS entryId, SUM(vote = 1) AS up, SUM(vote = -1) AS down FROM votes
      WHERE voted_at >= ? GROUP BY entry_id ORDER BY down DESC, up, entryId`,
  );
  const downVoted = db.prepare<[number], DownVotedText>(
    `SELECT v.entry_id AS entryId, q.question AS question, q.lang AS lang, COUNT(*) AS count
       FROM votes v JOIN questions q ON q.answer_ref = v.answer_ref
      WHERE v.vote = -1 AND v.voted_at >= ? GROUP BY v.entry_id, q.question, q.lang ORDER BY count DESC, q.question`,
  );

  const serverAnswered = db.prepare<[number], DownVotedText>(
    `SELECT entry_id AS entryId, question, lang, COUNT(*) AS count FROM questions
      WHERE kind = 'server-answer' AND asked_at >= ? GROUP BY entry_id, question, lang ORDER BY count DESC, question`,
  );

  // The statements run synchronously; an error rejects the promise rather than throwing.
  const later = <T>(read: () => T): Promise<T> => new Promise((resolve) => resolve(read()));
  return {
    totals: (since) => later(() => ({ ...totals.get(since)!, ...voteTotals.get(since)! })),
    ratesBy: (column, since) => later(() => rates[column].all(since)),
    unansweredTexts: (since) => later(() => unanswered.all(since)),
    entryVotes: (since) => later(() => entryVotes.all(since)),
    downVotedTexts: (since) => later(() => downVoted.all(since)),
    serverAnsweredTexts: (since) => later(() => serverAnswered.all(since)),
    close: () =>
      later(() => {
        if (db.open) db.close();
      }),
  };
}
