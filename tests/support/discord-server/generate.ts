/** Many servers at once, shaped like real ones, for sharding tests and memory benches. */
import { ChannelType } from 'discord.js';
import { snowflakeAt } from './snowflake.ts';
import type { GuildSpec } from './types.ts';

export interface GeneratedGuilds {
  count: number;
  /** Text channels per server (default 20). */
  channels?: number;
  /** Roles per server besides @everyone and the bot's (default 15). */
  roles?: number;
  /** Custom emojis per server (default 10). */
  emojis?: number;
}

/**
 * Servers whose ids are a millisecond apart, so that `(id >> 22) % shard_count` spreads them evenly
 * over any number of shards, as real servers created at different times are.
 */
export function generateGuilds({ count, channels = 20, roles = 15, emojis = 10 }: GeneratedGuilds): GuildSpec[] {
  const base = Date.now() - 30 * 86_400_000;
  return Array.from({ length: count }, (_, g) => {
    const createdAt = base + g;
    return {
      id: snowflakeAt(createdAt),
      name: `Server ${g + 1}`,
      channels: Array.from({ length: channels }, (_, c) => ({ id: snowflakeAt(createdAt, 1 + c), name: `channel-${c + 1}`, type: ChannelType.GuildText })),
      extraRoles: roles,
      emojis,
    };
  });
}
