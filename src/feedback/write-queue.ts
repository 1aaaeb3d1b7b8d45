/**
 * The queue both recorders (the SQLite file's and PostgreSQL's) write from, and the two calls the
 * handlers make into it. Only how a batch reaches its database differs between them.
 */
import type { Logger } from '../log.ts';
import type { Feedback } from './recorder.ts';
import { questionRow, voteRow } from './rows.ts';
import type { QuestionRow, VoteResult, VoteRow } from './store.ts';
import type { UserHasher } from './user-hash.ts';
import type { Vote, VoteOutcome } from './vote-buttons.ts';

/** What waits to be written: a question, or a click with the promise its outcome resolves. */
export type Job =
  | { kind: 'question'; row: QuestionRow }
  | { kind: 'vote'; row: VoteRow; vote: Vote; resolve: (outcome: VoteOutcome) => void };

export interface WriteQueue {
  /** What waits, oldest first; the recorder takes its batches from the front. */
  readonly pending: Job[];
  /** Queues a job; past `maxPending` the oldest are dropped (a click then answered "unavailable"). */
  enqueue(job: Job): void;
  /** A batch is written: each click gets its outcome (`outcomes` in the batch's order). */
  written(batch: readonly Job[], outcomes: readonly (VoteResult | undefined)[]): void;
  /** A batch was refused: its questions and everything queued wait for the next attempt; every click is answered "unavailable" now, and can simply be repeated. */
  refused(batch: readonly Job[], error: unknown): void;
}

export function writeQueue({ maxPending, trouble, onQueued }: { maxPending: number; trouble: ReturnType<typeof troubleReporter>; onQueued: () => void }): WriteQueue {
  const pending: Job[] = [];
  const unavailable = (job: Job) => {
    if (job.kind === 'vote') job.resolve({ status: 'unavailable', vote: job.vote });
  };
  return {
    pending,
    enqueue(job) {
      pending.push(job);
      while (pending.length > maxPending) {
        unavailable(pending.shift()!);
        trouble.dropped();
      }
      onQueued();
    },
    written(batch, outcomes) {
      batch.forEach((job, i) => {
        const outcome = outcomes[i];
        if (job.kind === 'vote' && outcome) job.resolve({ ...outcome, vote: job.vote });
      });
      trouble.recovered(pending.length);
    },
    refused(batch, error) {
      const waiting = [...batch, ...pending.splice(0)];
      waiting.forEach(unavailable);
      pending.push(...waiting.filter((job) => job.kind === 'question'));
      trouble.failed(error, pending.length);
    },
  };
}

/**
 * The handlers' two calls over a queue: a question queued with its answer reference returned at
 * once; a click queued with a promise of its outcome, answered "unavailable" at once while the
 * database refuses writes (until the next attempt).
 */
export function recordingCalls({
  queue,
  now,
  hash,
  closed,
  refusing,
}: {
  queue: WriteQueue;
  now: () => number;
  hash: UserHasher;
  closed: () => boolean;
  refusing: () => boolean;
}): Pick<Feedback, 'recordQuestion' | 'recordVote'> {
  return {
    recordQuestion(event) {
      if (closed()) return null;
      const row = questionRow(event, now(), hash);
      queue.enqueue({ kind: 'question', row });
      return row.answerRef;
    },
    recordVote(event) {
      if (closed() || refusing()) return Promise.resolve({ status: 'unavailable', vote: event.vote });
      return new Promise((resolve) => {
        queue.enqueue({ kind: 'vote', vote: event.vote, resolve, row: voteRow(event, now(), hash) });
      });
    },
  };
}

/**
 * Logs storage trouble once when it starts, then at most once per interval with counts, and once
 * when it is over: a flood of questions against a locked database makes a handful of lines.
 */
export function troubleReporter(logger: Logger, now: () => number, everyMs: number) {
  let trouble: { failures: number; lastLogAt: number } | undefined;
  let dropped = 0;
  let droppedLogAt = -Infinity;
  return {
    failed(error: unknown, pending: number) {
      const at = now();
      if (!trouble) {
        trouble = { failures: 1, lastLogAt: at };
        logger.error({ code: codeOf(error), err: messageOf(error), pending }, 'feedback not stored: the database refused the write; answers go on, and the write is retried');
        return;
      }
      trouble.failures++;
      if (at - trouble.lastLogAt >= everyMs) {
        trouble.lastLogAt = at;
        logger.error({ code: codeOf(error), err: messageOf(error), failures: trouble.failures, dropped, pending }, 'feedback still not stored');
      }
    },
    /** The queue was full: the oldest question was dropped. */
    dropped() {
      dropped++;
      const at = now();
      if (!trouble && at - droppedLogAt >= everyMs) {
        droppedLogAt = at;
        logger.warn({ dropped }, 'feedback: too many questions waiting to be stored; the oldest were dropped');
      }
    },
    recovered(pending: number) {
      if (!trouble) return;
      logger.info({ failures: trouble.failures, dropped, pending }, 'feedback storage recovered');
      trouble = undefined;
      dropped = 0;
    },
  };
}

export function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
