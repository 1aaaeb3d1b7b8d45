/**
 * Identify throttling across processes and machines. Discord lets a bot start `max_concurrency`
 * sessions per 5 seconds, one per bucket (`shard_id % max_concurrency`), counted for the bot as a
 * whole; an IDENTIFY past that gets an invalid session and must wait. discord.js throttles the shards
 * of one process only. Two ways to share the count:
 *
 * - Redis (REDIS_URL set), for any number of processes on any number of machines: a bucket is taken
 *   with `SET key NX PX 5000`; whoever sets it may identify, the others wait until it expires. If
 *   Redis cannot be reached, each process throttles its own shards meanwhile (logged once).
 * - The shard manager, for the shard processes of `npm run start:sharded` on one machine: each
 *   asks the manager over IPC, and the manager grants one identify per bucket per 5 seconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimpleIdentifyThrottler, type IIdentifyThrottler, type WebSocketManager } from '@discordjs/ws';
import type { Redis } from 'ioredis';
import { openSharedRedis } from '../bot/redis.ts';
import type { Logger } from '../log.ts';

export { SimpleIdentifyThrottler } from '@discordjs/ws';

/** Discord's identify window. */
const IDENTIFY_WINDOW_MS = 5000;

export type BuildIdentifyThrottler = (manager: WebSocketManager) => Promise<IIdentifyThrottler>;

/** What discord.js's own builder does: the bot's max_concurrency, from GET /gateway/bot. */
async function maxConcurrencyOf(manager: WebSocketManager): Promise<number> {
  const info = await manager.fetchGatewayInformation();
  return Math.max(1, info.session_start_limit.max_concurrency);
}

/** The Redis key prefix for one bot: a hash of its token, so that bots sharing a Redis server do not wait for each other. */
export function identifyKeyPrefix(token: string): string {
  return `bpo-bot:identify:${createHash('sha256').update(token).digest('base64url').slice(0, 16)}`;
}

export interface RedisIdentify {
  build: BuildIdentifyThrottler;
  close(): Promise<void>;
}

export function redisIdentifyThrottler(redisUrl: string, token: string, logger: Logger, windowMs = IDENTIFY_WINDOW_MS): RedisIdentify {
  const { redis, where, close } = openSharedRedis(redisUrl, logger, { purpose: 'identify', lazyConnect: true });
  return {
    async build(manager) {
      const maxConcurrency = await maxConcurrencyOf(manager);
      await redis.connect().catch(() => undefined);
      return new SharedIdentifyThrottler(redis, identifyKeyPrefix(token), maxConcurrency, windowMs, logger, where);
    },
    close,
  };
}

export class SharedIdentifyThrottler implements IIdentifyThrottler {
  private readonly local: IIdentifyThrottler;
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly maxConcurrency: number,
    private readonly windowMs: number,
    private readonly logger: Logger,
    private readonly where: string,
  ) {
    this.local = new SimpleIdentifyThrottler(maxConcurrency);
  }

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % this.maxConcurrency;
    const key = `${this.keyPrefix}:${bucket}`;
    const holder = randomBytes(8).toString('hex');
    for (;;) {
      signal.throwIfAborted();
      let waitMs: number;
      try {
        const taken = await this.redis.set(key, holder, 'PX', this.windowMs, 'NX');
        if (taken === 'OK') {
          this.logger.debug({ shardId, bucket }, 'identify slot taken (shared through Redis)');
          return;
        }
        if (taken !== null) throw new Error(`Redis answered SET with ${JSON.stringify(taken).slice(0, 40)}`);
        waitMs = await this.redis.pttl(key);
        if (!Number.isSafeInteger(waitMs)) throw new Error(`Redis answered PTTL with ${JSON.stringify(waitMs).slice(0, 40)}`);
        if (waitMs === -1) {
          // A slot with no expiry (set by hand, or left by something else) would hold every identify for ever.
          this.logger.warn({ bucket, windowMs: this.windowMs }, 'identify slot in Redis had no expiry: given one');
          await this.redis.pexpire(key, this.windowMs);
          waitMs = this.windowMs;
        }
      } catch (error) {
        if (!this.warned) {
          this.warned = true;
          this.logger.warn({ err: error, redis: this.where }, 'Redis unreachable: identifying at the pace of this process alone; other processes may have to retry');
        }
        await this.local.waitForIdentify(shardId, signal);
        return;
      }
      // Just expired (or no expiry): try again at once; otherwise a little after it expires, not all at the same moment.
      await sleep(Math.max(0, waitMs) + Math.floor(Math.random() * 250), undefined, { signal });
    }
  }
}

/** What a shard process says over IPC once its gateway is ready. */
export const SHARD_READY = 'bpo-bot:ready';

/** The IPC messages between a shard process and its manager. */
export interface IdentifyRequest {
  type: 'bpo-bot:identify';
  shardId: number;
  nonce: string;
}
export interface IdentifyGranted {
  type: 'bpo-bot:identify-granted';
  nonce: string;
}

export interface IpcChannel {
  send(message: IdentifyRequest): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

const isGrant = (message: unknown, nonce: string): boolean =>
  typeof message === 'object' && message !== null && (message as IdentifyGranted).type === 'bpo-bot:identify-granted' && (message as IdentifyGranted).nonce === nonce;

/** In a shard process: asks the shard manager for each identify. */
export function ipcIdentifyThrottler(channel: IpcChannel): BuildIdentifyThrottler {
  return async () => ({
    waitForIdentify(shardId, signal) {
      const nonce = randomBytes(8).toString('hex');
      return new Promise<void>((resolve, reject) => {
        const onMessage = (message: unknown) => {
          if (!isGrant(message, nonce)) return;
          channel.off('message', onMessage);
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          channel.off('message', onMessage);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        channel.on('message', onMessage);
        channel.send({ type: 'bpo-bot:identify', shardId, nonce });
      });
    },
  });
}

export function isIdentifyRequest(message: unknown): message is IdentifyRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as IdentifyRequest).type === 'bpo-bot:identify' &&
    Number.isInteger((message as IdentifyRequest).shardId) &&
    typeof (message as IdentifyRequest).nonce === 'string'
  );
}
