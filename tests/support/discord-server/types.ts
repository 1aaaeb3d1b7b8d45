import type { APIUser, ChannelType } from 'discord-api-types/v10';

export interface ChannelSpec {
  id: string;
  name: string;
  type: ChannelType;
  /** Category the channel sits in, if any. */
  parentId?: string;
  topic?: string;
  /**
   * Permission overwrites on the channel, as a server admin sets them: for @everyone or for the
   * bot's own role. The REST API enforces the result on the bot's messages, as Discord does.
   */
  overwrites?: OverwriteSpec[];
}

export interface OverwriteSpec {
  target: 'everyone' | 'bot';
  allow?: bigint;
  deny?: bigint;
}

export interface GuildSpec {
  id: string;
  name: string;
  channels: ChannelSpec[];
  ownerId?: string;
  /** Locale Discord reports as `guild_locale` on interactions (default "en-US"). */
  preferredLocale?: string;
  /** Roles besides @everyone and the bot's own (generated, e.g. for memory benches). */
  extraRoles?: number;
  /** Custom emojis (generated). */
  emojis?: number;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Route path without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` part. */
  body: unknown;
  headers: Record<string, string>;
  /** `performance.now()` when the request was fully read. */
  at: number;
  /** Status the server answered with. */
  status: number;
  /** Set when the response came from `failNext` fault injection. */
  failedWith?: number;
  /** Files of a multipart request. */
  files?: RecordedFile[];
}

export interface RecordedGatewayOp {
  /** Increments per WebSocket connection, starting at 1. */
  connection: number;
  op: number;
  d: unknown;
  at: number;
}

export interface RecordedIdentify {
  connection: number;
  shard: [id: number, count: number];
  at: number;
}

export interface RecordedGatewayConnection {
  connection: number;
  /** Query string the client connected with (v, encoding, compress…). */
  query: Record<string, string>;
  at: number;
  closedWith?: number;
}

export type PathPattern = string | RegExp;

/** A predicate, or a method/path matcher; a string path may use `:param` segments. */
export type RequestMatcher =
  | ((request: RecordedRequest) => boolean)
  | { method?: string; path?: PathPattern };

export interface FailRule {
  method?: string;
  path?: PathPattern;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface DiscordServerOptions {
  applicationId?: string;
  botUser?: APIUser;
  guilds?: GuildSpec[];
  /** Heartbeat interval sent in HELLO (default 41250, like Discord). */
  heartbeatIntervalMs?: number;
  /**
   * Apply Discord's intent rules to dispatches (default true): events are only sent to
   * sessions whose intents cover them, and guild messages lose content/embeds/attachments/
   * components unless the session has MESSAGE_CONTENT, the bot is mentioned, or the bot wrote them.
   */
  enforceIntents?: boolean;
  /**
   * Reject interaction callbacks arriving later than this after the interaction was
   * dispatched with 404 "Unknown interaction", as Discord does after 3 s (default 3000;
   * `Infinity` disables).
   */
  interactionDeadlineMs?: number;
  /** Validate request bodies against Discord's limits (default true). */
  validate?: boolean;
  /** What `GET /gateway/bot` recommends (default 1). */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` (default 1): identifies allowed per 5 s, one per bucket `shard_id % max_concurrency`. */
  maxConcurrency?: number;
  /**
   * Enforce the identify rate as Discord does: an IDENTIFY less than this long after the previous
   * one in its bucket is answered with an invalid session (default: not enforced).
   */
  identifyIntervalMs?: number;
  /**
   * Discord's per-channel limit on posting messages, with truthful rate-limit headers and a 429
   * past it (default: unlimited, every response says plenty remain).
   */
  channelMessageLimit?: { limit: number; windowMs: number };
  /** Discord's global limit in requests per second for the bot token, answered with a global 429 past it (default: none). */
  globalRequestsPerSecond?: number;
}
