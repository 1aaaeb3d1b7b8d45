/**
 * The per-user limits, on rate-limiter-flexible: in this process's memory, or shared by every
 * process (gateway and HTTP replicas alike) through Redis when REDIS_URL is set. One code path, two
 * stores. When Redis cannot be reached, the library's insurance limiter (in memory, same settings)
 * takes over: the bot keeps answering, each process counting on its own, and says so once per
 * outage; the next answer Redis gives ends the outage.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config.ts';
import type { Lang } from '../knowledge/schema.ts';
import type { Logger } from '../log.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import { openSharedRedis } from './redis.ts';
import { rateLimitNotice, type Via } from './replies.ts';

/**
 * Suggestions while typing are not questions, but each one is a request to answer: a generous limit
 * of their own (a fast typist sends a few per second for a few seconds) keeps one user from
 * keeping the bot busy with thousands.
 */
export const AUTOCOMPLETE_LIMIT: Readonly<RateLimitSettings> = Object.freeze({ questions: 100, windowSeconds: 30 });

export type LimitDecision =
  | { allowed: true }
  /**
   * `retryInMs`: until the user's window ends and they may ask again.
   * `notify`: this is the first refusal in the window; tell the user (later ones stay silent in public).
   */
  | { allowed: false; retryInMs: number; notify: boolean };

export interface Limit {
  readonly settings: Readonly<RateLimitSettings>;
  /** Counts one request from `userId` and says whether it may be answered. */
  consume(userId: string): Promise<LimitDecision>;
}

export interface Limits {
  questions: Limit;
  suggestions: Limit;
  store: 'memory' | 'redis';
  /**
   * Resolves once the store is ready, or after `timeoutMs` at most (Redis down at start-up: the bot
   * starts anyway and counts in memory until Redis answers). Call it before taking questions.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** How long start-up waits for Redis before serving without it. */
const REDIS_CONNECT_WAIT_MS = 3000;

export interface LimitOptions {
  questions: RateLimitSettings;
  suggestions?: RateLimitSettings;
  /** Shares the limits through this Redis server; in memory when absent. */
  redisUrl?: string | undefined;
  logger: Logger;
}

/**
 * The key a user is counted under: a hash, so that no raw user id is ever stored, in Redis or in
 * memory. Keys live only as long as their window.
 */
export function limitKey(userId: string): string {
  return createHash('sha256').update(`bpo-bot:user:${userId}`).digest('base64url').slice(0, 22);
}

export function createLimits({ questions, suggestions = AUTOCOMPLETE_LIMIT, redisUrl, logger }: LimitOptions): Limits {
  if (!redisUrl) {
    const memory = (name: string, settings: RateLimitSettings) => new RateLimiterMemory({ keyPrefix: name, points: settings.questions, duration: settings.windowSeconds });
    return {
      questions: new CountedLimit(memory('questions', questions), questions),
      suggestions: new CountedLimit(memory('suggestions', suggestions), suggestions),
      store: 'memory',
      ready: async () => undefined,
      close: async () => undefined,
    };
  }

  // While Redis is away, the insurance limiter answers; the outage is logged once, by RedisHealth.
  const { redis, where, close } = openSharedRedis(redisUrl, logger);

  const health = new RedisHealth(logger, where);
  const shared = (name: string, settings: RateLimitSettings) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `bpo-bot:${name}`,
      points: settings.questions,
      duration: settings.windowSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceLimiter(health, { keyPrefix: name, points: settings.questions, duration: settings.windowSeconds }),
    });
  return {
    questions: new CountedLimit(shared('questions', questions), questions, health),
    suggestions: new CountedLimit(shared('suggestions', suggestions), suggestions, health),
    store: 'redis',
    async ready(timeoutMs = REDIS_CONNECT_WAIT_MS) {
      if (redis.status === 'ready') return;
      let timer: NodeJS.Timeout | undefined;
      const connected = await Promise.race([
        new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!connected) health.unreachableAtStart();
    },
    close,
  };
}

/** Whether Redis is answering, as seen from the limiter: logs the start and the end of an outage once each. */
class RedisHealth {
  down = false;
  /** How many requests the insurance limiter has answered; a request that leaves it unchanged was answered by Redis. */
  insured = 0;

  constructor(
    private readonly logger: Logger,
    private readonly where: string,
  ) {}

  insuranceUsed(): void {
    this.insured++;
    if (this.down) return;
    this.down = true;
    this.logger.warn({ redis: this.where }, 'Redis unreachable: answering anyway, with each process counting the limits on its own until it is back');
  }

  unreachableAtStart(): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ redis: this.where }, 'Redis unreachable at start-up: answering anyway, with each process counting the limits on its own until it is back');
  }

  answeredByRedis(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info({ redis: this.where }, 'Redis reachable again: the limits are shared again');
  }
}

/** The in-memory stand-in rate-limiter-flexible turns to when a Redis command fails. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    private readonly health: RedisHealth,
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
  ) {
    super(options);
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.health.insuranceUsed();
    return super.consume(key, points, options);
  }
}

class CountedLimit implements Limit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly settings: Readonly<RateLimitSettings>,
    private readonly health?: RedisHealth,
  ) {}

  async consume(userId: string): Promise<LimitDecision> {
    const insuredBefore = this.health?.insured ?? 0;
    try {
      await this.limiter.consume(limitKey(userId));
      if (this.health && this.health.insured === insuredBefore) this.health.answeredByRedis();
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (this.health && this.health.insured === insuredBefore) this.health.answeredByRedis();
      // Each refused request is counted too, so exactly one refusal per window is the first one,
      // even when several processes share the count.
      return { allowed: false, retryInMs: Math.max(1, rejection.msBeforeNext), notify: rejection.consumedPoints === this.settings.questions + 1 };
    }
  }
}

export interface Asker {
  via: Via;
  userId: string;
  guildId: string | null;
}

export type Admission =
  | { admitted: true }
  /** `notice`: what to tell the user; absent when the bot stays silent. */
  | { admitted: false; notice: DiscordMessage | undefined };

export interface AdmitOptions {
  /** Interactions must be answered, or Discord shows "This interaction failed": their notice is private, and comes every time. */
  alwaysNotify: boolean;
  /** The notice's language; asked only when a notice is sent, so a refused flood costs no language detection. */
  lang: () => Lang;
}

/**
 * Counts a question against its asker's limit. Over the limit the question is logged (at info: it is
 * the limit working, not a fault) and refused, with a notice when the user is to be told.
 */
export async function admitQuestion(limit: Limit, asker: Asker, logger: Logger, { alwaysNotify, lang }: AdmitOptions): Promise<Admission> {
  const decision = await limit.consume(asker.userId);
  if (decision.allowed) return { admitted: true };
  const { retryInMs } = decision;
  const notify = decision.notify || alwaysNotify;
  logger.info({ ...asker, limited: true, notified: notify, retryInMs }, 'rate limited');
  return { admitted: false, notice: notify ? rateLimitNotice(lang(), retryInMs) : undefined };
}
