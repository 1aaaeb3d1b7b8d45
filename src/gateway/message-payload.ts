/**
 * A MESSAGE_CREATE dispatch read as plain data, checked at the boundary: only the fields the bot
 * acts on, each of the type it must have. Pure, so that it is tested without a gateway.
 */
import { MessageType } from 'discord-api-types/v10';
import type { MessageFacts } from './message-question.ts';

export interface IncomingMessage {
  id: string;
  channelId: string;
  /** Null in a DM. */
  guildId: string | null;
  authorId: string;
  authorIsBot: boolean;
  webhookId: string | null;
  type: number;
  content: string;
  /** Ids of the users the message mentions (a reply ping adds the replied-to author). */
  mentionIds: readonly string[];
  /** The message this one replies to, as Discord includes it: its author and its components' custom ids. */
  repliesTo: { authorId: string; customIds: readonly string[] } | null;
}

/** Message types people write: the rest are join notices, pins, boosts and the like. */
const WRITTEN_BY_PEOPLE: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply, MessageType.ChatInputCommand, MessageType.ContextMenuCommand]);

const SNOWFLAKE = /^\d{1,20}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const snowflake = (value: unknown): value is string => typeof value === 'string' && SNOWFLAKE.test(value);

/** The message, or undefined when the payload lacks what a message always has (it is then ignored). */
export function readMessage(data: unknown): IncomingMessage | undefined {
  if (!isRecord(data) || !isRecord(data.author)) return undefined;
  const { id, channel_id: channelId, guild_id: guildId, author, webhook_id: webhookId, type, content, mentions, referenced_message: referenced } = data;
  if (!snowflake(id) || !snowflake(channelId) || !snowflake(author.id)) return undefined;
  if (guildId !== undefined && guildId !== null && !snowflake(guildId)) return undefined;
  return {
    id,
    channelId,
    guildId: guildId ?? null,
    authorId: author.id,
    authorIsBot: author.bot === true,
    webhookId: snowflake(webhookId) ? webhookId : null,
    type: typeof type === 'number' ? type : MessageType.Default,
    // A message with only a sticker or an attachment has empty content.
    content: typeof content === 'string' ? content : '',
    mentionIds: Array.isArray(mentions) ? mentions.flatMap((user) => (isRecord(user) && snowflake(user.id) ? [user.id] : [])) : [],
    // Discord sends the replied-to message with a reply (null when it was deleted).
    repliesTo: isRecord(referenced) && isRecord(referenced.author) && snowflake(referenced.author.id) ? { authorId: referenced.author.id, customIds: customIdsOf(referenced.components) } : null,
  };
}

/** Every custom id in a message's components, rows and nested layouts included, at most a few dozen. */
function customIdsOf(components: unknown, depth = 0): string[] {
  if (!Array.isArray(components) || depth > 3) return [];
  return components.slice(0, 40).flatMap((component) => {
    if (!isRecord(component)) return [];
    const own = typeof component.custom_id === 'string' && component.custom_id.length <= 100 ? [component.custom_id] : [];
    return [...own, ...customIdsOf(component.components, depth + 1)];
  });
}

/** What `messageQuestion` decides on, for a message seen by the bot `botId`. */
export function messageFacts(message: IncomingMessage, botId: string): MessageFacts {
  return {
    botId,
    authorId: message.authorId,
    authorIsBot: message.authorIsBot,
    webhookId: message.webhookId,
    isSystem: !WRITTEN_BY_PEOPLE.has(message.type),
    isDm: message.guildId === null,
    content: message.content,
    mentionsBotUser: message.mentionIds.includes(botId),
    repliesToBot: message.repliesTo?.authorId === botId,
  };
}
