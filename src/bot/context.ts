import type { AnswerResult, Answerer } from '../answering/answer.ts';
import type { Feedback } from '../feedback/recorder.ts';
import type { ComponentHandlers } from '../interactions/dispatch.ts';
import type { Logger } from '../log.ts';
import type { ServerKnowledge } from '../server-knowledge/service.ts';
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
  /** The reference the answer's 👍/👎 buttons carry, when it has them. */
  answerRef?: string;
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
  /** More component handlers by custom id prefix, next to the bot's own `topic:` and `vote:`. */
  components?: ComponentHandlers;
  /**
   * Where questions and votes are stored (`FEEDBACK_DB`). With it enabled, every answer carries 👍
   * and 👎 buttons; without it (absent or off), answers have none.
   */
  feedback?: Feedback;
  /** Servers' own answers, kept by their admins with /wiedza (/faq); absent without a database. */
  serverKnowledge?: ServerKnowledge;
}

/** One line per answered question; the question itself only at debug level, since it is the user's own text. */
function logAnswered(logger: Logger, event: AnsweredEvent): void {
  const { transport, via, userId, guildId, result } = event;
  const latencyMs = Math.round(event.latencyMs * 10) / 10;
  logger.info({ transport, via, userId, guildId, ...resultFields(result), latencyMs }, 'answered');
  logger.debug({ via, userId, question: result.question }, 'question');
}

/**
 * Logs the answer, stores the question (answered or not) and tells the context's listener. None of
 * it is ever allowed to break the reply path: it runs after the reply went out.
 */
export function reportAnswered(ctx: BotContext, event: AnsweredEvent): void {
  logAnswered(ctx.logger, event);
  try {
    ctx.feedback?.recordQuestion({ via: event.via, userId: event.userId, result: event.result, ...(event.answerRef ? { answerRef: event.answerRef } : {}) });
    ctx.onAnswered?.(event);
  } catch (error) {
    ctx.logger.error({ err: error }, 'answer listener failed');
  }
}

/** Whether answers carry 👍/👎 buttons: only where votes can be stored. */
export function votesEnabled(ctx: Pick<BotContext, 'feedback'>): boolean {
  return ctx.feedback?.enabled === true;
}
