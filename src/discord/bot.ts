import { once } from 'node:events';
import { Events, type Client } from 'discord.js';
import type { Answerer } from '../answering/answer.ts';
import type { ConfigWith } from '../config.ts';
import type { Logger } from '../log.ts';
import { createClient } from './client.ts';
import type { BotContext } from './context.ts';
import { createInteractionHandler } from './handlers/interaction.ts';
import { handleMessage } from './handlers/message.ts';

export interface RunningBot {
  client: Client<true>;
  /** Disconnects from the gateway and stops all timers. */
  stop(): Promise<void>;
}

/**
 * Connects to Discord and answers until stopped. Resolves once the bot is ready (logged in, its
 * servers received); rejects if the login fails, e.g. on a wrong token.
 */
export async function startBot(config: ConfigWith<'token'>, deps: { answerer: Answerer; logger: Logger }): Promise<RunningBot> {
  const { logger } = deps;
  const ctx: BotContext = { answerer: deps.answerer, logger };
  const client = createClient(config);

  client.on(Events.InteractionCreate, createInteractionHandler(ctx));
  client.on(Events.MessageCreate, (message) => {
    handleMessage(message, ctx).catch((error: unknown) => {
      logger.error(
        { err: error, via: message.inGuild() ? 'mention' : 'dm', userId: message.author.id, guildId: message.guildId, channelId: message.channelId, messageId: message.id },
        'message handling failed',
      );
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'client error'));
  client.on(Events.Warn, (warning) => logger.warn({ warning }, 'client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway session resumed'));
  client.on(Events.GuildCreate, (guild) => {
    // Also fired for each server at start-up; only joins after that are news.
    if (client.isReady()) logger.info({ guildId: guild.id, guilds: client.guilds.cache.size }, 'added to a server');
  });
  client.on(Events.GuildDelete, (guild) => logger.info({ guildId: guild.id, guilds: client.guilds.cache.size }, 'removed from a server'));

  const ready = once(client, Events.ClientReady) as Promise<[Client<true>]>;
  try {
    await client.login(config.token);
  } catch (error) {
    await client.destroy();
    throw error;
  }
  const [readyClient] = await ready;
  logger.info(
    { userId: readyClient.user.id, user: readyClient.user.tag, applicationId: readyClient.application.id, guilds: readyClient.guilds.cache.size },
    'ready',
  );
  return { client: readyClient, stop: () => readyClient.destroy() };
}
