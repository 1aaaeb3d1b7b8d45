import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayCloseCodes, type APIInteraction, type GatewayReadyDispatchData } from 'discord-api-types/v10';
import type { BotContext, KnowledgeSource } from '../bot/context.ts';
import { InFlight } from '../bot/in-flight.ts';
import { createLimits } from '../bot/limits.ts';
import type { ConfigWith } from '../config.ts';
import { createDispatcher, describe } from '../interactions/dispatch.ts';
import { checkInteraction } from '../interactions/payload.ts';
import type { Logger } from '../log.ts';
import { ChannelRefusals } from './channel-refusals.ts';
import { createClient, GatewayEvents, type ClientSettings, type DiscordClient } from './client.ts';
import { GuildIds } from './guilds.ts';
import { redisIdentifyThrottler } from './identify.ts';
import { restResponder } from './interaction-responder.ts';
import { explainGatewayRefusal, GatewayRefusedError } from './login-failure.ts';
import { messageFacts, readMessage, type IncomingMessage } from './message-payload.ts';
import { messageQuestion } from './message-question.ts';
import { replySender } from './message-reply.ts';
import { handleMessage, viaOf, type MessageIO } from './messages.ts';
import { DmConversations } from '../bot/conversations.ts';
import { DEFAULT_OUTBOX, Outbox, type OutboxOptions, type OutboxStats } from './outbox.ts';
import { onRawEvents } from './raw-events.ts';
import { logRestTrouble } from './rest-log.ts';
import type { ShardSelection } from './shards.ts';
import { showTypingWhileRepliesWait } from './typing.ts';

/** How long `stop()` waits for replies in flight by default. */
const DEFAULT_DRAIN_MS = 4000;

export interface StopOptions {
  /** How long to wait for replies already being worked on before disconnecting anyway. */
  drainMs?: number;
}

export interface RunningBot {
  /** The REST client and the gateway connections. */
  client: DiscordClient;
  /** The bot's own user id, from READY. */
  readonly userId: string;
  /** The shards this process connects. */
  readonly shardIds: readonly number[];
  /** The servers this process's shards are in. */
  readonly guilds: number;
  /** The reply queue of DMs and mentions: what it holds now, and the most it ever held. */
  outbox(): OutboxStats;
  /** Questions being answered right now; after `stop()`, the replies it had to cut off. */
  readonly inFlight: number;
  /**
   * Stops taking new questions at once, waits for the replies in flight (up to `drainMs`), then
   * disconnects from the gateway and stops all timers. Calling it again waits for the same stop.
   */
  stop(options?: StopOptions): Promise<void>;
}

/**
 * Connects to Discord and answers until stopped. Resolves once the bot is ready (logged in, its
 * servers received); rejects if the login fails, e.g. on a wrong token (GatewayRefusedError when
 * the gateway closed the connection with a code that rules out retrying).
 */
export interface BotDeps {
  knowledge: KnowledgeSource;
  logger: Logger;
  /** Told of every answered question, after the reply went out (see BotContext.onAnswered). */
  onAnswered?: BotContext['onAnswered'];
  components?: BotContext['components'];
  /** Where questions and votes are stored; answers carry 👍/👎 when it is enabled. */
  feedback?: BotContext['feedback'];
  /** Servers' own answers (/wiedza, /faq); the command says it is off without them. */
  serverKnowledge?: BotContext['serverKnowledge'];
  /**
   * Called when the gateway closes for good after start-up (a reset token, say: discord.js does not
   * reconnect then). The bot is offline from that moment; `npm start` exits so a supervisor restarts it.
   */
  onGatewayLost?: (code: number) => void;
  /** How long to wait for READY at start-up (default LOGIN_TIMEOUT_MS). */
  loginTimeoutMs?: number;
  /** The reply queue's bounds (default DEFAULT_OUTBOX). */
  outbox?: Partial<OutboxOptions>;
  /**
   * Coordinates identifies with other processes without Redis (the shard manager's, see
   * identify.ts). With REDIS_URL set they are coordinated through Redis instead; with neither, by
   * discord.js within this process.
   */
  buildIdentifyThrottler?: ClientSettings['buildIdentifyThrottler'];
}

