import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { DiscordMessage } from '../responder/render-discord.ts';

/**
 * A rendered reply as the body of Discord's create-message call. Embeds and components are already
 * in the API's shape and pass through unchanged; allowed mentions are set on every message
 * explicitly, so no default anywhere can turn pings back on, the replied-to user's included.
 *
 * `replyTo` links the answer to the question. If the question is deleted before the answer goes
 * out, Discord posts the answer without the link rather than refusing it.
 */
export function toMessageBody(message: DiscordMessage, replyTo?: string): RESTPostAPIChannelMessageJSONBody {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds ?? [],
    components: message.components ?? [],
    allowed_mentions: { parse: [], replied_user: false },
    ...(replyTo !== undefined ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
}
