/**
 * Redis answers are checked before they are trusted: a server that says "+OK" to everything does
 * not turn the question limit off (it is counted in memory meanwhile, and the outage is logged),
 * and an identify slot left without an expiry does not hold the gateway for ever.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimits } from '../src/bot/limits.ts';
import { identifyKeyPrefix, SharedIdentifyThrottler } from '../src/gateway/identify.ts';
import { openSharedRedis } from '../src/bot/redis.ts';
import { captureLogger } from './support/capture-log.ts';
import { startRedis, type TestRedis } from './support/redis-server.ts';

const SECRET = 'redis-replies-test-key-0123456789abcdef';

/** A server that speaks RESP and answers every command with +OK. */
async function okToEverything(): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      // Each command is an array of bulk strings: "*<n>\r\n" then n times "$<len>\r\n<data>\r\n".
      for (;;) {
        const header = /^\*(\d+)\r\n/.exec(buffered);
        if (!header) return;
        let at = header[0].length;
        let complete = true;
        for (let i = 0; i < Number(header[1]); i++) {
          const bulk = /^\$(\d+)\r\n/.exec(buffered.slice(at));
          if (!bulk || buffered.length < at + bulk[0].length + Number(bulk[1]) + 2) {
            complete = false;
            break;
          }
          at += bulk[0].length + Number(bulk[1]) + 2;
        }
        if (!complete) return;
        buffered = buffered.slice(at);
        socket.write('+OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `redis://127.0.0.1:${address.port}` };
}

describe('a Redis server that answers nonsense', () => {
  it('does not turn the question limit off: counted in memory meanwhile, and said once', async () => {
    const { server, url } = await okToEverything();
    const { lines, logger } = captureLogger('info');
    const limits = createLimits({ questions: { questions: 5, windowSeconds: 60 }, redisUrl: url, keySecret: SECRET, logger });
    try {
      await limits.ready(5000);
      const decisions = [];
      for (let i = 0; i < 7; i++) decisions.push((await limits.questions.consume('1300000000000000001')).allowed);
      expect(decisions).toEqual([true, true, true, true, true, false, false]);
      expect(lines.filter((l) => l.level === 40 && /^Redis unreachable/.test(l.msg))).toHaveLength(1);
    } finally {
      await limits.close();
      server.close();
    }
  });
});

describe('an identify slot without an expiry', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('is given one, and the shard identifies once it runs out, instead of waiting for ever', async () => {
    const { lines, logger } = captureLogger('debug');
    const shared = openSharedRedis(redis.url, logger);
    try {
      if (shared.redis.status !== 'ready') await new Promise((resolve) => shared.redis.once('ready', resolve));
      const prefix = identifyKeyPrefix('token-of-a-test-bot');
      // Left behind with no expiry, as by hand or by something else.
      await shared.redis.set(`${prefix}:0`, 'stuck');
      const throttler = new SharedIdentifyThrottler(shared.redis, prefix, 1, 300, logger, 'test');
      await throttler.waitForIdentify(0, new AbortController().signal);
      expect(lines.filter((l) => l.msg === 'identify slot in Redis had no expiry: given one')).toHaveLength(1);
      expect(lines.some((l) => l.msg === 'identify slot taken (shared through Redis)')).toBe(true);
      expect(await shared.redis.pttl(`${prefix}:0`)).toBeGreaterThan(0);
    } finally {
      await shared.close();
    }
  });
});
