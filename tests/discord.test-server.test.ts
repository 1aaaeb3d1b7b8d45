/**
 * Proves the Discord test server is faithful enough for a real discord.js Client: login,
 * messages (guild and DM), slash commands, autocomplete, buttons, gateway resume/re-identify,
 * and REST retries on 429/5xx.
 */
import { Client, ChannelType, Events, GatewayIntentBits, Partials, type ClientEvents, type Message } from 'discord.js';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  startDiscordServer,
  type DiscordTestServer,
} from './support/discord-server/index.ts';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
/** vi.waitFor defaults to 1 s, too tight for a loaded CI machine. */
const WAIT = { timeout: 5000 };
const MESSAGES_PATH = `/channels/${DEFAULT_CHANNEL_ID}/messages`;

let server: DiscordTestServer;
let client: Client | undefined;

async function startBot(): Promise<Client> {
  const bot = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: server.apiBase } });
  client = bot;
  const ready = nextEvent(bot, Events.ClientReady);
  await bot.login('test-token');
  await ready;
  return bot;
}

/** The next emission of `event` that passes `filter`. */
function nextEvent<K extends keyof ClientEvents>(
  emitter: Client,
  event: K,
  filter: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[K]) => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener as never);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener as never);
  });
}

/** Collects every message the client receives, so a test cannot miss one that arrives early. */
function collectMessages(bot: Client): Message[] {
  const messages: Message[] = [];
  bot.on(Events.MessageCreate, (message) => messages.push(message));
  return messages;
}

const mentionBot = (text: string) => `<@${server.botUser.id}> ${text}`;

beforeEach(async () => {
  server = await startDiscordServer({ heartbeatIntervalMs: 1000 });
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await server.close();
});

describe('login', () => {
  it('reaches ready with the bot user and the guild cached, and sends the requested intents', async () => {
    const bot = await startBot();

    expect(bot.user?.id).toBe(server.botUser.id);
    expect(bot.user?.bot).toBe(true);
    const guild = bot.guilds.cache.get(DEFAULT_GUILD_ID);
    expect(guild?.name).toBe('Test Guild');
    expect(guild?.channels.cache.get(DEFAULT_CHANNEL_ID)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(server.botUser.id);
    expect(bot.application?.id).toBe(server.applicationId);

    expect(server.identifies).toHaveLength(1);
    expect(server.identifies[0]).toMatchObject({
      token: 'test-token',
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages,
      shard: [0, 1],
    });
    const gatewayBot = await server.waitForRequest({ method: 'GET', path: '/gateway/bot' });
    expect(gatewayBot.headers.authorization).toBe('Bot test-token');
    // Without the optional zlib-sync package discord.js asks for neither compression nor ETF.
    expect(server.gatewayConnections[0]?.query).toEqual({ v: '10', encoding: 'json' });
  });

  it('rejectToken: REST answers 401 for that token only, and its IDENTIFY is closed with 4004', async () => {
    server.rejectToken('reset-token');
    const bot = new Client({ intents: INTENTS, rest: { api: server.apiBase } });
    client = bot;
    await expect(bot.login('reset-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect((await server.waitForRequest({ method: 'GET', path: '/gateway/bot' })).status).toBe(401);

    const socket = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    socket.once('message', () => socket.send(JSON.stringify({ op: 2, d: { token: 'reset-token', intents: 0, properties: {} } })));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
    expect(server.identifies).toEqual([]);

    await startBot();
    expect(server.identifies).toHaveLength(1);
  });

  it('refuseNextIdentify: the next IDENTIFY is closed with the code, the one after succeeds', async () => {
    server.refuseNextIdentify(4014);
    const refused = new Client({ intents: INTENTS, rest: { api: server.apiBase } });
    await expect(refused.login('test-token')).rejects.toThrow('Used disallowed intents');
    await refused.destroy();
    await vi.waitFor(() => expect(server.gatewayConnections[0]?.closedWith).toBe(4014), WAIT);

    await startBot();
    expect(server.identifies).toHaveLength(1);
  });
});

describe('messages', () => {
  it('delivers a guild MESSAGE_CREATE and records message.reply as a POST with message_reference', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.MessageCreate);
    const sent = server.sendMessage({ content: mentionBot('ping') });

    const [message] = await received;
    expect(message.id).toBe(sent.id);
    expect(message.guildId).toBe(DEFAULT_GUILD_ID);
    expect(message.content).toBe(mentionBot('ping'));
    expect(message.mentions.users.has(server.botUser.id)).toBe(true);
    expect(message.member?.id).toBe(sent.author.id);

    const reply = await message.reply('pong');
    const request = await server.waitForRequest({ method: 'POST', path: MESSAGES_PATH });
    expect(request.body).toMatchObject({ content: 'pong', message_reference: { message_id: sent.id } });
    expect(request.status).toBe(200);
    expect(reply.content).toBe('pong');
    expect(reply.author.id).toBe(server.botUser.id);
    expect(reply.reference?.messageId).toBe(sent.id);
    expect(reply.mentions.repliedUser?.id).toBe(sent.author.id);
  });

  it('blanks guild message content without the MESSAGE_CONTENT intent unless the bot is mentioned', async () => {
    const bot = await startBot();
    const messages = collectMessages(bot);
    const plain = server.sendMessage({ content: 'just chatting' });
    const mention = server.sendMessage({ content: mentionBot('what is BPO?') });

    await vi.waitFor(() => expect(messages).toHaveLength(2), WAIT);
    expect(messages.find((m) => m.id === plain.id)?.content).toBe('');
    expect(messages.find((m) => m.id === mention.id)?.content).toBe(mentionBot('what is BPO?'));
  });

  it('delivers a DM from an uncached channel (Partials.Channel) and channel.send reaches the DM channel', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.MessageCreate);
    const sent = server.sendMessage({ dm: true, content: 'hi in a DM' });
    expect(sent.guild_id).toBeUndefined();

    const [message] = await received;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.guildId).toBeNull();
    expect(message.content).toBe('hi in a DM');
    if (!message.channel.isSendable()) throw new Error('DM channel should be sendable');
    const answer = await message.channel.send('hello back');

    const request = await server.waitForRequest({ method: 'POST', path: `/channels/${sent.channel_id}/messages` });
    expect(request.body).toMatchObject({ content: 'hello back' });
    expect(answer.channelId).toBe(sent.channel_id);
  });
});

