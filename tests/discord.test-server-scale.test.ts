/**
 * The Discord test server's shards, generated servers, permissions and rate limits, checked with
 * real discord.js clients and raw sockets: what the sharding, lean-cache and one-request tests
 * rely on.
 */
import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayIntentBits, Partials, PermissionFlagsBits as P, RESTEvents, type ClientEvents } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID, generateGuilds, nextSnowflake, shardOf, startDiscordServer, type DiscordServerOptions, type DiscordTestServer } from './support/discord-server/index.ts';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
const WAIT = { timeout: 5000 };

const servers: DiscordTestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: DiscordServerOptions = {}): Promise<DiscordTestServer> {
  const server = await startDiscordServer({ heartbeatIntervalMs: 5000, ...options });
  servers.push(server);
  return server;
}

async function connect(server: DiscordTestServer, shard?: { id: number; count: number }): Promise<Client<true>> {
  const client = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: server.apiBase }, ...(shard && { shards: shard.id, shardCount: shard.count }) });
  clients.push(client);
  const ready = once(client, Events.ClientReady) as Promise<[Client<true>]>;
  await client.login('test-token');
  return (await ready)[0];
}

function collect<K extends keyof ClientEvents>(client: Client, event: K): ClientEvents[K][] {
  const seen: ClientEvents[K][] = [];
  client.on(event, (...args) => seen.push(args));
  return seen;
}

/** A raw gateway connection that identifies as `shard` and reports what it was told. */
async function rawIdentify(server: DiscordTestServer, shard: [number, number]): Promise<{ op?: number; close?: number; ready?: { guilds: { id: string }[] } }> {
  const socket = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer) => {
      const payload = JSON.parse(data.toString('utf8')) as { op: number; t?: string; d: unknown };
      if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: 'test-token', intents: 0, properties: {}, shard } }));
      else if (payload.op === 9) resolve({ op: 9 });
      else if (payload.t === 'READY') {
        resolve({ op: 0, ready: payload.d as { guilds: { id: string }[] } });
        socket.close(1000);
      }
    });
    socket.on('close', (code) => resolve({ close: code }));
  });
}

describe('generated servers', () => {
  it('have 20 channels, 15 roles besides @everyone and the bot\'s, 10 emojis, and ids spread over the shards', async () => {
    const guilds = generateGuilds({ count: 8 });
    expect(new Set(guilds.map((g) => g.id)).size).toBe(8);
    expect(guilds.map((g) => shardOf(g.id, 2)).sort()).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const server = await serve({ guilds });
    const client = await connect(server);
    expect(client.guilds.cache.size).toBe(8);
    const guild = client.guilds.cache.get(guilds[3]!.id)!;
    expect(guild.channels.cache.size).toBe(20);
    expect(guild.roles.cache.size).toBe(17);
    expect(guild.emojis.cache.size).toBe(10);
    const allChannels = client.guilds.cache.reduce((sum, g) => sum + g.channels.cache.size, 0);
    expect(client.channels.cache.size).toBe(allChannels);
  });
});

describe('shards', () => {
  it('routes each server to shard (guild_id >> 22) % shard_count, and DMs to shard 0', async () => {
    const guilds = generateGuilds({ count: 6, channels: 1, roles: 0, emojis: 0 });
    const server = await serve({ guilds, recommendedShards: 2, maxConcurrency: 2 });
    const [zero, one] = await Promise.all([connect(server, { id: 0, count: 2 }), connect(server, { id: 1, count: 2 })]);
    const onShard = (shard: number) => guilds.filter((g) => shardOf(g.id, 2) === shard).map((g) => g.id).sort();
    expect([...zero.guilds.cache.keys()].sort()).toEqual(onShard(0));
    expect([...one.guilds.cache.keys()].sort()).toEqual(onShard(1));
    expect(server.liveShards()).toEqual([0, 1]);

    const [received0, received1] = [collect(zero, Events.MessageCreate), collect(one, Events.MessageCreate)];
    const guildOnOne = guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const inGuild = server.sendMessage({ guild_id: guildOnOne.id, channel_id: guildOnOne.channels[0]!.id, content: `<@${server.botUser.id}> hi` });
    const dm = server.sendMessage({ dm: true, content: 'hello' });
    await vi.waitFor(() => expect(received1.map(([m]) => m.id)).toEqual([inGuild.id]), WAIT);
    await vi.waitFor(() => expect(received0.map(([m]) => m.id)).toEqual([dm.id]), WAIT);
  });

  it('holds an event for a shard that is not connected until it identifies', async () => {
    const guilds = generateGuilds({ count: 4, channels: 1, roles: 0, emojis: 0 });
    const server = await serve({ guilds, maxConcurrency: 2 });
    const zero = await connect(server, { id: 0, count: 2 });
    const guildOnOne = guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const early = server.sendMessage({ guild_id: guildOnOne.id, channel_id: guildOnOne.channels[0]!.id, content: `<@${server.botUser.id}> early` });
    const seenByZero = collect(zero, Events.MessageCreate);
    const one = new Client({ intents: INTENTS, rest: { api: server.apiBase }, shards: 1, shardCount: 2 });
    clients.push(one);
    const seenByOne = collect(one, Events.MessageCreate);
    await one.login('test-token');
    await vi.waitFor(() => expect(seenByOne.map(([m]) => m.id)).toEqual([early.id]), WAIT);
    expect(seenByZero).toEqual([]);
  });

  it('reports the recommended shard count and max_concurrency, and refuses an impossible shard with 4010', async () => {
    const server = await serve({ recommendedShards: 4, maxConcurrency: 16 });
    const response = await fetch(`${server.apiBase}/v10/gateway/bot`, { headers: { authorization: 'Bot test-token' } });
    expect(await response.json()).toMatchObject({ shards: 4, session_start_limit: { max_concurrency: 16 } });
    expect(await rawIdentify(server, [2, 2])).toEqual({ close: 4010 });
  });

  it('enforces the identify rate per bucket: a second IDENTIFY in the same bucket too soon gets an invalid session', async () => {
    const server = await serve({ guilds: generateGuilds({ count: 2, channels: 1, roles: 0, emojis: 0 }), maxConcurrency: 2, identifyIntervalMs: 5000 });
    expect((await rawIdentify(server, [0, 4])).op).toBe(0);
    // Shard 1 is in the other bucket (1 % 2): allowed at once.
    expect((await rawIdentify(server, [1, 4])).op).toBe(0);
    // Shard 2 shares bucket 0 with shard 0.
    expect(await rawIdentify(server, [2, 4])).toEqual({ op: 9 });
    expect(server.identifyRateViolations).toBe(1);
    expect(server.identifyLog.map((entry) => entry.shard)).toEqual([
      [0, 4],
      [1, 4],
    ]);
  });
});

