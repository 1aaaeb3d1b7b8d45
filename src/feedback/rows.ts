/**
 * The rows questions and clicks are stored as, the same in the SQLite file and in PostgreSQL: the
 * user only as a keyed hash, the question as the keepers need to read it.
 */
import type { AnswerResult } from '../answering/answer.ts';
import { serverEntryRef } from '../responder/reply.ts';
import type { QuestionEvent, VoteEvent } from './recorder.ts';
import type { QuestionRow, VoteRow } from './store.ts';
import type { UserHasher } from './user-hash.ts';
import { ANSWER_REF_LENGTH, newAnswerRef } from './vote-buttons.ts';

/** The stored question is capped as the bot caps what it answers. */
const MAX_STORED_QUESTION = 300;
const VIA = /^[a-z][a-z0-9-]{0,15}$/;
const ANSWER_REF = new RegExp(`^[A-Za-z0-9_-]{${ANSWER_REF_LENGTH}}$`);

/**
 * The row a question is stored as, by either database: the entry point checked (an unexpected one is
 * "other"), the answer reference kept when well-formed (else a new one), the user hashed.
 */
export function questionRow({ via, userId, result, answerRef: given }: QuestionEvent, askedAt: number, hash: UserHasher): QuestionRow {
  const answerRef = given !== undefined && ANSWER_REF.test(given) ? given : newAnswerRef();
  return { askedAt, via: VIA.test(via) ? via : 'other', ...describeResult(result), answerRef, userHash: hash(userId) };
}

/** The row a click is stored as, by either database (the entry is replaced by the stored answer's own when it is known). */
export function voteRow({ userId, vote, entryId, answerRef }: VoteEvent, votedAt: number, hash: UserHasher): VoteRow {
  return { votedAt, answerRef, userHash: hash(userId), entryId, vote: vote === 'up' ? 1 : -1 };
}

/** The stored fields of an answer: its kind, language, entry and confidence, and the question as asked. */
function describeResult(result: AnswerResult): Pick<QuestionRow, 'lang' | 'kind' | 'entryId' | 'confidence' | 'question'> {
  const answered = result.kind === 'answer' || result.kind === 'server-answer';
  return {
    lang: result.lang,
    kind: result.kind,
    entryId: result.kind === 'answer' ? result.entry.id : result.kind === 'server-answer' ? serverEntryRef(result.entry.id) : null,
    confidence: answered ? result.confidence : null,
    question: storedQuestionText(result.question),
  };
}

/**
 * The question as the keepers need to read it, without what could identify someone: mentions and
 * long numbers (Discord ids are 17 to 20 digits) are masked, control and invisible formatting characters removed, and the
 * text capped at MAX_STORED_QUESTION characters.
 */
export function storedQuestionText(question: string): string {
  return question
    .replace(/<(?:@[!&]?|#)\d+>/g, '@…')
    .replace(/\d{15,}/g, '…')
    // Control and invisible formatting characters (zero-width, right-to-left override) would make
    // the report show something else than was asked.
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_STORED_QUESTION);
}

