/**
 * What Discord has refused the bot in a channel: embeds (no Embed Links), reply links (no Read
 * Message History), or messages at all. The bot does not cache channels, roles or members to work
 * out its permissions; it tries, falls back when refused, and remembers the refusal here for a
 * while, so that the next answer in that channel goes out in one request. Small by construction:
 * a few flags per channel, for a bounded number of channels, forgotten after a while or as soon as
 * the channel, the server's roles or the bot's own roles change.
 */

export type Refusal = 'embeds' | 'reference' | 'send';

interface Entry {
  guildId: string | null;
  refused: Set<Refusal>;
  /** Date.now() after which the entry is forgotten: permissions change without the bot hearing of it. */
  expiresAt: number;
}

export interface ChannelRefusalsOptions {
  /** Channels remembered at most; the least recently used are forgotten first. */
  maxChannels?: number;
  /** How long a refusal is remembered. */
  ttlMs?: number;
  now?: () => number;
}

const REFUSAL_TTL_MS = 10 * 60 * 1000;
const MAX_REMEMBERED_CHANNELS = 10_000;

export class ChannelRefusals {
  private readonly entries = new Map<string, Entry>();
  private readonly maxChannels: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor({ maxChannels = MAX_REMEMBERED_CHANNELS, ttlMs = REFUSAL_TTL_MS, now = Date.now }: ChannelRefusalsOptions = {}) {
    this.maxChannels = maxChannels;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get size(): number {
    return this.entries.size;
  }

  has(channelId: string, refusal: Refusal): boolean {
    const entry = this.entries.get(channelId);
    if (!entry) return false;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(channelId);
      return false;
    }
    return entry.refused.has(refusal);
  }

  note(channelId: string, guildId: string | null, refusal: Refusal): void {
    const entry = this.entries.get(channelId);
    const refused = entry && this.now() < entry.expiresAt ? entry.refused : new Set<Refusal>();
    refused.add(refusal);
    // Re-inserting moves the channel to the newest end of the map's order.
    this.entries.delete(channelId);
    this.entries.set(channelId, { guildId, refused, expiresAt: this.now() + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxChannels) break;
      this.entries.delete(oldest);
    }
  }

  /** A channel was updated or deleted: its overwrites may have changed. */
  forgetChannel(channelId: string): void {
    this.entries.delete(channelId);
  }

  /** A server's roles, or the bot's own roles in it, changed: every channel there may have. */
  forgetGuild(guildId: string): void {
    for (const [channelId, entry] of this.entries) if (entry.guildId === guildId) this.entries.delete(channelId);
  }
}
