import { ActivityType, Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { Config } from '../config.ts';

/**
 * No privileged intent: Discord still sends the text of DMs and of messages that mention the bot,
 * which is all the bot reads. Guilds is needed for channels and permissions.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages] as const;

/** A DM channel is not cached before its first message arrives; without this partial, DMs are dropped. */
export const PARTIALS = [Partials.Channel] as const;

/** Users kept in memory; authors of recent questions, the bot itself is always kept. */
const MAX_CACHED_USERS = 500;

export function createClient(config: Pick<Config, 'apiBase'>): Client {
  const client = new Client({
    intents: [...INTENTS],
    partials: [...PARTIALS],
    // A default for anything sent without explicit options; every reply also sets it itself.
    allowedMentions: { parse: [], repliedUser: false },
    // If the question was deleted before the answer went out, post the answer without the reply link.
    failIfNotExists: false,
    presence: { activities: [{ type: ActivityType.Custom, name: 'BPO', state: 'Pytania o BPO · /zapytaj · /ask' }] },
    // The bot answers the event in hand and never looks back: keep only what permission checks need
    // (guilds, channels, roles and its own member) and cap the rest.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      ThreadMemberManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      EntitlementManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: MAX_CACHED_USERS, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
    sweepers: Options.DefaultSweeperSettings,
    // discord.js asks this API for the gateway URL too (GET /gateway/bot), so one setting moves both.
    rest: config.apiBase ? { api: config.apiBase } : {},
  });
  return client;
}
