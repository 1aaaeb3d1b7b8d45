/**
 * The feedback recorder the handlers use, whatever transport brought the event. Nothing here makes
 * an answer wait: a question is queued and written on the next turn of the event loop (several per
 * transaction), a locked or failing database is logged, not once per question, and writes are
 * retried with a bounded queue, so the bot keeps answering whatever the database does.
 */
import { statSync } from 'node:fs';
import type { AnswerResult } from '../answering/answer.ts';
import type { FeedbackSettings } from '../config.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_BUSY_TIMEOUT_MS, FeedbackStoreError, openFeedbackStore } from './store.ts';
import { resolveSecret, secretFileOf, userHasher, type UserHasher } from './user-hash.ts';
import type { Vote, VoteOutcome } from './vote-buttons.ts';
import { codeOf, messageOf, recordingCalls, troubleReporter, writeQueue, type Job } from './write-queue.ts';

export interface QuestionEvent {
  /** The entry point: "slash", "dm", "mention", "button", "http"… (a short lower-case word). */
  via: string;
  /** The raw user id; only its keyed hash is stored. */
  userId: string;
  result: AnswerResult;
  /**
   * The reference the answer's vote buttons already carry, when the reply was rendered before the
   * question is recorded (see newAnswerRef); otherwise a new one is made and returned.
   */
  answerRef?: string;
}

export interface VoteEvent {
  userId: string;
  vote: Vote;
  /** The entry and the answer reference from the button (see parseVoteButtonId). */
  entryId: string;
  answerRef: string;
}

export interface Feedback {
  readonly enabled: boolean;
  /**
   * Queues the question and returns the reference for its answer's vote buttons (null when storage
   * is off or closed: then the answer gets no vote buttons). Returns at once; never throws.
   */
  recordQuestion(event: QuestionEvent): string | null;
  /**
   * Records a click: "recorded", "changed", "unchanged", or "unavailable" when the database cannot
   * take it now. A vote for an answer the database does not know (a message older than the
   * retention, or from before storage was on) is accepted for the entry named by the button,
   * with `answerKnown: false`. Resolves within one turn of the event loop (plus the short lock wait).
   */
  recordVote(event: VoteEvent): Promise<VoteOutcome>;
  /** Resolves once everything queued so far is written or given up on. */
  settled(): Promise<void>;
  /**
   * Writes what is queued (one last attempt), stops the daily pruning and closes the database. The
   * SQLite recorder does it all before returning; the PostgreSQL one returns a promise that resolves
   * once the last write is done and its connections are closed: await it before the process exits.
   */
  close(): void | Promise<void>;
}

