import { isIP } from 'node:net';
import { z } from 'zod';

/** The levels pino knows, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** The bot token; absent when the bot should not connect (terminal mode, invite link). */
  token: string | undefined;
  /** The application id ("client id" in the developer portal). */
  clientId: string | undefined;
  /** Register commands in this one server only (they appear at once there, and not in DMs). */
  guildId: string | undefined;
  /** A Discord-compatible REST API to talk to instead of discord.com, e.g. "http://127.0.0.1:8080/api". */
  apiBase: string | undefined;
  logLevel: LogLevel;
  /** Questions each user may ask per window, whichever way they ask. */
  rateLimit: RateLimitSettings;
  /** Where the limits are shared by every process (e.g. "redis://127.0.0.1:6379"); in memory when absent. */
  redisUrl: string | undefined;
  /** PostgreSQL holding servers' own knowledge for every process; the SQLite file FEEDBACK_DB when absent. */
  databaseUrl?: string | undefined;
  /** The application's Ed25519 public key (64 hex characters), which signs every HTTP interaction. */
  publicKey: string | undefined;
  /** Where `npm run start:http` listens. */
  http: { host: string; port: number };
  /**
   * Where questions and votes are kept for the knowledge base's keepers. loadConfig always sets it;
   * a configuration built by hand (in tests) may leave it out, which stores nothing.
   */
  feedback?: FeedbackSettings;
  /** `npm run rest-proxy`: the API it forwards to, and where it listens. */
  restProxy: { upstream: string; host: string; port: number };
  /**
   * The REST proxy's shared secret (REST_PROXY_SECRET): the proxy answers only requests that carry
   * it, and the bot sends it to DISCORD_API_BASE (never to Discord itself).
   */
  proxySecret?: string;
  /**
   * Which gateway shards to run: `count` is the total over every process and machine (SHARD_COUNT),
   * `ids` this machine's share of them (SHARD_IDS). Unset count: Discord's recommendation; unset ids: all.
   */
  shards: ShardSettings;
  /**
   * Whether the gateway asks for the Message Content intent (MESSAGE_CONTENT, default on): without
   * it Discord sends a reply to the bot's answer empty unless the reply pings the bot.
   */
  messageContent?: boolean;
}

export interface ShardSettings {
  count: number | undefined;
  /** Sorted, without repeats, each below `count`. */
  ids: number[] | undefined;
}

/** Discord's largest shard counts are in the thousands; this leaves room while catching typos. */
export const MAX_SHARD_COUNT = 16_384;

const SHARD_IDS_FORMAT =
  'SHARD_IDS must list shard ids such as "0,1,2" or "0-7" (single ids and ranges, separated by commas), or be left empty to run every shard.';

/**
 * "0,1,2", "0-7" or "0-3,8,10-11" as sorted shard ids without repeats; a string saying what is wrong
 * otherwise. Pure, for the configuration and its tests.
 */
export function parseShardIds(text: string): number[] | string {
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!match) return SHARD_IDS_FORMAT;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return `SHARD_IDS has the range "${part.trim()}", which runs backwards: write the lower id first, e.g. "${to}-${from}".`;
    if (to >= MAX_SHARD_COUNT) return `SHARD_IDS lists shard ${to}, beyond the largest shard count of ${MAX_SHARD_COUNT}: shard ids run from 0 to SHARD_COUNT - 1.`;
    for (let id = from; id <= to; id += 1) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

export interface RateLimitSettings {
  questions: number;
  windowSeconds: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitSettings> = Object.freeze({ questions: 5, windowSeconds: 30 });

export const DEFAULT_HTTP = Object.freeze({ host: '127.0.0.1', port: 8080 });

export interface FeedbackSettings {
  /** The SQLite database file; null when FEEDBACK_DB=off turns storage off. */
  path: string | null;
  /** The key users are hashed with; when absent, one is generated and kept beside the database. */
  secret: string | undefined;
  /** Questions and votes older than this are deleted, at start-up and daily. */
  retentionDays: number;
}

export const DEFAULT_FEEDBACK = Object.freeze({ path: 'data/feedback.db', retentionDays: 90 });
/** A shorter key would make the user hashes guessable: Discord ids are only about 60 bits. */
const MIN_FEEDBACK_SECRET_LENGTH = 32;
/** `npm run rest-proxy`: Discord itself upstream, listening on this machine only. */
export const DEFAULT_REST_PROXY = Object.freeze({ upstream: 'https://discord.com/api', host: '127.0.0.1', port: 8081 });

/** Settings an entry point cannot work without. */
export type Needed = 'token' | 'clientId' | 'publicKey';
export type ConfigWith<N extends Needed> = Config & { [K in N]: string };

/** A configuration problem, worded as one sentence the person running the bot can act on. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PORTAL = 'https://discord.com/developers/applications';
const SNOWFLAKE = /^\d{17,20}$/;
// Three base64url parts joined by dots; the exact lengths have changed over the years, so they are not checked.
const TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A whole number within bounds, written as digits only ("5", not "5.0" or "five"). */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { message });

