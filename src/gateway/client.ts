import { ActivityType, Client, GatewayIntentBits, LimitedCollection, type CacheFactory, type ClientOptions, type User } from 'discord.js';
import type { Config } from '../config.ts';
import { restOptions } from '../rest-options.ts';
import type { ShardSelection } from './shards.ts';

/**
 * Discord sends the text of DMs and of messages that mention the bot with these. Guilds brings the
 * server events discord.js needs to get ready.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages] as const;
/**
 * The one privileged intent the bot asks for (unless MESSAGE_CONTENT=off): a reply to one of its
 * answers that does not ping it arrives empty without it. Enabled in the developer portal, with no
 * review for bots in fewer than 100 servers.
 */
export const MESSAGE_CONTENT_INTENT = GatewayIntentBits.MessageContent;

/**
 * Every discord.js cache holds nothing: the bot reads messages and interactions from the raw
 * packets, answers through REST, and learns what it may do in a channel from Discord's answers
 * (message-reply.ts), so it needs no servers, channels, roles, emojis, stickers, members, presences
 * or messages in memory. discord.js warns that limiting the guild, channel and role caches breaks
 * its features that read them; the bot uses none of those. Only its own user is kept.
 */
const leanCaches: CacheFactory = (_managerType, _holds, manager) =>
  manager.name === 'UserManager'
    ? new LimitedCollection<string, User>({ maxSize: 0, keepOverLimit: (user) => user.id === user.client.user?.id })
    : new LimitedCollection({ maxSize: 0 });

export interface ClientSettings extends Pick<Config, 'apiBase' | 'messageContent' | 'proxySecret'> {
  /** Shards this client connects (default 'auto': as many as Discord recommends). */
  shards?: ShardSelection;
  /** Replaces discord.js's identify throttler (the default waits per max_concurrency bucket within this process only). */
  buildIdentifyThrottler?: NonNullable<NonNullable<ClientOptions['ws']>['buildIdentifyThrottler']>;
}

export function createClient(settings: ClientSettings): Client {
  return new Client({
    intents: settings.messageContent === false ? [...INTENTS] : [...INTENTS, MESSAGE_CONTENT_INTENT],
    // A default for anything sent without explicit options; every reply also sets it itself.
    allowedMentions: { parse: [], repliedUser: false },
    presence: { activities: [{ type: ActivityType.Custom, name: 'BPO', state: 'Pytania o BPO · /zapytaj · /ask' }] },
    makeCache: leanCaches,
    // Nothing is cached, so there is nothing to sweep.
    sweepers: {},
    ...(settings.shards === undefined || settings.shards === 'auto' ? { shards: 'auto' as const } : { shards: [...settings.shards.ids], shardCount: settings.shards.count }),
    ...(settings.buildIdentifyThrottler ? { ws: { buildIdentifyThrottler: settings.buildIdentifyThrottler } } : {}),
    // discord.js asks this API for the gateway URL too (GET /gateway/bot), so one setting moves both.
    rest: restOptions(settings.apiBase, settings.proxySecret),
  });
}
