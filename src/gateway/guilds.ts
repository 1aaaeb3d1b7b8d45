/**
 * The servers the bot is in, as a set of ids: the bot needs their number for its logs and nothing
 * else of them. Each GUILD_CREATE payload is read for its id and dropped.
 */

const idOf = (data: unknown, key: 'id' | 'guild_id' = 'id'): string | undefined => {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : undefined;
};

export type GuildChange = 'joined' | 'left' | undefined;

export class GuildIds {
  private readonly ids = new Set<string>();

  get size(): number {
    return this.ids.size;
  }

  /** READY lists every server of the session (as unavailable, their GUILD_CREATEs follow). */
  ready(data: unknown): void {
    const guilds = (data as { guilds?: unknown } | null)?.guilds;
    if (!Array.isArray(guilds)) return;
    for (const guild of guilds) {
      const id = idOf(guild);
      if (id) this.ids.add(id);
    }
  }

  /** A GUILD_CREATE for a server not in READY is the bot joining it. */
  created(data: unknown): GuildChange {
    const id = idOf(data);
    if (!id || this.ids.has(id)) return undefined;
    this.ids.add(id);
    return 'joined';
  }

  /** A GUILD_DELETE marked unavailable is an outage at Discord; without the mark, the bot left or was removed. */
  deleted(data: unknown): GuildChange {
    const id = idOf(data);
    if (!id || (data as { unavailable?: unknown }).unavailable === true) return undefined;
    return this.ids.delete(id) ? 'left' : undefined;
  }
}