export type GatewayConfig = Pick<ConfigWith<'token'>, 'token' | 'apiBase' | 'proxySecret' | 'rateLimit' | 'redisUrl' | 'messageContent' | 'feedback'> & {
  /** The shards this process connects (see shardsForProcess); unset, as many as Discord recommends. */
  shardSelection?: ShardSelection;
};

export async function startBot(config: GatewayConfig, deps: BotDeps): Promise<RunningBot> {
  const { logger } = deps;
  const limits = createLimits({ questions: config.rateLimit, redisUrl: config.redisUrl, keySecret: config.feedback?.secret, logger });
  const ctx: BotContext = {
    knowledge: deps.knowledge,
    logger,
    limits,
    ...(deps.onAnswered ? { onAnswered: deps.onAnswered } : {}),
    ...(deps.components ? { components: deps.components } : {}),
    ...(deps.feedback ? { feedback: deps.feedback } : {}),
    ...(deps.serverKnowledge ? { serverKnowledge: deps.serverKnowledge } : {}),
  };
  const sharedIdentify = config.redisUrl ? redisIdentifyThrottler(config.redisUrl, config.token, logger) : undefined;
  const buildIdentifyThrottler = sharedIdentify?.build ?? deps.buildIdentifyThrottler;
  const client = createClient({
    token: config.token,
    apiBase: config.apiBase,
    ...(config.proxySecret ? { proxySecret: config.proxySecret } : {}),
    ...(config.messageContent === false ? { messageContent: false } : {}),
    ...(config.shardSelection ? { shards: config.shardSelection } : {}),
    ...(buildIdentifyThrottler ? { buildIdentifyThrottler } : {}),
  });
  const inFlight = new InFlight();
  let accepting = true;
  const guilds = new GuildIds();
  const refusals = new ChannelRefusals();
  const outbox = new Outbox({ ...DEFAULT_OUTBOX, ...deps.outbox }, logger);
  const conversations = new DmConversations();
  let botId: string | undefined;
  // What the message path sends through, once READY has named the bot.
  let io: MessageIO | undefined;

  // Every event that may lead to a reply goes through here: refused once stopping, tracked otherwise.
  const admit = (describe: () => Record<string, unknown>, work: () => Promise<void>) => {
    if (!accepting) {
      logger.info(describe(), 'not answering: shutting down');
      return;
    }
    inFlight.track(work());
  };

  const dispatch = createDispatcher(ctx, 'gateway');
  const replies = replySender(client.rest, refusals, logger);
  const forgetGuild = (data: unknown) => {
    const guildId = (data as { guild_id?: unknown } | null)?.guild_id;
    if (typeof guildId === 'string') refusals.forgetGuild(guildId);
  };
  const forgetChannel = (data: unknown) => {
    const channelId = (data as { id?: unknown } | null)?.id;
    if (typeof channelId === 'string') refusals.forgetChannel(channelId);
  };
  onRawEvents(client.gateway, {
    READY: (data) => {
      const id = (data as { user?: { id?: unknown } } | null)?.user?.id;
      if (typeof id === 'string') {
        botId = id;
        io = { botId: id, outbox, replies, conversations };
      }
      guilds.ready(data);
    },
    GUILD_CREATE: (data, shardId) => {
      if (guilds.created(data) === 'joined') logger.info({ shardId, guildId: (data as { id: string }).id, guilds: guilds.size }, 'added to a server');
    },
    GUILD_DELETE: (data, shardId) => {
      if (guilds.deleted(data) === 'left') logger.info({ shardId, guildId: (data as { id: string }).id, guilds: guilds.size }, 'removed from a server');
      const guildId = (data as { id?: unknown } | null)?.id;
      if (typeof guildId === 'string') refusals.forgetGuild(guildId);
    },
    // What the bot may do in a channel changes with these; what Discord refused it there is forgotten.
    CHANNEL_UPDATE: forgetChannel,
    CHANNEL_DELETE: forgetChannel,
    THREAD_UPDATE: forgetChannel,
    THREAD_DELETE: forgetChannel,
    GUILD_ROLE_CREATE: forgetGuild,
    GUILD_ROLE_UPDATE: forgetGuild,
    GUILD_ROLE_DELETE: forgetGuild,
    GUILD_MEMBER_UPDATE: (data) => {
      if ((data as { user?: { id?: unknown } } | null)?.user?.id === botId) forgetGuild(data);
    },
    INTERACTION_CREATE: (payload) => {
      admit(
        () => describeInteraction(payload),
        async () => {
          const responder = restResponder(client.rest, payload as APIInteraction);
          // The dispatcher logs every failure itself; this only keeps a bug in it from going unseen.
          await dispatch(payload, responder).catch((error: unknown) => logger.error({ err: error }, 'interaction dispatch failed'));
        },
      );
    },
    MESSAGE_CREATE: (data) => {
      const message = readMessage(data);
      const messageIO = io;
      if (!message || messageIO === undefined) return;
      // Most server messages are not for the bot at all: refusing those is not worth a log line.
      if (!accepting && !addressesBot(message, messageIO.botId)) return;
      // Nor is queueing any work for them: they are told apart here, at once.
      const question = messageQuestion(messageFacts(message, messageIO.botId));
      if (question.kind === 'ignore') {
        if (accepting) logger.trace({ messageId: message.id, reason: question.reason }, 'message ignored');
        else admit(() => describeMessage(message, messageIO.botId), async () => undefined);
        return;
      }
      admit(
        () => describeMessage(message, messageIO.botId),
        () =>
          handleMessage(message, question, ctx, messageIO).catch((error: unknown) => {
            logger.error({ err: error, ...describeMessage(message, messageIO.botId) }, 'message handling failed');
          }),
      );
    },
  });
  logRestTrouble(client.rest, logger);
  showTypingWhileRepliesWait(client.rest, logger);
  let ready = false;
  const closes: GatewayCloses = { last: undefined };
  const { gateway } = client;
  // Before READY these are the login failing, which startBot's caller explains in one sentence.
  gateway.on(GatewayEvents.Error, ({ error, shardId }) => logger[ready ? 'warn' : 'debug']({ err: error, shardId }, 'gateway connection error'));
  // Every close, with its code (1006 network, 4000 Discord-side error…), before READY too: the
  // library reconnects on its own, so without this a gateway that keeps closing leaves no trace.
  gateway.on(GatewayEvents.Closed, ({ code, shardId }) => {
    closes.last = code;
    if (!accepting) return; // our own disconnect at the end of a stop is no news
    logger.warn({ shardId, code, reason: closeCodeName(code), beforeReady: !ready }, 'gateway connection closed');
    if (!ready) return; // a failed login, explained by the caller
    // After these the library does not reconnect (a reset token, say): the bot stays offline.
    if (FINAL_CLOSE_CODES.has(code)) {
      logger.error({ shardId, code }, 'gateway disconnected for good');
      deps.onGatewayLost?.(code);
    } else {
      logger.info({ shardId }, 'gateway reconnecting');
    }
  });
  gateway.on(GatewayEvents.Resumed, ({ shardId }) => logger.info({ shardId }, 'gateway session resumed'));
  gateway.on(GatewayEvents.Ready, ({ shardId }) => {
    // Also at start-up; afterwards it means a new session replaced an invalidated one.
    if (ready) logger.info({ shardId }, 'gateway session restarted');
  });

  let readyData: GatewayReadyDispatchData;
  let shardIds: number[];
  try {
    await limits.ready();
    readyData = await logIn(client, deps.loginTimeoutMs ?? LOGIN_TIMEOUT_MS, closes);
    shardIds = await gateway.getShardIds();
  } catch (error) {
    await Promise.all([limits.close(), sharedIdentify?.close()]);
    throw error;
  }
  ready = true;
  const { user } = readyData;
  logger.info(
    { botUserId: user.id, user: user.discriminator && user.discriminator !== '0' ? `${user.username}#${user.discriminator}` : user.username, applicationId: readyData.application.id, guilds: guilds.size, shards: shardIds },
    'ready',
  );

  let stopped: Promise<void> | undefined;
  const stop = async ({ drainMs = DEFAULT_DRAIN_MS }: StopOptions): Promise<void> => {
    accepting = false;
    const abandoned = await inFlight.drain(drainMs);
    if (abandoned > 0) logger.warn({ abandoned, drainMs }, 'stopped waiting for replies in flight');
    await gateway.destroy({ code: 1000 });
    await Promise.all([limits.close(), sharedIdentify?.close()]);
  };
  return {
    client,
    userId: user.id,
    shardIds,
    get guilds() {
      return guilds.size;
    },
    outbox: () => outbox.stats(),
    get inFlight() {
      return inFlight.size;
    },
    stop: (options = {}) => (stopped ??= stop(options)),
  };
}

