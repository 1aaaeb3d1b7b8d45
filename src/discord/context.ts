import type { AnswerResult, Answerer } from '../answering/answer.ts';
import type { Logger } from '../log.ts';
import { resultFields, type Via } from './adapters/answer-message.ts';
import type { RateLimiter } from './rate-limit.ts';

/** What every handler works with, built once at start-up. */
export interface BotContext {
  answerer: Answerer;
  logger: Logger;
  /** Counts every user's questions across all entry points. */
  limiter: RateLimiter;
}

export interface AnsweredEvent {
  via: Via;
  userId: string;
  guildId: string | null;
  result: AnswerResult;
  /** performance.now() when the event reached the bot. */
  startedAt: number;
}

/** One line per answered question; the question itself only at debug level, since it is the user's own text. */
export function logAnswered(logger: Logger, { via, userId, guildId, result, startedAt }: AnsweredEvent): void {
  const latencyMs = Math.round((performance.now() - startedAt) * 10) / 10;
  logger.info({ via, userId, guildId, ...resultFields(result), latencyMs }, 'answered');
  logger.debug({ via, userId, question: result.question }, 'question');
}
