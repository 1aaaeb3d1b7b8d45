import type { AnswerResult, Answerer } from '../answering/answer.ts';
import type { ComponentHandlers } from '../interactions/dispatch.ts';
import type { Logger } from '../log.ts';
import type { Limits } from './limits.ts';
import { resultFields, type Via } from './replies.ts';

/**
 * Where the handlers get the knowledge base from. Read once per event (`current()`), so that the
 * base can be swapped while the bot runs and a question already being answered finishes on the base
 * it started with.
 */
export interface KnowledgeSource {
  current(): Answerer;
}

/** A knowledge base that never changes. */
export function fixedKnowledge(answerer: Answerer): KnowledgeSource {
  return { current: () => answerer };
}

/** Which transport brought an event: the gateway connection, or an HTTP request from Discord. */
export type Transport = 'gateway' | 'http';

export interface AnsweredEvent {
  transport: Transport;
  via: Via;
  userId: string;
  guildId: string | null;
  result: AnswerResult;
  /** From receiving the event to the reply being accepted. */
  latencyMs: number;
}

/** What every handler works with, built once at start-up and shared by both transports. */
export interface BotContext {
  knowledge: KnowledgeSource;
  logger: Logger;
  /** The question limit (every entry point but autocomplete) and autocomplete's own, more generous one. */
  limits: Limits;
  /**
   * Called after each answered question has been sent (metrics; feedback storage plugs in here).
   * It must not throw and must not make the reply wait: it runs after the reply is out.
   */
  onAnswered?: (event: AnsweredEvent) => void;
  /** More component handlers by custom id prefix, next to the bot's own `topic:` (feedback adds `vote:`). */
  components?: ComponentHandlers;
}

/** One line per answered question; the question itself only at debug level, since it is the user's own text. */
export function logAnswered(logger: Logger, event: AnsweredEvent): void {
  const { transport, via, userId, guildId, result } = event;
  const latencyMs = Math.round(event.latencyMs * 10) / 10;
  logger.info({ transport, via, userId, guildId, ...resultFields(result), latencyMs }, 'answered');
  logger.debug({ via, userId, question: result.question }, 'question');
}

/** Logs the answer and tells the context's listener, which is never allowed to break the reply path. */
export function reportAnswered(ctx: BotContext, event: AnsweredEvent): void {
  logAnswered(ctx.logger, event);
  try {
    ctx.onAnswered?.(event);
  } catch (error) {
    ctx.logger.error({ err: error }, 'answer listener failed');
  }
}
