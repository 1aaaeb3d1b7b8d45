import type { Client } from 'discord.js';
import { DEFAULT_RATE_LIMIT, type RateLimitSettings } from '../config.ts';
import type { Lang } from '../knowledge/schema.ts';
import type { Logger } from '../log.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import { rateLimitNotice, type Via } from './adapters/answer-message.ts';
import { RateLimiter } from './rate-limit.ts';

/*
 * One limiter per client, shared by every entry point (slash commands, buttons, DMs, mentions),
 * so the limit holds whichever way a user asks. It is kept with the client because the client is
 * what every handler reaches, and it lives exactly as long as the connection.
 */
const limiters = new WeakMap<Client, RateLimiter>();

/** Gives a client its question limiter; createClient does this with the configured settings. */
export function limitQuestions(client: Client, settings: RateLimitSettings, now?: () => number): RateLimiter {
  const limiter = new RateLimiter({ max: settings.questions, windowMs: settings.windowSeconds * 1000, ...(now ? { now } : {}) });
  limiters.set(client, limiter);
  return limiter;
}

/** The client's limiter; a client made elsewhere than createClient gets the default limit. */
export function questionLimiter(client: Client): RateLimiter {
  return limiters.get(client) ?? limitQuestions(client, DEFAULT_RATE_LIMIT);
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
export function admitQuestion(client: Client, asker: Asker, lang: Lang, logger: Logger): Admission {
  const limiter = questionLimiter(client);
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
