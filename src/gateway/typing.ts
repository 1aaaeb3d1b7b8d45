/**
 * "Bot is typing…" only while an answer really waits: when discord.js holds a reply back behind the
 * channel's own rate limit (Discord allows a few messages per channel every few seconds). An answer
 * that goes out at once gets no typing indicator in front of it, so a question costs one request.
 *
 * Not for a global rate limit: the typing request would wait behind it too, and spend a share of the
 * budget the answers are waiting for. The typing route has a bucket of its own, so the indicator is
 * not held up by the very limit the answer waits for. Discord shows it for 10 seconds or until the
 * bot's message arrives, so one per channel every 8 seconds is enough.
 */
import { Routes } from 'discord-api-types/v10';
import { RESTEvents, type REST } from '@discordjs/rest';
import type { Logger } from '../log.ts';

/** Shorter waits than this are not worth an indicator: the answer is almost there. */
const TYPING_MIN_WAIT_MS = 500;
const TYPING_REPEAT_MS = 8000;

export function showTypingWhileRepliesWait(rest: REST, logger: Logger, now: () => number = Date.now): void {
  const shownAt = new Map<string, number>();
  rest.on(RESTEvents.RateLimited, (info) => {
    if (info.global || info.route !== '/channels/:id/messages' || info.method.toUpperCase() !== 'POST') return;
    if (info.timeToReset < TYPING_MIN_WAIT_MS) return;
    const channelId = info.majorParameter;
    const at = now();
    if (at - (shownAt.get(channelId) ?? Number.NEGATIVE_INFINITY) < TYPING_REPEAT_MS) return;
    shownAt.set(channelId, at);
    // Forget channels whose indicator has long expired, so the map stays small.
    if (shownAt.size > 1000) for (const [channel, time] of shownAt) if (at - time >= TYPING_REPEAT_MS) shownAt.delete(channel);
    logger.debug({ channelId, waitMs: Math.round(info.timeToReset) }, 'reply waits behind the channel rate limit: showing typing');
    rest.post(Routes.channelTyping(channelId)).catch((error: unknown) => logger.debug({ err: error, channelId }, 'typing indicator failed'));
  });
}