/** Plain http would carry the token unencrypted: it is allowed only to this machine (a local proxy or test server). */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The base URL of a Discord-compatible REST API: https, or plain http to this machine only (a local
 * REST proxy or test server), since the token would travel unencrypted; never with a password in it.
 */
const apiBaseUrl = (variable: string, authenticatesWith: string) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!/^https?:\/\/[^\s/]+/i.test(value) || !URL.canParse(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${variable} must be an http(s) URL of a Discord-compatible API without the version, e.g. "https://discord.com/api", or be left empty to use Discord itself.`,
        });
        return;
      }
      const url = new URL(value);
      if (url.username !== '' || url.password !== '') {
        // Said without quoting the value: it holds the password.
        ctx.addIssue({ code: 'custom', message: `${variable} must not contain a user name or password: remove the "user:password@" part (${authenticatesWith}).` });
      } else if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          message: `${variable} may use plain http only for this machine (localhost, 127.0.0.1 or ::1), since the token would travel unencrypted: use https:// for ${url.hostname}.`,
        });
      }
    })
    .transform((value) => value.replace(/\/+$/, ''));

/** An address to listen on: an IP address or a host name. */
const hostName = (variable: string, example: string) =>
  z
    .string()
    .trim()
    .refine((value) => isIP(value) !== 0 || /^(?=.{1,253}$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*$/i.test(value), {
      message: `${variable} must be an IP address or a host name to listen on, ${example}.`,
    });

/** Unset and blank mean the same: a copied .env.example leaves variables empty. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

/** A token as pasted, trimmed and without the "Bot " prefix discord.js adds itself (people often paste it along). */
export function bareToken(value: string): string {
  return value.trim().replace(/^Bot\s+/i, '');
}

const schema = z.object({
  DISCORD_TOKEN: optional(
    z
      .string()
      .trim()
      .transform(bareToken)
      .refine((value) => TOKEN.test(value), {
        message: `DISCORD_TOKEN does not look like a bot token (three parts separated by dots): copy it from ${PORTAL} → your application → Bot → Reset Token, and put it in .env without quotes or spaces.`,
      }),
  ),
  DISCORD_CLIENT_ID: optional(
    z.string().trim().regex(SNOWFLAKE, {
      message: `DISCORD_CLIENT_ID must be your application's id, a number of 17 to 20 digits: copy "Application ID" from ${PORTAL} → your application → General Information.`,
    }),
  ),
  DISCORD_GUILD_ID: optional(
    z.string().trim().regex(SNOWFLAKE, {
      message:
        'DISCORD_GUILD_ID must be a server id, a number of 17 to 20 digits (enable Developer Mode in Discord, right-click the server, Copy Server ID), or be left empty to register commands globally.',
    }),
  ),
  DISCORD_API_BASE: optional(apiBaseUrl('DISCORD_API_BASE', 'the bot authenticates with DISCORD_TOKEN')),
  REST_PROXY_UPSTREAM: optional(apiBaseUrl('REST_PROXY_UPSTREAM', 'the proxy passes on each bot\'s own authorization')),
  REST_PROXY_PORT: optional(
    wholeNumber(1, 65_535, `REST_PROXY_PORT must be a whole number from 1 to 65535: the port npm run rest-proxy listens on (default ${DEFAULT_REST_PROXY.port}).`),
  ),
  REST_PROXY_SECRET: optional(
    z
      .string()
      .trim()
      .min(32, { message: 'REST_PROXY_SECRET must be at least 32 characters (e.g. the output of `openssl rand -hex 32`), the same for the REST proxy and every bot behind it.' })
      .max(200, { message: 'REST_PROXY_SECRET must be at most 200 characters.' })
      .regex(/^[\x21-\x7e]+$/, { message: 'REST_PROXY_SECRET must be printable ASCII without spaces (it travels in an HTTP header); e.g. the output of `openssl rand -hex 32`.' }),
  ),
  REST_PROXY_HOST: optional(hostName('REST_PROXY_HOST', `e.g. 127.0.0.1 for this machine only (default ${DEFAULT_REST_PROXY.host})`)),
  LOG_LEVEL: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (default info).` })),
  ),
  RATE_LIMIT_QUESTIONS: optional(
    wholeNumber(
      1,
      1000,
      `RATE_LIMIT_QUESTIONS must be a whole number from 1 to 1000: how many questions one user may ask per window (default ${DEFAULT_RATE_LIMIT.questions}).`,
    ),
  ),
  RATE_LIMIT_WINDOW_SECONDS: optional(
    wholeNumber(
      1,
      86_400,
      `RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400 (one day): the window RATE_LIMIT_QUESTIONS counts over (default ${DEFAULT_RATE_LIMIT.windowSeconds}).`,
    ),
  ),
  REDIS_URL: optional(
    z
      .string()
      .trim()
      .refine((value) => /^rediss?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), {
        message:
          'REDIS_URL must be a Redis URL such as "redis://127.0.0.1:6379" (or "rediss://…" for TLS, with "user:password@" before the host if needed), or be left empty to keep the question limit in memory.',
      })
      // Plain redis:// carries its password and the limits in the clear: this machine only.
      .refine((value) => !/^redis:/i.test(value) || !URL.canParse(value) || isLoopback(new URL(value).hostname), {
        message: 'REDIS_URL may use plain redis:// only for this machine (localhost, 127.0.0.1 or ::1): use rediss:// (TLS) for another host.',
      }),
  ),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .refine((value) => /^postgres(?:ql)?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), {
        message:
          'DATABASE_URL must be a PostgreSQL URL such as "postgres://bot:password@db.example.com:5432/bpo_bot" (add "?sslmode=require" for TLS), or be left empty to keep server knowledge in the SQLite file FEEDBACK_DB.',
      }),
  ),
  DISCORD_PUBLIC_KEY: optional(
    z.string().trim().regex(/^[\da-f]{64}$/i, {
      message: `DISCORD_PUBLIC_KEY must be your application's public key, 64 hexadecimal characters: copy "Public Key" from ${PORTAL} → your application → General Information.`,
    }),
  ),
  SHARD_COUNT: optional(
    wholeNumber(
      1,
      MAX_SHARD_COUNT,
      `SHARD_COUNT must be a whole number from 1 to ${MAX_SHARD_COUNT}: the total number of gateway shards over every machine, or be left empty to use Discord's recommendation.`,
    ),
  ),
  SHARD_IDS: optional(
    z
      .string()
      .trim()
      .transform((value, ctx) => {
        const ids = parseShardIds(value);
        if (typeof ids === 'string') {
          ctx.addIssue({ code: 'custom', message: ids });
          return z.NEVER;
        }
        return ids;
      }),
  ),
  FEEDBACK_DB: optional(
    z
      .string()
      .trim()
      .refine((value) => !/[\0\n\r]/.test(value), {
        message: `FEEDBACK_DB must be the path of the feedback database file (default ${DEFAULT_FEEDBACK.path}), or "off" to store no feedback.`,
      }),
  ),
  FEEDBACK_SECRET: optional(
    z.string().trim().min(MIN_FEEDBACK_SECRET_LENGTH, {
      message: `FEEDBACK_SECRET must be at least ${MIN_FEEDBACK_SECRET_LENGTH} characters (for example the output of "openssl rand -hex 32"), or be left empty to have one generated beside the database.`,
    }),
  ),
  FEEDBACK_RETENTION_DAYS: optional(
    wholeNumber(
      1,
      3650,
      `FEEDBACK_RETENTION_DAYS must be a whole number of days from 1 to 3650: how long questions and votes are kept (default ${DEFAULT_FEEDBACK.retentionDays}).`,
    ),
  ),
  MESSAGE_CONTENT: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0'], { message: 'MESSAGE_CONTENT must be "on" (default: replies to the bot\'s answers are read whether they ping it or not) or "off" (no privileged intent: only replies that ping it are read).' })),
  ),
  PORT: optional(wholeNumber(1, 65_535, `PORT must be a whole number from 1 to 65535: the port npm run start:http listens on (default ${DEFAULT_HTTP.port}).`)),
  HOST: optional(hostName('HOST', `e.g. 0.0.0.0 for every interface or 127.0.0.1 for this machine only (default ${DEFAULT_HTTP.host})`)),
});

