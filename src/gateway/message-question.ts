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
}

export type IgnoreReason = 'self' | 'bot' | 'webhook' | 'system' | 'not-mentioned';

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

  // In a server only a direct mention counts: not @everyone/@here, not a role, not a reply that
  // merely pings the bot. Discord lists the bot in `mentions.users` for a reply ping too, so the
  // mention must also be written in the text.
  if (!facts.isDm && !(facts.mentionsBotUser && mentionPattern(facts.botId).test(facts.content))) {
    return { kind: 'ignore', reason: 'not-mentioned' };
  }

  const text = questionText(facts.content);
  return text === '' ? { kind: 'help' } : { kind: 'question', text };
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
