/**
 * Sends a DM or mention reply in one request, without caches to ask what the bot may do in the
 * channel: it sends the best form (an embed, linked to the question), and when Discord refuses a
 * part of it, sends again without that part and remembers the refusal for the channel.
 *
 * - 160002 (no Read Message History, needed for a reply link): sent again without the link.
 * - 50013 (Missing Permissions) on a message with embeds: no Embed Links, or no Send Messages at
 *   all; sent again as plain text, source included.
 * - 50013 on plain text, 50001 (Missing Access), 50007 (a user who does not accept DMs from the
 *   bot): the bot cannot answer there; logged as "cannot answer", and in a server channel not tried
 *   again for a while.
 */
import { RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { DiscordAPIError, type REST } from '@discordjs/rest';
import type { Logger } from '../log.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import type { ChannelRefusals } from './channel-refusals.ts';
import { toMessageBody } from './send-options.ts';

export interface ReplyTarget {
  channelId: string;
  guildId: string | null;
  /** The question to link the reply to (mentions); none in DMs. */
  replyTo?: string;
  /** Logged with a refusal. */
  context: Record<string, unknown>;
}

/** Renders the reply, with embeds or as plain text. */
export type RenderReply = (options: { canEmbed: boolean }) => DiscordMessage;

export type ReplyOutcome = 'sent' | 'refused';

const REFERENCE_REFUSED: ReadonlySet<number> = new Set([RESTJSONErrorCodes.CannotReplyWithoutPermissionToReadMessageHistory, 160009]);
const CANNOT_SEND: ReadonlySet<number> = new Set([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.CannotSendMessagesToThisUser]);

export interface ReplySender {
  /** Sends the reply; 'refused' when Discord will not take it in any form (already logged). */
  send(target: ReplyTarget, render: RenderReply): Promise<ReplyOutcome>;
  /** Whether Discord has recently refused every message in this channel: then there is no point in answering. */
  knownRefused(channelId: string): boolean;
}

export function replySender(rest: REST, refusals: ChannelRefusals, logger: Logger): ReplySender {
  return {
    knownRefused: (channelId) => refusals.has(channelId, 'send'),
    async send({ channelId, guildId, replyTo, context }, render) {
      let canEmbed = !refusals.has(channelId, 'embeds');
      let reference = replyTo !== undefined && !refusals.has(channelId, 'reference') ? replyTo : undefined;
      let embedRefused = false;
      // At most three tries: both refusals, then the plain form; each refusal removes one part.
      for (;;) {
        const message = render({ canEmbed });
        const withEmbeds = (message.embeds?.length ?? 0) > 0;
        try {
          await rest.post(Routes.channelMessages(channelId), { body: toMessageBody(message, reference) });
          if (embedRefused) refusals.note(channelId, guildId, 'embeds');
          return 'sent';
        } catch (error) {
          if (!(error instanceof DiscordAPIError) || typeof error.code !== 'number') throw error;
          if (reference !== undefined && REFERENCE_REFUSED.has(error.code)) {
            refusals.note(channelId, guildId, 'reference');
            logger.debug({ ...context, code: error.code }, 'reply link refused: answering without it');
            reference = undefined;
            continue;
          }
          if (error.code === RESTJSONErrorCodes.MissingPermissions && withEmbeds && canEmbed) {
            logger.debug({ ...context, code: error.code }, 'embed refused: answering in plain text');
            canEmbed = false;
            embedRefused = true;
            continue;
          }
          if (CANNOT_SEND.has(error.code)) {
            // In a server it is the channel's permissions, which hold for the next question too; in a
            // DM it is that user's settings at that moment, so the next DM is tried again.
            if (guildId !== null) refusals.note(channelId, guildId, 'send');
            logger.warn({ ...context, code: error.code, reason: error.message }, 'cannot answer: Discord refused the reply in this channel');
            return 'refused';
          }
          throw error;
        }
      }
    },
  };
}
