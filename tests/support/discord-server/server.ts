/**
 * A Discord stand-in on 127.0.0.1 (REST under /api/v10 and the gateway at /gateway on one
 * port) that a real discord.js Client can log in to: `new Client({ rest: { api: server.apiBase } })`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageType, type APIInteraction, type APIUser, type GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { Gateway } from './gateway.ts';
import { commandIdFor, makeInteractionBase } from './interactions.ts';
import {
  DEFAULT_APPLICATION_ID,
  DEFAULT_BOT_USER,
  DEFAULT_GUILDS,
  makeDmMessage,
  makeGuildMessage,
  makeMemberNoUser,
  type MessageInit,
} from './payloads.ts';
import { RestApi, pathMatches } from './rest.ts';
import { DiscordState } from './state.ts';
import type {
  DiscordServerOptions,
  FailRule,
  GuildSpec,
  RecordedGatewayConnection,
  RecordedGatewayOp,
  RecordedIdentify,
  RecordedRequest,
  RequestMatcher,
} from './types.ts';

export interface DiscordTestServer {
  /** e.g. `http://127.0.0.1:PORT/api`; discord.js appends `/v10`. */
  readonly apiBase: string;
  /** e.g. `ws://127.0.0.1:PORT/gateway`. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: GuildSpec[];
  readonly requests: RecordedRequest[];
  /** IDENTIFY payloads (`d`), oldest first. */
  readonly identifies: Record<string, unknown>[];
  /** When each accepted IDENTIFY arrived (performance.now()) and for which shard, oldest first. */
  readonly identifyLog: RecordedIdentify[];
  /** IDENTIFYs refused for coming too soon after another in their bucket (with `identifyIntervalMs`). */
  readonly identifyRateViolations: number;
  /** Live sessions by shard id: which shards are connected and identified now. */
  liveShards(): number[];
  /** Every payload received on any gateway connection. */
  readonly gatewayOps: RecordedGatewayOp[];
  readonly gatewayConnections: RecordedGatewayConnection[];
  /** Gateway sockets currently open and not being closed by the server. */
  readonly openConnections: number;
  /** The server's memory of channels, messages, interactions and registered commands. */
  readonly state: DiscordState;
  waitForRequest(match: RequestMatcher, timeoutMs?: number): Promise<RecordedRequest>;
  waitForGatewayOp(match: (op: RecordedGatewayOp) => boolean, timeoutMs?: number): Promise<RecordedGatewayOp>;
  dispatch(eventName: string, data: unknown): number;
  /**
   * Dispatches a complete MESSAGE_CREATE. Guild message by default (first guild, its first
   * text channel); a DM when `dm` is set or `channel_id` is not a guild channel.
   */
  sendMessage(partial?: MessageInit & { dm?: boolean }): GatewayMessageCreateDispatchData;
  /**
   * Dispatches a reply to a stored message, in its channel, as Discord does: type Reply, a
   * `message_reference`, the replied-to message as `referenced_message`, and its author added to
   * `mentions` when the reply pings (`ping`, Discord's default in the client).
   */
  sendReply(to: string, partial?: MessageInit & { ping?: boolean }): GatewayMessageCreateDispatchData;
  sendInteraction<T extends APIInteraction = APIInteraction>(partial?: Partial<T>): T;
  closeGateway(code: number, reason?: string): number;
  invalidateSession(resumable: boolean): number;
  requestReconnect(): number;
  failNext(rule: FailRule): void;
  setRestDelay(ms: number): void;
  /** Treats `token` as invalid from now on: REST answers 401 and IDENTIFY is closed with 4004. */
  rejectToken(token: string): void;
  /** Closes the next IDENTIFY with `code` instead of answering READY (4014: disallowed intents, 4004: bad token…). */
  refuseNextIdentify(code: number, reason?: string): void;
  /** Accepts gateway connections from now on but never sends HELLO, as an unresponsive gateway would. */
  hangGateway(): void;
  close(): Promise<void>;
}

function describeMatcher(match: RequestMatcher): string {
  if (typeof match === 'function') return `a request matching ${match.toString().slice(0, 120)}`;
  return `${match.method ?? 'any method'} ${match.path?.toString() ?? 'any path'}`;
}

function toPredicate(match: RequestMatcher): (r: RecordedRequest) => boolean {
  if (typeof match === 'function') return match;
  return (r) =>
    (!match.method || match.method.toUpperCase() === r.method) && (!match.path || pathMatches(match.path, r.path));
}

