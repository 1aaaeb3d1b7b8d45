/**
 * The servers the bot is in, without discord.js's guild cache: counted from READY, GUILD_CREATE
 * and GUILD_DELETE, with joins and removals logged, outages not mistaken for either, and the
 * server payloads slimmed before discord.js reads them.
 */
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GuildIds } from '../src/gateway/guilds.ts';
import { generateGuilds, makeGuildCreate, makeUser, nextSnowflake } from './support/discord-server/index.ts';
import { loggedId, startTestBot, type TestBot } from './support/bot-harness.ts';

describe('GuildIds', () => {
  it('counts the servers of READY, a GUILD_CREATE of another server as a join, and GUILD_DELETE as leaving unless it is an outage', () => {
    const guilds = new GuildIds();
    guilds.ready({ guilds: [{ id: '1', unavailable: true }, { id: '2', unavailable: true }] });
    expect(guilds.size).toBe(2);
    expect(guilds.created({ id: '1' })).toBeUndefined();
    expect(guilds.created({ id: '3' })).toBe('joined');
    expect(guilds.deleted({ id: '2', unavailable: true })).toBeUndefined();
    expect(guilds.size).toBe(3);
    expect(guilds.deleted({ id: '2' })).toBe('left');
    expect(guilds.deleted({ id: '2' })).toBeUndefined();
    expect(guilds.size).toBe(2);
    for (const junk of [null, 'x', {}, { id: 5 }]) {
      expect(guilds.created(junk)).toBeUndefined();
      expect(guilds.deleted(junk)).toBeUndefined();
    }
  });
});

describe('joining and leaving servers, over the gateway', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ guilds: generateGuilds({ count: 3, channels: 2 }) });
  });
  afterAll(async () => {
    await t?.close();
  });
  const logged = (msg: string) => t.logLines().filter((line) => line.msg === msg);

  it('starts with every server counted', () => {
    expect(t.logLines().find((line) => line.msg === 'ready')).toMatchObject({ guilds: 3 });
    expect(t.bot.guilds).toBe(3);
  });

  it('reads nothing of events it did not ask for, even malformed ones, and answers on', async () => {
    const guildId = t.server.state.guildCreates.keys().next().value as string;
    // A presence update for a member it never saw, and one with no user at all.
    t.server.dispatch('PRESENCE_UPDATE', { user: { id: nextSnowflake() }, guild_id: guildId, status: 'online', activities: [], client_status: {} });
    t.server.dispatch('PRESENCE_UPDATE', { guild_id: nextSnowflake() });
    t.server.dispatch('TYPING_START', { channel_id: nextSnowflake(), user_id: nextSnowflake(), timestamp: 0 });
    t.server.dispatch('SOMETHING_NEW', null);
    const since = t.server.requests.length;
    const dm = t.server.sendMessage({ dm: true, author: makeUser(), content: 'Co to jest BPO?' });
    await t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages` && r.status === 200);
    expect(t.logLines().filter((line) => line.level >= 40)).toEqual([]);
  });

  it('logs a join with the new count, answers there at once, and logs a removal; an outage is neither', async () => {
    const channelId = nextSnowflake();
    const spec = { id: nextSnowflake(), name: 'New server', channels: [{ id: channelId, name: 'general', type: ChannelType.GuildText }] };
    const created = makeGuildCreate(spec, { botUser: t.server.botUser, applicationId: t.server.applicationId });
    t.server.state.guildCreates.set(spec.id, created);
    for (const channel of created.channels) t.server.state.channels.set(channel.id, channel);
    t.server.dispatch('GUILD_CREATE', created);
    await vi.waitFor(() => expect(logged('added to a server')).toEqual([expect.objectContaining({ guildId: loggedId(spec.id), guilds: 4 })]));

    const since = t.server.requests.length;
    t.server.sendMessage({ guild_id: spec.id, channel_id: channelId, author: makeUser(), content: `<@${t.server.botUser.id}> Co to jest BPO?` });
    await t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status === 200);

    t.server.dispatch('GUILD_DELETE', { id: spec.id, unavailable: true });
    t.server.dispatch('GUILD_DELETE', { id: spec.id });
    await vi.waitFor(() => expect(logged('removed from a server')).toEqual([expect.objectContaining({ guildId: loggedId(spec.id), guilds: 3 })]));
    expect(t.bot.guilds).toBe(3);
  });
});
