/**
 * The HTTP interactions server (the same createInteractionServer `npm run start:http` uses) on
 * 127.0.0.1, with its webhook routes pointed at a Discord test server and its log captured.
 */
import { Writable } from 'node:stream';
import type { Answerer } from '../../src/answering/answer.ts';
import { fixedKnowledge, type BotContext } from '../../src/bot/context.ts';
import { createLimits } from '../../src/bot/limits.ts';
import type { RateLimitSettings } from '../../src/config.ts';
import { createMetrics, type Metrics } from '../../src/http/metrics.ts';
import { createInteractionServer, type InteractionServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { TEST_KEY_SECRET, TEST_RATE_LIMIT, testAnswerer, type LogLine } from './bot-harness.ts';
import { startDiscordServer, type DiscordTestServer } from './discord-server/index.ts';
import { makeSigningKeys, type SigningKeys } from './http-interactions.ts';

export interface TestHttpBot {
  discord: DiscordTestServer;
  server: InteractionServer;
  metrics: Metrics;
  keys: SigningKeys;
  /** `http://127.0.0.1:<port>` */
  base: string;
  endpoint: string;
  rawLog: string[];
  logLines(): LogLine[];
  close(): Promise<void>;
}

export interface TestHttpBotOptions {
  rateLimit?: RateLimitSettings;
  answerer?: Answerer;
  components?: BotContext['components'];
  redisUrl?: string;
  /** Share one Discord test server between several bots (replicas); one is started otherwise. */
  discord?: DiscordTestServer;
  keys?: SigningKeys;
}

export async function startHttpBot({ rateLimit = TEST_RATE_LIMIT, answerer = testAnswerer(), components, redisUrl, discord, keys = makeSigningKeys() }: TestHttpBotOptions = {}): Promise<TestHttpBot> {
  const ownDiscord = discord === undefined;
  const stand = discord ?? (await startDiscordServer());
  const rawLog: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      rawLog.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination, idKey: TEST_KEY_SECRET });
  const metrics = createMetrics();
  const limits = createLimits({ questions: rateLimit, redisUrl, keySecret: TEST_KEY_SECRET, logger });
  await limits.ready();
  const ctx: BotContext = { knowledge: fixedKnowledge(answerer), logger, limits, onAnswered: metrics.observeAnswer, ...(components ? { components } : {}) };
  const server = createInteractionServer({ ctx, metrics, publicKey: keys.publicKeyHex, apiBase: stand.apiBase, logger });
  const address = await server.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    discord: stand,
    server,
    metrics,
    keys,
    base,
    endpoint: `${base}/interactions`,
    rawLog,
    logLines: () => rawLog.map((line) => JSON.parse(line) as LogLine),
    async close() {
      await server.stop({ drainMs: 1000 });
      if (ownDiscord) await stand.close();
    },
  };
}