describe('permissions', () => {
  const channel = (name: string, deny: bigint) => ({ id: nextSnowflake(), name, type: ChannelType.GuildText, overwrites: [{ target: 'bot' as const, deny }] });
  const open = { id: DEFAULT_CHANNEL_ID, name: 'general', type: ChannelType.GuildText };
  const [noEmbeds, noHistory, noSend, noView, everyoneDenied] = [
    channel('no-embeds', P.EmbedLinks),
    channel('no-history', P.ReadMessageHistory),
    channel('no-send', P.SendMessages),
    channel('no-view', P.ViewChannel),
    { id: nextSnowflake(), name: 'read-only', type: ChannelType.GuildText, overwrites: [{ target: 'everyone' as const, deny: P.SendMessages }] },
  ];

  async function post(server: DiscordTestServer, channelId: string, body: object): Promise<{ status: number; code?: number }> {
    const response = await fetch(`${server.apiBase}/v10/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bot test-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { code?: number };
    return { status: response.status, ...(response.status >= 400 && { code: json.code }) };
  }

  it('refuses what Discord refuses where the bot lacks a permission, and allows the rest', async () => {
    const server = await serve({ guilds: [{ id: DEFAULT_GUILD_ID, name: 'Test Guild', channels: [open, noEmbeds, noHistory, noSend, noView, everyoneDenied] }] });
    const question = server.sendMessage({ channel_id: noHistory.id, content: 'question' });
    const embed = { embeds: [{ title: 'Answer' }] };
    const reply = { content: 'answer', message_reference: { message_id: question.id } };

    expect(await post(server, open.id, { ...embed, ...reply })).toEqual({ status: 200 });
    expect(await post(server, noEmbeds.id, embed)).toEqual({ status: 403, code: 50013 });
    expect(await post(server, noEmbeds.id, { content: 'plain' })).toEqual({ status: 200 });
    expect(await post(server, noHistory.id, reply)).toEqual({ status: 403, code: 160002 });
    expect(await post(server, noHistory.id, { content: 'answer' })).toEqual({ status: 200 });
    expect(await post(server, noSend.id, { content: 'plain' })).toEqual({ status: 403, code: 50013 });
    expect(await post(server, noView.id, { content: 'plain' })).toEqual({ status: 403, code: 50001 });
    expect(await post(server, everyoneDenied.id, { content: 'plain' })).toEqual({ status: 403, code: 50013 });
    // DMs have no permissions to check.
    const dm = server.sendMessage({ dm: true, content: 'hi' });
    expect(await post(server, dm.channel_id, { ...embed, content: 'hi' })).toEqual({ status: 200 });
  });

  it('sends the overwrites in GUILD_CREATE, so a cache-based check agrees', async () => {
    const server = await serve({ guilds: [{ id: DEFAULT_GUILD_ID, name: 'Test Guild', channels: [open, noEmbeds] }] });
    const client = await connect(server);
    const me = client.guilds.cache.get(DEFAULT_GUILD_ID)!.members.me!;
    expect(me.permissionsIn(noEmbeds.id).has(P.EmbedLinks)).toBe(false);
    expect(me.permissionsIn(open.id).has(P.EmbedLinks)).toBe(true);
  });
});

describe('rate limits', () => {
  it('a per-channel message limit: truthful headers, so discord.js waits for the window instead of hitting a 429', async () => {
    const server = await serve({ channelMessageLimit: { limit: 2, windowMs: 600 } });
    const client = await connect(server);
    const waits: { route: string; global: boolean }[] = [];
    client.rest.on(RESTEvents.RateLimited, (info) => waits.push({ route: info.route, global: info.global }));
    const route = `/channels/${DEFAULT_CHANNEL_ID}/messages` as const;
    await Promise.all([1, 2, 3].map((n) => client.rest.post(route, { body: { content: `message ${n}` } })));
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path === route);
    expect(posts.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(posts[2]!.at - posts[0]!.at).toBeGreaterThanOrEqual(500);
    expect(waits).toEqual([{ route: '/channels/:id/messages', global: false }]);
  });

  it('a global limit per second: past it, a global 429', async () => {
    const server = await serve({ globalRequestsPerSecond: 2 });
    const get = () => fetch(`${server.apiBase}/v10/users/@me`, { headers: { authorization: 'Bot test-token' } });
    const statuses = [(await get()).status, (await get()).status];
    const third = await get();
    expect([...statuses, third.status]).toEqual([200, 200, 429]);
    expect(third.headers.get('x-ratelimit-global')).toBe('true');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
