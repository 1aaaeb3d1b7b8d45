/**
 * The per-user limits, on rate-limiter-flexible: in this process's memory, or shared by every
 * process (gateway and HTTP replicas alike) through Redis when REDIS_URL is set. One code path, two
 * stores. When Redis cannot be reached, the library's insurance limiter (in memory, same settings)
 * takes over: the bot keeps answering, each process counting on its own, and says so once per
 * outage; the next answer Redis gives ends the outage.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config.ts';
import { rememberingRecent } from '../feedback/user-hash.ts';
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
  /**
   * The key user ids are hashed with (FEEDBACK_SECRET): required with Redis, where every process
   * must count a user under the same key; in memory a random one serves.
   */
  keySecret?: string | undefined;
  logger: Logger;
}

/**
 * The key a user is counted under: a keyed hash, so that no raw user id is ever stored by the
 * limits, in Redis or in their memory store, and someone who can read Redis cannot test a known id
 * against it without the key. Keys live only as long as their window. (The process remembers the
 * keys of its last 5,000 askers, by id, so as not to compute them at every question; that memory is
 * never written anywhere.)
 */
export function limitKey(userId: string, secret: string): string {
  return createHmac('sha256', secret).update(userId).digest('base64url').slice(0, 22);
}

export function createLimits({ questions, suggestions = AUTOCOMPLETE_LIMIT, redisUrl, keySecret, logger }: LimitOptions): Limits {
  if (!redisUrl) {
    const secret = keySecret ?? randomBytes(32).toString('hex');
    const memory = (name: string, settings: RateLimitSettings) => new RateLimiterMemory({ keyPrefix: name, points: settings.questions, duration: settings.windowSeconds });
    return {
      questions: new CountedLimit(memory('questions', questions), questions, secret),
      suggestions: new CountedLimit(memory('suggestions', suggestions), suggestions, secret),
      store: 'memory',
      ready: async () => undefined,
      close: async () => undefined,
    };
  }

  if (!keySecret) throw new Error('shared limits need the key user ids are hashed with (FEEDBACK_SECRET)');
  // While Redis is away, the insurance limiter answers; the outage is logged once, by RedisHealth.
  const { redis, where, close } = openSharedRedis(redisUrl, logger);

  const health = new RedisHealth(logger, where);
  const shared = (name: string, settings: RateLimitSettings) => {
    const insurance = new InsuranceLimiter(health, { keyPrefix: name, points: settings.questions, duration: settings.windowSeconds });
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `bpo-bot:${name}`,
      points: settings.questions,
      duration: settings.windowSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    return new CountedLimit(limiter, settings, keySecret, { health, insurance });
  };
  return {
    questions: shared('questions', questions),
    suggestions: shared('suggestions', suggestions),
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

/** A count is whole and positive, and a wait finite: anything else did not come from a working store. */
function isCount(res: RateLimiterRes): boolean {
  return Number.isSafeInteger(res.consumedPoints) && res.consumedPoints >= 1 && Number.isFinite(res.msBeforeNext) && res.msBeforeNext >= 0;
}

class CountedLimit implements Limit {
  private readonly keyOf: (userId: string) => string;

  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly settings: Readonly<RateLimitSettings>,
    secret: string,
    private readonly redis?: { health: RedisHealth; insurance: InsuranceLimiter },
  ) {
    this.keyOf = rememberingRecent((userId) => limitKey(userId, secret));
  }

  async consume(userId: string): Promise<LimitDecision> {
    const health = this.redis?.health;
    const insuredBefore = health?.insured ?? 0;
    const key = this.keyOf(userId);
    try {
      const res = await this.limiter.consume(key);
      // A reply that is no count (a server that answers every command with "OK") is not Redis
      // working: it is an outage, and the limit is counted in memory meanwhile.
      if (this.redis && !isCount(res)) return await this.insured(key);
      if (health && health.insured === insuredBefore) health.answeredByRedis();
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (this.redis && !isCount(rejection)) return await this.insured(key);
      if (health && health.insured === insuredBefore) health.answeredByRedis();
      // Each refused request is counted too, so exactly one refusal per window is the first one,
      // even when several processes share the count.
      return this.refused(rejection);
    }
  }

  private refused(rejection: RateLimiterRes): LimitDecision {
    return { allowed: false, retryInMs: Math.max(1, rejection.msBeforeNext), notify: rejection.consumedPoints === this.settings.questions + 1 };
  }

  /** Counted by the in-memory insurance limiter, which also marks Redis as down until a real count comes back. */
  private async insured(key: string): Promise<LimitDecision> {
    try {
      await this.redis!.insurance.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return this.refused(rejection);
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
