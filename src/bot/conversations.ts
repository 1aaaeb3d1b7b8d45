/**
 * Where a message's conversation comes from. A reply to one of the bot's answers carries it in the
 * answer itself: its topic buttons name the entry answered and the language (see topicButtonId),
 * so any shard or replica reads the reply the same way, after a restart too. A DM without a reply
 * goes on from the bot's last answer there, kept in memory for a few minutes.
 */
import type { Conversation } from '../answering/answer.ts';
import { parseTopicButtonId } from '../responder/render-discord.ts';
import { asLang } from './locale.ts';

/** The conversation an answer of the bot carries in its components' custom ids, if any. */
export function conversationOfAnswer(customIds: readonly string[]): Conversation | undefined {
  for (const customId of customIds) {
    const topic = parseTopicButtonId(customId);
    const lang = topic ? asLang(topic.lang) : undefined;
    if (topic?.answeredId && lang) return { entryId: topic.answeredId, lang };
  }
  return undefined;
}

export interface DmConversationOptions {
  /** How long a DM goes on from the last answer. */
  ttlMs: number;
  /** How many DMs are remembered at most: the oldest answer is forgotten first. */
  maxChannels: number;
}

export const DM_CONVERSATIONS: DmConversationOptions = Object.freeze({ ttlMs: 10 * 60_000, maxChannels: 10_000 });

/** The last answer in each DM channel, for a few minutes and within a fixed number of channels. */
export class DmConversations {
  private readonly byChannel = new Map<string, { conversation: Conversation; at: number }>();

  constructor(
    private readonly options: DmConversationOptions = DM_CONVERSATIONS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.byChannel.size;
  }

  get(channelId: string): Conversation | undefined {
    const found = this.byChannel.get(channelId);
    if (!found) return undefined;
    if (this.now() - found.at > this.options.ttlMs) {
      this.byChannel.delete(channelId);
      return undefined;
    }
    return found.conversation;
  }

  set(channelId: string, conversation: Conversation): void {
    // Re-inserted, so the map's order stays oldest answer first.
    this.byChannel.delete(channelId);
    this.byChannel.set(channelId, { conversation, at: this.now() });
    for (const oldest of this.byChannel.keys()) {
      if (this.byChannel.size <= this.options.maxChannels) break;
      this.byChannel.delete(oldest);
    }
  }
}