/** How long start-up waits for the gateway to say READY before giving up with a clear error. */
const LOGIN_TIMEOUT_MS = 30_000;

const DESTROY_WAIT_MS = 2000;

/** Raised when the gateway accepted the connection but never got the bot ready in time. */
export class LoginTimeoutError extends Error {
  constructor(
    timeoutMs: number,
    /** The close code of the last connection the gateway closed meanwhile, if it closed any. */
    readonly lastCloseCode?: number,
  ) {
    const closed = lastCloseCode === undefined ? '' : `; it last closed the connection with code ${lastCloseCode} (${closeCodeName(lastCloseCode)})`;
    super(`the gateway did not get the bot ready within ${Math.round(timeoutMs / 1000)} s${closed}`);
    this.name = 'LoginTimeoutError';
  }
}

function closeCodeName(code: number): string {
  return GatewayCloseCodes[code] ?? (code === 1006 ? 'connection lost' : code === 1000 ? 'normal closure' : 'unknown');
}

/** Close codes after which the gateway library does not reconnect: retrying cannot help. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

interface GatewayCloses {
  /** The most recent close code, if any connection has closed. */
  last: number | undefined;
}

/**
 * Connects every shard and waits for READY on all of them. A gateway close that rules out retrying
 * becomes a GatewayRefusedError; a gateway that never gets the bot ready, a LoginTimeoutError (the
 * library would retry for ever).
 */
