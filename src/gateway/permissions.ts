import { PermissionFlagsBits } from 'discord.js';

interface PermissionSet {
  has(flag: bigint): boolean;
}

export interface ChannelAccess {
  canSend: boolean;
  canEmbed: boolean;
  /** Discord refuses a reply link to a message the bot may not read the history of. */
  canReply: boolean;
}

/**
 * What the bot may do in a channel, from its permissions there; null (a DM, or permissions not
 * known) means "try": Discord's own refusal is logged if it comes.
 */
export function channelAccess(permissions: PermissionSet | null, inThread: boolean): ChannelAccess {
  if (!permissions) return { canSend: true, canEmbed: true, canReply: true };
  const P = PermissionFlagsBits;
  return {
    canSend: permissions.has(P.ViewChannel) && permissions.has(inThread ? P.SendMessagesInThreads : P.SendMessages),
    canEmbed: permissions.has(P.EmbedLinks),
    canReply: permissions.has(P.ReadMessageHistory),
  };
}
