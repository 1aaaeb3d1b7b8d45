import { MessageFlags, type APIEmbed, type APIMessageTopLevelComponent, type MessageMentionOptions } from 'discord.js';
import type { DiscordMessage } from '../responder/render-discord.ts';

export interface SendOptions {
  content?: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  allowedMentions: MessageMentionOptions;
}

/**
 * A rendered reply as discord.js send/reply options. Embeds and components are already in the
 * API's shape and pass through unchanged; allowed mentions are set on every message explicitly,
 * so no default anywhere can turn pings back on.
 */
export function toSendOptions(message: DiscordMessage): SendOptions {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds ?? [],
    components: message.components ?? [],
    allowedMentions: { parse: [], repliedUser: false },
  };
}

/** The same, as an interaction reply; `ephemeral` shows it only to the person who asked. */
export function toInteractionOptions(message: DiscordMessage, ephemeral: boolean): SendOptions & { flags?: MessageFlags.Ephemeral } {
  return { ...toSendOptions(message), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}
