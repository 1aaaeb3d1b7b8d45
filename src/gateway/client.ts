import { WebSocketManager, WebSocketShardEvents, type SessionInfo, type WebSocketManager as WebSocketManagerClass } from '@discordjs/ws';
import { ActivityType, GatewayIntentBits, PresenceUpdateStatus } from 'discord-api-types/v10';
import { REST } from '@discordjs/rest';
import type { Config } from '../config.ts';
import { restOptions } from '../rest-options.ts';
import type { BuildIdentifyThrottler } from './identify.ts';
import type { ShardSelection } from './shards.ts';

export { WebSocketShardEvents as GatewayEvents };
export type Gateway = WebSocketManagerClass;

/** Discord sends the text of DMs and of messages that mention the bot with these. */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages] as const;
/**
 * The one privileged intent the bot asks for (unless MESSAGE_CONTENT=off): a reply to one of its
 * answers that does not ping it arrives empty without it. Enabled in the developer portal, with no
 * review for bots in fewer than 100 servers.
 */
export const MESSAGE_CONTENT_INTENT = GatewayIntentBits.MessageContent;

export interface ClientSettings extends Pick<Config, 'apiBase' | 'messageContent' | 'proxySecret'> {
  token: string;
  /** Shards this client connects (default 'auto': as many as Discord recommends). */
  shards?: ShardSelection;
  /** Replaces the identify throttler (the default waits per max_concurrency bucket within this process only). */
  buildIdentifyThrottler?: BuildIdentifyThrottler;
}

/** What the bot talks to Discord through: the REST client and the gateway connections. */
export interface DiscordClient {
  rest: REST;
  gateway: Gateway;
}

/**
 * The bot reads every event from the gateway as a plain payload and answers through REST, so it
 * needs no cache at all: rather than a discord.js Client with its caches turned off (which
 * discord.js does not support for servers, channels and roles), it uses the two layers discord.js
 * itself is built on, @discordjs/ws and @discordjs/rest. Events it did not ask for are payloads no
 * handler reads.
 */
export function createClient(settings: ClientSettings): DiscordClient {
  // The gateway address comes from this API too (GET /gateway/bot), so one setting moves both.
  const rest = new REST(restOptions(settings.apiBase, settings.proxySecret)).setToken(settings.token);
  // Each client keeps its own sessions: the library's default store is one per process, and a second
  // client there (a restart in place, a test) would try to resume the first one's sessions.
  const sessions = new Map<number, SessionInfo>();
  const intents = [...INTENTS, ...(settings.messageContent === false ? [] : [MESSAGE_CONTENT_INTENT])].reduce((all, intent) => all | intent, 0);
  const gateway = new WebSocketManager({
    token: settings.token,
    intents,
    rest,
    initialPresence: { activities: [{ type: ActivityType.Custom, name: 'BPO', state: 'Pytania o BPO · /zapytaj · /ask' }], status: PresenceUpdateStatus.Online, since: null, afk: false },
    ...(settings.shards === undefined || settings.shards === 'auto' ? {} : { shardIds: [...settings.shards.ids], shardCount: settings.shards.count }),
    ...(settings.buildIdentifyThrottler ? { buildIdentifyThrottler: settings.buildIdentifyThrottler } : {}),
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, session) => {
      if (session) sessions.set(shardId, session);
      else sessions.delete(shardId);
    },
  });
  return { rest, gateway };
}