describe('interactions', () => {
  it('delivers a chat-input command and interaction.reply posts callback type 4', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.InteractionCreate);
    const sent = server.sendInteraction(
      makeChatInputInteraction({ name: 'ask', options: { question: 'Co to BPO?' }, locale: 'pl' }),
    );

    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('Co to BPO?');
    expect(interaction.locale).toBe('pl');
    expect(interaction.guildId).toBe(DEFAULT_GUILD_ID);
    expect(interaction.channel?.id).toBe(DEFAULT_CHANNEL_ID);

    await interaction.reply({ content: 'BPO to outsourcing procesów biznesowych.' });
    const request = await server.waitForRequest({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(request.body).toMatchObject({ type: 4, data: { content: 'BPO to outsourcing procesów biznesowych.' } });
    expect(request.status).toBe(204);
    // Interaction callbacks are authorised by the token in the URL, not the bot token.
    expect(request.headers.authorization).toBeUndefined();
    expect(server.state.interactions.get(sent.token)?.original?.content).toBe('BPO to outsourcing procesów biznesowych.');
  });

  it('deferReply then editReply: callback type 5, then PATCH @original', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.InteractionCreate);
    const sent = server.sendInteraction(makeChatInputInteraction({ name: 'ask', options: { question: 'x' } }));
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');

    await interaction.deferReply();
    const edited = await interaction.editReply('done');

    const callback = await server.waitForRequest({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(callback.body).toMatchObject({ type: 5 });
    const patch = await server.waitForRequest({
      method: 'PATCH',
      path: `/webhooks/${sent.application_id}/${sent.token}/messages/@original`,
    });
    expect(patch.body).toMatchObject({ content: 'done' });
    expect(patch.at).toBeGreaterThan(callback.at);
    expect(edited.content).toBe('done');
    expect(edited.author.id).toBe(server.botUser.id);
  });

  it('answers autocomplete with callback type 8 and the choices', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.InteractionCreate);
    const sent = server.sendInteraction(
      makeAutocompleteInteraction({ name: 'ask', focusedOption: 'question', value: 'BP', locale: 'pl' }),
    );
    const [interaction] = await received;
    if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
    expect(interaction.options.getFocused()).toBe('BP');

    await interaction.respond([{ name: 'Co to BPO?', value: 'Co to BPO?' }]);
    const request = await server.waitForRequest({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(request.body).toEqual({ type: 8, data: { choices: [{ name: 'Co to BPO?', value: 'Co to BPO?' }] } });
  });

  it('delivers a button click and interaction.update posts callback type 7', async () => {
    const bot = await startBot();
    const received = nextEvent(bot, Events.InteractionCreate);
    const sent = server.sendInteraction(makeButtonInteraction({ customId: 'more:1', locale: 'en-US' }));
    const [interaction] = await received;
    if (!interaction.isButton()) throw new Error('expected a button');
    expect(interaction.customId).toBe('more:1');
    expect(interaction.message.id).toBe(sent.message.id);

    await interaction.update({ content: 'expanded', components: [] });
    const request = await server.waitForRequest({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(request.body).toMatchObject({ type: 7, data: { content: 'expanded', components: [] } });
  });
});

describe('gateway reconnection', () => {
  for (const code of [4000, 1006]) {
    it(`after close ${code} the client resumes and receives the message dispatched meanwhile`, async () => {
      const bot = await startBot();
      const messages = collectMessages(bot);
      const resumed = nextEvent(bot, Events.ShardResume);

      expect(server.closeGateway(code)).toBe(1);
      const missed = server.sendMessage({ content: mentionBot(`sent during ${code}`) });

      const resume = await server.waitForGatewayOp((op) => op.op === 6);
      expect(resume.connection).toBe(2);
      expect(resume.d).toMatchObject({ token: 'test-token', seq: expect.any(Number) });
      await resumed;
      await vi.waitFor(() => expect(messages.map((m) => m.id)).toContain(missed.id), WAIT);
      expect(server.identifies).toHaveLength(1);
      expect(server.gatewayConnections[0]?.closedWith).toBe(code);

      // The resumed session keeps working for new events too.
      const after = server.sendMessage({ content: mentionBot('after resume') });
      await vi.waitFor(() => expect(messages.map((m) => m.id)).toContain(after.id), WAIT);
    });
  }

  it('invalidateSession(false) makes the client IDENTIFY afresh, and messages still arrive', async () => {
    const bot = await startBot();
    const messages = collectMessages(bot);

    expect(server.invalidateSession(false)).toBe(1);
    // discord.js spaces identifies 5 s apart (plus up to 1.5 s jitter), so this takes a while.
    const identify = await server.waitForGatewayOp((op) => op.op === 2 && op.connection > 1, 10_000);
    expect(identify.d).toMatchObject({ token: 'test-token' });
    expect(server.identifies).toHaveLength(2);
    expect(server.gatewayOps.some((op) => op.op === 6)).toBe(false);

    const sent = server.sendMessage({ content: mentionBot('after re-identify') });
    await vi.waitFor(() => expect(messages.map((m) => m.id)).toContain(sent.id), WAIT);
  }, 15_000);

  it('invalidateSession(true) makes the client RESUME on the same connection', async () => {
    const bot = await startBot();
    const messages = collectMessages(bot);

    server.invalidateSession(true);
    const resume = await server.waitForGatewayOp((op) => op.op === 6);
    expect(resume.connection).toBe(1);

    const sent = server.sendMessage({ content: mentionBot('still here') });
    await vi.waitFor(() => expect(messages.map((m) => m.id)).toContain(sent.id), WAIT);
    expect(server.identifies).toHaveLength(1);
  });
});

describe('REST faults', () => {
  async function receiveMessage(bot: Client): Promise<Message> {
    const received = nextEvent(bot, Events.MessageCreate);
    server.sendMessage({ content: mentionBot('ping') });
    const [message] = await received;
    return message;
  }

  it('retries after a 429 once retry_after has passed, and the reply lands', async () => {
    const bot = await startBot();
    const message = await receiveMessage(bot);
    server.failNext({
      method: 'POST',
      path: '/channels/:id/messages',
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
    });

    const reply = await message.reply('pong');

    const attempts = server.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.failedWith).toBe(429);
    expect(attempts[1]?.status).toBe(200);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    expect(reply.content).toBe('pong');
  });

  it('retries a 500 and succeeds', async () => {
    const bot = await startBot();
    const message = await receiveMessage(bot);
    server.failNext({ method: 'POST', path: MESSAGES_PATH, status: 500 });

    const reply = await message.reply('pong');

    const attempts = server.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH);
    expect(attempts.map((r) => r.status)).toEqual([500, 200]);
    expect(attempts[0]?.failedWith).toBe(500);
    expect(reply.content).toBe('pong');
  });
});