export interface FeedbackOptions {
  /** The clock rows are stamped and pruned with (Unix milliseconds); tests pass one they can move. */
  now?: () => number;
  busyTimeoutMs?: number;
  /** Wait before writing again after a failed write. */
  retryMs?: number;
  /** Queued writes kept while the database refuses them; beyond it the oldest questions are dropped. */
  maxPending?: number;
  /** Writes per transaction. */
  batchSize?: number;
  /** How often old rows are pruned after the one at start-up. */
  pruneEveryMs?: number;
  /** While writes keep failing, at most one log line per this interval. */
  logEveryMs?: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest one turn of the event loop spends writing before letting events through. */
const FLUSH_BUDGET_MS = 10;
/** The queue's settings unless FeedbackOptions says otherwise, whichever database it writes to. */
export const FEEDBACK_DEFAULTS = { retryMs: 1000, maxPending: 10_000, batchSize: 500, pruneEveryMs: DAY_MS, logEveryMs: 60_000 };

/** A recorder on the configured database, or one that stores nothing when FEEDBACK_DB=off. Throws FeedbackStoreError. */
export function createFeedback(settings: FeedbackSettings | undefined, logger: Logger, options: FeedbackOptions = {}): Feedback {
  if (!settings?.path) return disabledFeedback();
  const { now = Date.now, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS, retryMs, maxPending, batchSize, pruneEveryMs, logEveryMs } = { ...FEEDBACK_DEFAULTS, ...options };
  const path = settings.path;
  const store = openFeedbackStore(path, { busyTimeoutMs });
  let hash: UserHasher;
  try {
    const { secret, generated } = resolveSecret(settings.secret, path);
    if (generated) logger.info({ file: secretFileOf(path) }, 'feedback: generated the key users are hashed with');
    warnIfOthersMayRead([path, ...(settings.secret === undefined ? [secretFileOf(path)] : [])], logger);
    hash = userHasher(secret);
  } catch (error) {
    store.close();
    throw new FeedbackStoreError(
      `The key users are hashed with cannot be read or created beside ${path} (${messageOf(error)}): set FEEDBACK_SECRET, or fix or delete ${secretFileOf(path)} to have a new key generated.`,
      { cause: error },
    );
  }

  const waiters: (() => void)[] = [];
  let scheduled = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  // Log throttling runs on the monotonic clock, not on `now`, which stamps rows.
  const trouble = troubleReporter(logger, () => performance.now(), logEveryMs);
  const queue = writeQueue({ maxPending, trouble, onQueued: () => schedule() });
  const { pending } = queue;

  const prune = () => {
    try {
      const cutoff = now() - settings.retentionDays * DAY_MS;
      const removed = store.prune(cutoff);
      if (removed.questions + removed.votes > 0) logger.info({ ...removed, retentionDays: settings.retentionDays }, 'feedback: pruned old questions and votes');
    } catch (error) {
      logger.warn({ code: codeOf(error), err: messageOf(error) }, 'feedback: pruning failed; trying again at the next run');
    }
  };
  prune();
  const pruneTimer = setInterval(prune, pruneEveryMs);
  pruneTimer.unref();

  const schedule = () => {
    if (scheduled || retryTimer || closed) return;
    scheduled = true;
    setImmediate(flush);
  };

  /**
   * Writes batches until the queue is empty or the turn's time budget is spent, then yields to the
   * event loop. A backlog of more than half the queue is first written down to a quarter, whatever
   * the time: under a flood a longer turn now and then is better than dropping questions.
   */
  const flush = () => {
    scheduled = false;
    const startedAt = performance.now();
    const drainTo = pending.length > maxPending / 2 ? Math.floor(maxPending / 4) : 0;
    while (pending.length > 0) {
      if (!write(pending.splice(0, batchSize))) {
        if (!closed) {
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            flush();
          }, retryMs);
          retryTimer.unref();
        }
        break;
      }
      if (drainTo > 0 && pending.length > drainTo) continue;
      if (performance.now() - startedAt >= FLUSH_BUDGET_MS) {
        schedule();
        break;
      }
    }
    if (pending.length === 0) waiters.splice(0).forEach((wake) => wake());
  };

  /** Writes one batch in a transaction. On failure the questions go back to the queue; votes are answered "unavailable". */
  const write = (batch: Job[]): boolean => {
    try {
      const outcomes = store.transaction(() =>
        batch.map((job) => {
          if (job.kind === 'vote') return store.recordVote(job.row);
          store.recordQuestion(job.row);
          return undefined;
        }),
      );
      queue.written(batch, outcomes);
      return true;
    } catch (error) {
      queue.refused(batch, error);
      return false;
    }
  };

  return {
    enabled: true,
    ...recordingCalls({ queue, now, hash, closed: () => closed, refusing: () => retryTimer !== undefined }),
    settled() {
      if (pending.length === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(pruneTimer);
      clearTimeout(retryTimer);
      retryTimer = undefined;
      while (pending.length > 0 && write(pending.splice(0, batchSize)));
      if (pending.length > 0) logger.error({ lost: pending.length }, 'feedback: questions not stored at shutdown (the database refused them)');
      pending.length = 0;
      waiters.splice(0).forEach((wake) => wake());
      store.close();
    },
  };
}

/**
 * The database holds what users asked, and the key is what keeps their ids hashed: files others may
 * read (copied in, or given a wider mode by hand) are used, but said so, with the fix.
 */
function warnIfOthersMayRead(files: readonly string[], logger: Logger): void {
  for (const file of files) {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) logger.warn({ file, mode: mode.toString(8) }, `feedback: ${file} may be read by other users of this machine; run: chmod 600 ${file}`);
  }
}

function disabledFeedback(): Feedback {
  return {
    enabled: false,
    recordQuestion: () => null,
    recordVote: ({ vote }) => Promise.resolve({ status: 'off', vote }),
    settled: () => Promise.resolve(),
    close: () => {},
  };
}
