/**
 * Identify pacing shared through Redis (src/gateway/identify.ts), on a real redis-server: one
 * identify per max_concurrency bucket per window, whichever process asks, and each process on its
 * own when Redis cannot be reached.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyKeyPrefix, isIdentifyRequest, SharedIdentifyThrottler } from '../src/gateway/identify.ts';
import { captureLogger } from './support/capture-log.ts';
import { startRedis, type TestRedis } from './support/redis-server.ts';

const WINDOW_MS = 400;
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GiDeNt.aWRlbnRpZnktdGVzdC10b2tlbi1zZWNyZXQtdmFsdWU';

let redis: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

function throttler(url: string, maxConcurrency: number, prefix = identifyKeyPrefix(TOKEN)) {
  const { lines, logger } = captureLogger('debug');
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500, lazyConnect: true, retryStrategy: () => null });
  // ioredis reports failed connections as events; the throttler's fallback is what is tested.
  client.on('error', () => undefined);
  clients.push(client);
  return { client, lines, throttler: new SharedIdentifyThrottler(client, prefix, maxConcurrency, WINDOW_MS, logger, url) };
}

const timed = async (wait: Promise<void>) => {
  const startedAt = performance.now();
  await wait;
  return performance.now() - startedAt;
};

describe('identifies shared through Redis', () => {
  it('lets one process identify per bucket per window: the second in the same bucket waits for the window, another bucket does not', async () => {
    const prefix = `test:${Math.random()}`;
    const [first, second] = [throttler(redis.url, 2, prefix), throttler(redis.url, 2, prefix)];
    await Promise.all([first.client.connect(), second.client.connect()]);
    const signal = new AbortController().signal;
    // The first slot's window starts with its request, not when the third one begins.
    const windowStartedAt = performance.now();
    expect(await timed(first.throttler.waitForIdentify(0, signal))).toBeLessThan(WINDOW_MS);
    // Shard 1 is bucket 1 of 2: free at once, though another process just took bucket 0.
    expect(await timed(second.throttler.waitForIdentify(1, signal))).toBeLessThan(WINDOW_MS);
    expect((await first.client.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:0`, `${prefix}:1`]);
    // Shard 2 is bucket 0 again: it waits until the first process's slot expires.
    await second.throttler.waitForIdentify(2, signal);
    expect(performance.now() - windowStartedAt).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  });

  it('stops waiting when the shard gives up (its signal is aborted)', async () => {
    const prefix = `test:${Math.random()}`;
    const [first, second] = [throttler(redis.url, 1, prefix), throttler(redis.url, 1, prefix)];
    await Promise.all([first.client.connect(), second.client.connect()]);
    await first.throttler.waitForIdentify(0, new AbortController().signal);
    const abort = new AbortController();
    const waiting = second.throttler.waitForIdentify(0, abort.signal);
    abort.abort(new Error('shard destroyed'));
    await expect(waiting).rejects.toThrow();
  });

  it('keys a bot by a hash of its token, never the token', () => {
    expect(identifyKeyPrefix(TOKEN)).toBe(identifyKeyPrefix(TOKEN));
    expect(identifyKeyPrefix(TOKEN)).not.toContain(TOKEN.split('.')[0]);
    expect(identifyKeyPrefix(TOKEN)).not.toBe(identifyKeyPrefix(`${TOKEN}x`));
  });

  it('without Redis, paces its own shards alone and says so once', async () => {
    // Port 1 is never a test's Redis (free ports come from the ephemeral range).
    const unreachable = throttler('redis://127.0.0.1:1', 2);
    const signal = new AbortController().signal;
    // discord.js's own pacing per bucket takes over: two buckets, both at once.
    expect(await timed(unreachable.throttler.waitForIdentify(0, signal))).toBeLessThan(WINDOW_MS);
    expect(await timed(unreachable.throttler.waitForIdentify(1, signal))).toBeLessThan(WINDOW_MS);
    expect(unreachable.lines.filter((l) => l.msg.startsWith('Redis unreachable'))).toEqual([expect.objectContaining({ level: 40 })]);
  });

  it('reads only well-formed identify requests from a shard process', () => {
    expect(isIdentifyRequest({ type: 'bpo-bot:identify', shardId: 3, nonce: 'n' })).toBe(true);
    for (const bad of [null, 'x', { type: 'bpo-bot:identify', shardId: '3', nonce: 'n' }, { type: 'other', shardId: 1, nonce: 'n' }, { type: 'bpo-bot:identify', shardId: 1.5, nonce: 'n' }]) {
      expect(isIdentifyRequest(bad)).toBe(false);
    }
  });
});
