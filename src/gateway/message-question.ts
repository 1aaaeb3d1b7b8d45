/**
 * Decides whether a Discord message is a question for the bot, and which text to answer. Pure:
 * the handler reads the facts off the raw message payload (message-payload.ts), so this logic is
 * tested without Discord.
 */

export interface MessageFacts {
  botId: string;
  authorId: string;
  authorIsBot: boolean;
  /** Set on messages posted by a webhook (whose "author" is a fake user). */
  webhookId: string | null;
  /** Join notices, pins, thread starters and the like. */
  isSystem: boolean;
  /** A direct message with the bot, as opposed to a server channel. */
  isDm: boolean;
  content: string;
  /** The bot's user is in the message's `mentions`: a mention of it, or a reply that pings it. */
  mentionsBotUser: boolean;
  /** A reply to one of the bot's own messages (pinging it or not). */
  repliesToBot: boolean;
}

export type IgnoreReason = 'self' | 'bot' | 'webhook' | 'system' | 'not-mentioned' | 'empty-reply';

export type MessageQuestion =
  | { kind: 'question'; text: string }
  /** Addressed to the bot but with nothing to answer: reply with a short help. */
  | { kind: 'help' }
  | { kind: 'ignore'; reason: IgnoreReason };

export function messageQuestion(facts: MessageFacts): MessageQuestion {
  // Self first: the bot's own replies mention no one, but answering itself would loop.
  if (facts.authorId === facts.botId) return { kind: 'ignore', reason: 'self' };
  if (facts.webhookId) return { kind: 'ignore', reason: 'webhook' };
  if (facts.authorIsBot) return { kind: 'ignore', reason: 'bot' };
  if (facts.isSystem) return { kind: 'ignore', reason: 'system' };

  // In a server the bot answers a direct mention, and a reply to one of its own messages (which
  // goes on from that answer). Not @everyone/@here, not a role, not a reply to someone else that
  // merely pings the bot: Discord lists the bot in `mentions.users` for a reply ping too, so outside
  // a reply to the bot the mention must be written in the text.
  const written = facts.mentionsBotUser && mentionPattern(facts.botId).test(facts.content);
  if (!facts.isDm && !written && !facts.repliesToBot) return { kind: 'ignore', reason: 'not-mentioned' };

  const text = questionText(facts.content);
  if (text !== '') return { kind: 'question', text };
  // A reply with nothing in it (a sticker, or content the bot may not read) is not a call for help.
  return facts.isDm || written ? { kind: 'help' } : { kind: 'ignore', reason: 'empty-reply' };
}

/**
 * The question without mention markup: the bot's own (`<@id>`, legacy `<@!id>`), other users',
 * roles', channels', @everyone and @here. None of it is part of the question, and left in it
 * would only add noise to the reading. Whitespace is collapsed.
 */
export function questionText(content: string): string {
  return content
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    .replace(/@(?:everyone|here)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function mentionPattern(botId: string): RegExp {
  return new RegExp(`<@!?${botId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`);
}