async function logIn({ gateway }: DiscordClient, timeoutMs: number, closes: GatewayCloses): Promise<GatewayReadyDispatchData> {
  let refusedWith: number | undefined;
  const onClosed = ({ code }: { code: number }) => {
    if (FINAL_CLOSE_CODES.has(code)) refusedWith = code;
  };
  let first: GatewayReadyDispatchData | undefined;
  const onReady = ({ data }: { data: GatewayReadyDispatchData }) => {
    first ??= data;
  };
  gateway.on(GatewayEvents.Closed, onClosed);
  gateway.on(GatewayEvents.Ready, onReady);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LoginTimeoutError(timeoutMs, closes.last)), timeoutMs);
  });
  try {
    await Promise.race([gateway.connect(), timeout]);
    if (!first) throw new Error('the gateway connected without READY');
    return first;
  } catch (error) {
    // A connection still waiting for the gateway can keep destroy() waiting too; do not let it hold up the error.
    await Promise.race([Promise.resolve(gateway.destroy({ code: 1000 })).catch(() => undefined), sleep(DESTROY_WAIT_MS, undefined, { ref: false })]);
    throw refusedWith === undefined ? error : new GatewayRefusedError(refusedWith, explainGatewayRefusal(refusedWith), { cause: error });
  } finally {
    clearTimeout(timer);
    gateway.off(GatewayEvents.Closed, onClosed);
    gateway.off(GatewayEvents.Ready, onReady);
  }
}

/** Log context for an interaction refused during shutdown. */
function describeInteraction(payload: unknown): Record<string, unknown> {
  const checked = checkInteraction(payload);
  if (!checked.ok) return { problem: checked.problem };
  const via = checked.interaction.type === 4 ? 'autocomplete' : checked.interaction.type === 3 ? 'button' : 'slash';
  return { via, ...describe(checked.interaction) };
}

/** A DM, a mention or a reply to the bot from a person: what the bot would answer (the handler decides exactly). */
function addressesBot(message: IncomingMessage, botId: string): boolean {
  if (message.authorIsBot) return false;
  return message.guildId === null || message.mentionIds.includes(botId) || message.repliesTo?.authorId === botId;
}

function describeMessage(message: IncomingMessage, botId: string): Record<string, unknown> {
  return {
    via: viaOf(message, botId),
    userId: message.authorId,
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.id,
  };
}