function shardSettings(count: number | undefined, ids: number[] | undefined): ShardSettings {
  if (ids !== undefined && count === undefined) {
    throw new ConfigError(
      'SHARD_IDS needs SHARD_COUNT: set SHARD_COUNT to the total number of shards over every machine, so that each machine\'s SHARD_IDS are shards of the same total.',
    );
  }
  const beyond = ids?.find((id) => id >= count!);
  if (beyond !== undefined) {
    throw new ConfigError(`SHARD_IDS lists shard ${beyond}, but SHARD_COUNT is ${count}: shard ids run from 0 to ${count! - 1}.`);
  }
  return { count, ids };
}

const MISSING: Record<Needed, string> = {
  token: `DISCORD_TOKEN is not set: create a bot at ${PORTAL} → your application → Bot → Reset Token, and put DISCORD_TOKEN=<token> in .env (see .env.example).`,
  clientId: `DISCORD_CLIENT_ID is not set: copy "Application ID" from ${PORTAL} → your application → General Information, and put DISCORD_CLIENT_ID=<id> in .env (see .env.example).`,
  publicKey: `DISCORD_PUBLIC_KEY is not set: copy "Public Key" from ${PORTAL} → your application → General Information, and put DISCORD_PUBLIC_KEY=<key> in .env (see .env.example).`,
};

