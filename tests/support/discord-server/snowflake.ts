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