export async function startDiscordServer(options: DiscordServerOptions = {}): Promise<DiscordTestServer> {
  const applicationId = options.applicationId ?? options.botUser?.id ?? DEFAULT_APPLICATION_ID;
  const botUser: APIUser = options.botUser ?? { ...DEFAULT_BOT_USER, id: applicationId };
  const guilds = options.guilds ?? DEFAULT_GUILDS;
  const state = new DiscordState(applicationId, botUser, guilds);

  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}/gateway`;
  const gatewayInfo = { recommendedShards: options.recommendedShards ?? 1, maxConcurrency: options.maxConcurrency ?? 1 };
  const gateway = new Gateway({
    state,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    enforceIntents: options.enforceIntents ?? true,
    url: gatewayUrl,
    maxConcurrency: gatewayInfo.maxConcurrency,
    identifyIntervalMs: options.identifyIntervalMs,
  });
  const rest = new RestApi({
    state,
    gatewayUrl,
    gateway: gatewayInfo,
    validate: options.validate ?? true,
    interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
    channelMessageLimit: options.channelMessageLimit,
    globalRequestsPerSecond: options.globalRequestsPerSecond,
  });

  const http = createServer((req, res) => {
    rest.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `test server error: ${String(err)}`, code: 0 }));
    });
  });
  http.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;

  const resolveUser = (id: string) => state.users.get(id);

  const server: DiscordTestServer = {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    port,
    applicationId,
    botUser,
    guilds,
    state,
    requests: rest.requests.items,
    identifies: gateway.identifies,
    identifyLog: gateway.identifyLog,
    get identifyRateViolations() {
      return gateway.identifyRateViolations;
    },
    liveShards: () => gateway.liveShards(),
    gatewayOps: gateway.ops.items,
    gatewayConnections: gateway.connections,
    get openConnections() {
      return gateway.openConnections;
    },
    waitForRequest: (match, timeoutMs = 5000) =>
      rest.requests.waitFor(toPredicate(match), timeoutMs, describeMatcher(match)),
    waitForGatewayOp: (match, timeoutMs = 5000) => gateway.ops.waitFor(match, timeoutMs, 'a gateway op'),
    dispatch: (eventName, data) => gateway.dispatch(eventName, data),

    sendMessage({ dm = false, ...partial } = {}) {
      const ctx = { botUser, resolveUser };
      // A message is a guild message when it names a guild or a guild channel; otherwise a DM.
      const guildId = dm
        ? undefined
        : (partial.guild_id ?? (partial.channel_id ? state.guildOfChannel(partial.channel_id) : guilds[0]?.id));
      let message: GatewayMessageCreateDispatchData;
      if (guildId) {
        const channelId = partial.channel_id ?? state.firstTextChannel(guildId);
        message = makeGuildMessage({ ...partial, guild_id: guildId, ...(channelId && { channel_id: channelId }) }, ctx);
      } else {
        message = makeDmMessage(partial, ctx);
        state.dmChannelFor(message.author, message.channel_id);
      }
      gateway.dispatch('MESSAGE_CREATE', message);
      return message;
    },

    sendReply(to, { ping = true, ...partial } = {}) {
      const referenced = state.messages.get(to);
      if (!referenced) throw new Error(`no stored message ${to} to reply to`);
      const guildId = state.guildOfChannel(referenced.channel_id);
      const ctx = { botUser, resolveUser };
      const init: MessageInit = {
        ...partial,
        channel_id: referenced.channel_id,
        type: MessageType.Reply,
        message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id, ...(guildId ? { guild_id: guildId } : {}) },
        referenced_message: referenced,
      };
      const message = guildId ? makeGuildMessage({ ...init, guild_id: guildId }, ctx) : makeDmMessage(init, ctx);
      const written = message.mentions.map((user) => user.id);
      if (ping && !written.includes(referenced.author.id)) {
        message.mentions = [...message.mentions, guildId ? { ...referenced.author, member: makeMemberNoUser() } : referenced.author];
      }
      if (!guildId) state.dmChannelFor(message.author, message.channel_id);
      gateway.dispatch('MESSAGE_CREATE', message);
      return message;
    },

    sendInteraction<T extends APIInteraction = APIInteraction>(input: Partial<T> = {}): T {
      const partial = input as Record<string, unknown>;
      const guildId = typeof partial.guild_id === 'string' ? partial.guild_id : undefined;
      const dm = !guildId && partial.user !== undefined && partial.member === undefined;
      const channelId =
        (partial.channel as { id?: string } | undefined)?.id ??
        (typeof partial.channel_id === 'string' ? partial.channel_id : undefined) ??
        (guildId ? state.firstTextChannel(guildId) : dm ? undefined : state.firstTextChannel(guilds[0]?.id ?? ''));
      const base = makeInteractionBase({
        applicationId,
        dm,
        ...(guildId && { guildId }),
        ...(!dm && !guildId && guilds[0] && { guildId: guilds[0].id }),
        ...(channelId && { channelId }),
        ...(dm && { user: partial.user as APIUser }),
        ...(!dm && guilds[0]?.preferredLocale && { guildLocale: guilds[0].preferredLocale }),
      });
      // The real channel object, when the server knows it, so discord.js sees its name and type.
      const known = state.channels.get(base.channel_id);
      const interaction = {
        type: 2,
        data: { id: commandIdFor('ping'), name: 'ping', type: 1 },
        ...base,
        ...partial,
        ...(known && { channel: known }),
      } as unknown as T;
      gateway.dispatch('INTERACTION_CREATE', interaction);
      return interaction;
    },

    closeGateway: (code, reason) => gateway.closeConnections(code, reason),
    invalidateSession: (resumable) => gateway.invalidateSessions(resumable),
    requestReconnect: () => gateway.requestReconnect(),
    failNext: (rule) => rest.failNext(rule),
    setRestDelay: (ms) => rest.setDelay(ms),
    rejectToken(token) {
      rest.rejectToken(token);
      gateway.rejectToken(token);
    },
    refuseNextIdentify: (code, reason) => gateway.refuseNextIdentify(code, reason),
    hangGateway: () => gateway.hang(),

    async close() {
      gateway.close();
      rest.requests.rejectAll('The Discord test server was closed');
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
