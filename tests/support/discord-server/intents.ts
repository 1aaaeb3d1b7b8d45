/** Which dispatches a session's intents allow, and how MESSAGE_CONTENT shapes message payloads. */
import type { APIUser } from 'discord-api-types/v10';
import { GatewayIntentBits as I } from 'discord.js';

type Data = Record<string, unknown>;

const GUILD_OR_DM: Record<string, [guild: number, dm: number]> = {
  MESSAGE_CREATE: [I.GuildMessages, I.DirectMessages],
  MESSAGE_UPDATE: [I.GuildMessages, I.DirectMessages],
  MESSAGE_DELETE: [I.GuildMessages, I.DirectMessages],
  MESSAGE_DELETE_BULK: [I.GuildMessages, I.DirectMessages],
  MESSAGE_REACTION_ADD: [I.GuildMessageReactions, I.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE: [I.GuildMessageReactions, I.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE_ALL: [I.GuildMessageReactions, I.DirectMessageReactions],
  MESSAGE_REACTION_REMOVE_EMOJI: [I.GuildMessageReactions, I.DirectMessageReactions],
  TYPING_START: [I.GuildMessageTyping, I.DirectMessageTyping],
  CHANNEL_PINS_UPDATE: [I.Guilds, I.DirectMessages],
};

const GUILD_ONLY: Record<string, number> = {
  GUILD_UPDATE: I.Guilds,
  GUILD_DELETE: I.Guilds,
  GUILD_ROLE_CREATE: I.Guilds,
  GUILD_ROLE_UPDATE: I.Guilds,
  GUILD_ROLE_DELETE: I.Guilds,
  CHANNEL_CREATE: I.Guilds,
  CHANNEL_UPDATE: I.Guilds,
  CHANNEL_DELETE: I.Guilds,
  THREAD_CREATE: I.Guilds,
  THREAD_UPDATE: I.Guilds,
  THREAD_DELETE: I.Guilds,
  GUILD_MEMBER_ADD: I.GuildMembers,
  GUILD_MEMBER_UPDATE: I.GuildMembers,
  GUILD_MEMBER_REMOVE: I.GuildMembers,
  PRESENCE_UPDATE: I.GuildPresences,
};

function requiredIntent(event: string, data: Data): number | undefined {
  const pair = GUILD_OR_DM[event];
  if (pair) return typeof data.guild_id === 'string' ? pair[0] : pair[1];
  return GUILD_ONLY[event];
}

/**
 * The payload a session with `intents` receives for an event, or undefined when Discord would
 * not send it at all. Without MESSAGE_CONTENT, guild messages arrive with empty content, embeds,
 * attachments and components unless the bot wrote them or is mentioned in them.
 */
export function shapeForIntents(event: string, data: unknown, intents: number, bot: APIUser): unknown {
  const d = (data ?? {}) as Data;
  const required = requiredIntent(event, d);
  if (required !== undefined && (intents & required) === 0) return undefined;
  if ((event === 'MESSAGE_CREATE' || event === 'MESSAGE_UPDATE') && typeof d.guild_id === 'string') {
    const author = d.author as APIUser | undefined;
    const mentions = Array.isArray(d.mentions) ? (d.mentions as APIUser[]) : [];
    const exempt = author?.id === bot.id || mentions.some((user) => user.id === bot.id);
    if ((intents & I.MessageContent) === 0 && !exempt) {
      const { poll: _poll, ...rest } = d;
      return { ...rest, content: '', embeds: [], attachments: [], components: [] };
    }
  }
  return data;
}
