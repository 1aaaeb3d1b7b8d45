import type { ShardSettings } from '../config.ts';

/** The shards one process connects: listed ids out of a total, or all of Discord's recommended count. */
export type ShardSelection = { ids: readonly number[]; count: number } | 'auto';

/**
 * The shards for this process. Under `npm run start:sharded` the shard manager has chosen them and
 * says so in SHARDS and SHARD_COUNT; otherwise SHARD_COUNT and SHARD_IDS (every shard of that total
 * when no ids are listed) or, with neither, as many as Discord recommends, all in this process.
 */
export function shardsForProcess(settings: ShardSettings, env: Record<string, string | undefined>): ShardSelection {
  if (env.SHARDING_MANAGER !== undefined && env.SHARDS !== undefined && env.SHARD_COUNT !== undefined) {
    const assigned = JSON.parse(env.SHARDS) as number | number[];
    return { ids: Array.isArray(assigned) ? assigned : [assigned], count: Number(env.SHARD_COUNT) };
  }
  if (settings.count === undefined) return 'auto';
  return { ids: settings.ids ?? Array.from({ length: settings.count }, (_, id) => id), count: settings.count };
}

/**
 * A copied .env.example leaves SHARD_COUNT and SHARD_IDS blank; the configuration treats blank as
 * unset, and so must the shard variables the manager sets.
 */
export function dropBlankShardVariables(env: NodeJS.ProcessEnv): void {
  for (const name of ['SHARDS', 'SHARD_COUNT', 'SHARD_IDS']) if (env[name]?.trim() === '') delete env[name];
}