/**
 * Reads the settings from an environment (process.env at the entry points, a plain object in
 * tests). Pure: it never reads files or process.env itself. Throws ConfigError naming the first
 * variable to fix; `needed` lists the settings the caller cannot do without.
 */
export function loadConfig<N extends Needed = never>(
  env: Record<string, string | undefined>,
  needed: readonly N[] = [],
): ConfigWith<N> & { feedback: FeedbackSettings } {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(issue?.message && issue.message.startsWith(variable) ? issue.message : `${variable} is invalid: ${issue?.message ?? 'unknown problem'}.`);
  }
  const values = parsed.data;
  if (values.REDIS_URL && !values.FEEDBACK_SECRET) {
    throw new ConfigError(
      'REDIS_URL needs FEEDBACK_SECRET: user ids are kept in Redis only as keyed hashes, and every process sharing the limits must hash with the same key; set FEEDBACK_SECRET to the same random string everywhere (e.g. the output of "openssl rand -hex 32").',
    );
  }
  if (values.DATABASE_URL && !values.FEEDBACK_SECRET) {
    throw new ConfigError(
      'DATABASE_URL needs FEEDBACK_SECRET: admins are kept in the shared database only as keyed hashes of their ids, and every process must hash with the same key; set FEEDBACK_SECRET to the same random string everywhere (e.g. the output of "openssl rand -hex 32").',
    );
  }
  const config: Config & { feedback: FeedbackSettings } = {
    token: values.DISCORD_TOKEN,
    clientId: values.DISCORD_CLIENT_ID,
    guildId: values.DISCORD_GUILD_ID,
    apiBase: values.DISCORD_API_BASE,
    logLevel: values.LOG_LEVEL ?? 'info',
    rateLimit: {
      questions: values.RATE_LIMIT_QUESTIONS ?? DEFAULT_RATE_LIMIT.questions,
      windowSeconds: values.RATE_LIMIT_WINDOW_SECONDS ?? DEFAULT_RATE_LIMIT.windowSeconds,
    },
    redisUrl: values.REDIS_URL,
    databaseUrl: values.DATABASE_URL,
    publicKey: values.DISCORD_PUBLIC_KEY?.toLowerCase(),
    http: { host: values.HOST ?? DEFAULT_HTTP.host, port: values.PORT ?? DEFAULT_HTTP.port },
    feedback: {
      path: values.FEEDBACK_DB?.toLowerCase() === 'off' ? null : (values.FEEDBACK_DB ?? DEFAULT_FEEDBACK.path),
      secret: values.FEEDBACK_SECRET,
      retentionDays: values.FEEDBACK_RETENTION_DAYS ?? DEFAULT_FEEDBACK.retentionDays,
    },
    shards: shardSettings(values.SHARD_COUNT, values.SHARD_IDS),
    messageContent: !['off', 'false', '0'].includes(values.MESSAGE_CONTENT ?? 'on'),
    ...(values.REST_PROXY_SECRET ? { proxySecret: values.REST_PROXY_SECRET } : {}),
    restProxy: {
      upstream: values.REST_PROXY_UPSTREAM ?? DEFAULT_REST_PROXY.upstream,
      host: values.REST_PROXY_HOST ?? DEFAULT_REST_PROXY.host,
      port: values.REST_PROXY_PORT ?? DEFAULT_REST_PROXY.port,
    },
  };
  for (const need of needed) {
    if (config[need] === undefined) throw new ConfigError(MISSING[need]);
  }
  return config as ConfigWith<N> & { feedback: FeedbackSettings };
}
