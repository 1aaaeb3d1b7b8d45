import type { APIUser, ChannelType } from 'discord-api-types/v10';

export interface ChannelSpec {
  id: string;
  name: string;
  type: ChannelType;
  /** Category the channel sits in, if any. */
  parentId?: string;
  topic?: string;
}

export interface GuildSpec {
  id: string;
  name: string;
  channels: ChannelSpec[];
  ownerId?: string;
  /** Locale Discord reports as `guild_locale` on interactions (default "en-US"). */
  preferredLocale?: string;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
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
}
