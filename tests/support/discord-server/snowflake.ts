/**
 * Discord snowflakes: 42 bits of milliseconds since the Discord epoch, then worker/process
 * ids and a 12-bit increment. discord.js derives `createdTimestamp` from ids, so generated
 * ids must encode a real time, and they must grow monotonically so that ordering by id
 * (which Discord clients rely on) matches creation order.
 */
export const DISCORD_EPOCH = 1_420_070_400_000n;

let last = 0n;

export function nextSnowflake(at: number = Date.now()): string {
  let id = ((BigInt(Math.floor(at)) - DISCORD_EPOCH) << 22n) | (1n << 17n);
  if (id <= last) id = last + 1n;
  last = id;
  return id.toString();
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function snowflakeIso(id: string): string {
  return new Date(snowflakeTimestamp(id)).toISOString();
}

/**
 * A snowflake for a given time and increment, outside the monotonic sequence above: for ids made in
 * bulk (generated servers) whose timestamps must differ, without moving later ids into the future.
 */
export function snowflakeAt(at: number, increment = 0): string {
  return (((BigInt(Math.floor(at)) - DISCORD_EPOCH) << 22n) | (2n << 17n) | BigInt(increment & 0xfff)).toString();
}

/** The shard Discord delivers a server's events on: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
