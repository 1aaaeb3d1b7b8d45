import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { displayUrl } from '../redact.ts';

/** How long a Redis command may take before its caller falls back on what it does without Redis. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * The Redis client, loaded only when REDIS_URL is set: it is a tenth of the bot's memory, and most
 * single-process bots never need it. ioredis is CommonJS, so it loads synchronously on demand.
 */
function loadRedis(): typeof Redis {
  return (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;
}

export interface SharedRedis {
  redis: Redis;
  /** The address as logged, with any password removed. */
  where: string;
  close(): Promise<void>;
}

/**
 * A Redis connection for state shared by processes (the question limits, identify turns), set up
 * the same way for each: commands fail fast while disconnected instead of queueing (each caller
 * has its own fallback meanwhile), and it keeps reconnecting, at most every 2 s, for as long as the
 * bot runs. ioredis reports every failed reconnection; those go to the debug log, since each caller
 * logs the outage itself once.
 */
export function openSharedRedis(url: string, logger: Logger, { purpose, lazyConnect = false }: { purpose?: string; lazyConnect?: boolean } = {}): SharedRedis {
  const where = displayUrl(url);
  const redis = new (loadRedis())(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    lazyConnect,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error: Error) => logger.debug({ err: error, redis: where }, `Redis connection error${purpose ? ` (${purpose})` : ''}`));
  let closing = false;
  return {
    redis,
    where,
    async close() {
      if (closing) return;
      closing = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
