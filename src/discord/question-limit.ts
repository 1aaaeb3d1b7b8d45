import type { RateLimitSettings } from '../config.ts';
import type { Lang } from '../knowledge/schema.ts';
import type { Logger } from '../log.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import { rateLimitNotice, type Via } from './adapters/answer-message.ts';
import { RateLimiter } from './rate-limit.ts';

/**
 * The bot's one question limiter, shared by every entry point (slash commands, buttons, DMs,
 * mentions) through the handlers' context, so the limit holds whichever way a user asks.
 */
export function createQuestionLimiter(settings: RateLimitSettings, now?: () => number): RateLimiter {
  return new RateLimiter({ max: settings.questions, windowMs: settings.windowSeconds * 1000, ...(now ? { now } : {}) });
}

export interface Asker {
  via: Via;
  userId: string;
  guildId: string | null;
}

export type Admission =
  | { admitted: true }
  /** `notice`: what to tell the user (privately each time, in public once per window); absent when the bot stays silent. */
  | { admitted: false; notice: DiscordMessage | undefined };

/**
 * Counts a question against its asker's limit. Over the limit the question is logged (at info: it
 * is the limit working, not a fault) and refused, with a notice the first time in a window.
 */
export function admitQuestion(limiter: RateLimiter, asker: Asker, lang: Lang, logger: Logger): Admission {
  const decision = limiter.check(asker.userId);
  if (decision.allowed) return { admitted: true };
  const { retryInMs } = decision;
  // A slash command or button must be answered, or Discord shows "This interaction failed"; the
  // notice there is private, so it floods no one and comes every time. In channels and DMs it
  // comes once per window, then the bot stays silent.
  const notify = decision.notify || asker.via === 'slash' || asker.via === 'button';
  logger.info({ ...asker, limited: true, notified: notify, retryInMs }, 'rate limited');
  return { admitted: false, notice: notify ? rateLimitNotice(lang, retryInMs) : undefined };
}
