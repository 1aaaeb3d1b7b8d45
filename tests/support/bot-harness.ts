import { loadAnswerer } from '../../src/answering/load.ts';
/**
 * The real bot (startBot, the same wiring `npm start` uses) connected to the Discord test server,
 * with its JSON log captured so tests can read it.
 */
import { Writable } from 'node:stream';
import { type Answerer } from '../../src/answering/answer.ts';
import { fixedKnowledge } from '../../src/bot/context.ts';
import type { RateLimitSettings } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/gateway/bot.ts';
import type { OutboxOptions } from '../../src/gateway/outbox.ts';
import type { Feedback } from '../../src/feedback/recorder.ts';
import type { ServerKnowledge } from '../../src/server-knowledge/service.ts';
import { createLogger, logIdHasher } from '../../src/log.ts';
import { startDiscordServer, type DiscordServerOptions, type DiscordTestServer, type RecordedRequest } from './discord-server/index.ts';

/** Shaped like a bot token (user id, timestamp, signature) so the logger's by-value redaction applies. */
export const TEST_TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GtEsT0.c2VjcmV0LXRlc3QtdG9rZW4tZG8tbm90LWxvZw';

let sharedAnswerer: Answerer | undefined;
/** Built once per test file: the knowledge base and its index do not change between tests. */
export function testAnswerer(): Answerer {
  sharedAnswerer ??= loadAnswerer();
  return sharedAnswerer;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestBot {
  server: DiscordTestServer;
  bot: RunningBot;
  /** Every log line as written, raw, to check nothing secret got through. */
  rawLog: string[];
  logLines(): LogLine[];
  /** Requests recorded from now on: for "nothing was sent" assertions. */
  mark(): () => RecordedRequest[];
  /** Waits for a request recorded after `since` (a request count) that matches. */
  waitForRequestAfter(since: number, match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Stops the bot and starts a new one on the same server, as a restart (or another replica) would. */
  restartBot(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Generous, so that tests about other things can ask many questions as the same user; the
 * question limit has its own tests, which pass the production settings.
 */
export const TEST_RATE_LIMIT: RateLimitSettings = { questions: 1000, windowSeconds: 30 };

export interface TestBotOptions extends DiscordServerOptions {
  rateLimit?: RateLimitSettings;
  /** Answers from this instead of the shipped knowledge base, e.g. one rigged to fail. */
  answerer?: Answerer;
  onGatewayLost?: (code: number) => void;
  /** Shares the limits through this Redis server, as REDIS_URL does. */
  redisUrl?: string;
  /** Stores questions and votes here; answers then carry 👍/👎 buttons. */
  feedback?: Feedback;
  /** As MESSAGE_CONTENT: false connects without the Message Content intent. */
  messageContent?: boolean;
  /** The reply queue's bounds (default DEFAULT_OUTBOX). */
  outbox?: Partial<OutboxOptions>;
  /** Servers' own answers (/wiedza); without it the command says it is off. */
  serverKnowledge?: ServerKnowledge;
}

/** The key user ids are hashed with, as FEEDBACK_SECRET: the same in every test process that shares Redis. */
export const TEST_KEY_SECRET = 'test-key-user-ids-are-hashed-with-0123456789';
/** Feedback settings as the configuration gives them; storing is up to the `feedback` option. */
const TEST_FEEDBACK_SETTINGS = { path: null, secret: TEST_KEY_SECRET, retentionDays: 90 };
/** How the log shows a user or server id of a process keyed with TEST_KEY_SECRET. */
export const loggedId = logIdHasher(TEST_KEY_SECRET);

export async function startTestBot({ rateLimit = TEST_RATE_LIMIT, answerer = testAnswerer(), onGatewayLost, redisUrl, feedback, messageContent, outbox, serverKnowledge, ...options }: TestBotOptions = {}): Promise<TestBot> {
  const server = await startDiscordServer({ heartbeatIntervalMs: 5000, ...options });
  const rawLog: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      rawLog.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination, secrets: [TEST_TOKEN], idKey: TEST_KEY_SECRET });
  let bot: RunningBot;
  const start = () =>
    startBot(
      { token: TEST_TOKEN, apiBase: server.apiBase, rateLimit, redisUrl, feedback: TEST_FEEDBACK_SETTINGS, ...(messageContent === undefined ? {} : { messageContent }) },
      { knowledge: fixedKnowledge(answerer), logger, ...(onGatewayLost ? { onGatewayLost } : {}), ...(feedback ? { feedback } : {}), ...(outbox ? { outbox } : {}), ...(serverKnowledge ? { serverKnowledge } : {}) },
    );
  try {
    bot = await start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    get bot() {
      return bot;
    },
    rawLog,
    logLines: () => rawLog.map((line) => JSON.parse(line) as LogLine),
    mark() {
      const since = server.requests.length;
      return () => server.requests.slice(since);
    },
    waitForRequestAfter(since, match, timeoutMs = 5000) {
      return server.waitForRequest((request) => server.requests.indexOf(request) >= since && match(request), timeoutMs);
    },
    async restartBot() {
      await bot.stop();
      bot = await start();
    },
    async close() {
      await bot.stop();
      await server.close();
    },
  };
}
