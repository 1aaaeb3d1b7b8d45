/**
 * DM and mention replies without caches: one request where the bot may do everything, and where
 * Discord refuses a part (embeds, the reply link, the message itself) the fallback it takes and
 * remembers for the channel. Typing shows only when a reply waits behind the channel's rate limit.
 * Against the Discord test server, which refuses what Discord refuses for the bot's permissions.
 */
import { ChannelType, PermissionFlagsBits as P } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID, makeUser, nextSnowflake, type ChannelSpec, type RecordedRequest } from './support/discord-server/index.ts';
import { loggedId, startTestBot, testAnswerer, type LogLine, type TestBot } from './support/bot-harness.ts';

const WAIT = { timeout: 5000 };
const denied = (name: string, deny: bigint): ChannelSpec => ({ id: nextSnowflake(), name, type: ChannelType.GuildText, overwrites: [{ target: 'bot', deny }] });
const channels = {
  open: { id: DEFAULT_CHANNEL_ID, name: 'general', type: ChannelType.GuildText } satisfies ChannelSpec,
  noEmbeds: denied('no-embeds', P.EmbedLinks),
  noHistory: denied('no-history', P.ReadMessageHistory),
  noEither: denied('no-embeds-no-history', P.EmbedLinks | P.ReadMessageHistory),
  noSend: denied('read-only', P.SendMessages),
  noView: denied('hidden', P.ViewChannel),
  updated: denied('updated-later', P.EmbedLinks),
};
const definition = testAnswerer().kb.byId.get('bpo-definition')!;

interface Body {
  content?: string;
  embeds?: APIEmbed[];
  message_reference?: { message_id: string; fail_if_not_exists: boolean };
  allowed_mentions?: unknown;
}

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ guilds: [{ id: DEFAULT_GUILD_ID, name: 'Test Guild', channels: Object.values(channels) }] });
});
afterAll(async () => {
  await t?.close();
});

/** Mentions the bot in `channel` and returns every request the bot made for it, once it is done. */
async function ask(channel: ChannelSpec, { expectAnswer = true } = {}): Promise<{ posts: RecordedRequest[]; warnings: LogLine[] }> {
  const since = t.server.requests.length;
  const logSince = t.rawLog.length;
  const asker = makeUser();
  t.server.sendMessage({ channel_id: channel.id, author: asker, content: `<@${t.server.botUser.id}> Co to jest BPO?` });
  const lines = () => t.rawLog.slice(logSince).map((line) => JSON.parse(line) as LogLine);
  await vi.waitFor(() => {
    const done = lines().some((line) => line.userId === loggedId(asker.id) && (line.msg === 'answered' || line.msg.startsWith('cannot answer')));
    if (!done) throw new Error(`no answer or refusal logged for the question in #${channel.name}`);
  }, WAIT);
  if (expectAnswer) expect(lines().find((line) => line.msg === 'answered' && line.userId === loggedId(asker.id))).toMatchObject({ via: 'mention', entryId: 'bpo-definition' });
  const posts = t.server.requests.slice(since).filter((r) => r.method === 'POST' && r.path.startsWith(`/channels/${channel.id}/`));
  return { posts, warnings: lines().filter((line) => line.level === 40) };
}

const body = (request: RecordedRequest) => request.body as Body;
const shape = (request: RecordedRequest) => ({
  status: request.status,
  embed: (body(request).embeds?.length ?? 0) > 0,
  reply: body(request).message_reference !== undefined,
});

describe('where the bot may do everything', () => {
  it('answers with one request: the embed, linked to the question, pinging no one', async () => {
    const { posts } = await ask(channels.open);
    expect(posts.map(shape)).toEqual([{ status: 200, embed: true, reply: true }]);
    expect(body(posts[0]!).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});

describe('where Discord refuses a part of the reply', () => {
  it('no Embed Links: the embed is refused (50013), the same answer goes as plain text with its source; the next answer there is text at once', async () => {
    const first = await ask(channels.noEmbeds);
    expect(first.posts.map(shape)).toEqual([
      { status: 403, embed: true, reply: true },
      { status: 200, embed: false, reply: true },
    ]);
    const text = body(first.posts[1]!).content!;
    expect(text).toContain(definition.title.pl);
    expect(text).toContain(definition.quote);
    expect(text).toContain('Wikipedia');
    const next = await ask(channels.noEmbeds);
    expect(next.posts.map(shape)).toEqual([{ status: 200, embed: false, reply: true }]);
  });

  it('no Read Message History: the reply link is refused (160002), the embed goes without it; the next answer there needs one request', async () => {
    const first = await ask(channels.noHistory);
    expect(first.posts.map(shape)).toEqual([
      { status: 403, embed: true, reply: true },
      { status: 200, embed: true, reply: false },
    ]);
    const next = await ask(channels.noHistory);
    expect(next.posts.map(shape)).toEqual([{ status: 200, embed: true, reply: false }]);
  });

  it('neither: plain text without the link after two refusals, then one request', async () => {
    const first = await ask(channels.noEither);
    expect(first.posts.map(shape)).toEqual([
      { status: 403, embed: true, reply: true },
      { status: 403, embed: false, reply: true },
      { status: 200, embed: false, reply: false },
    ]);
    const next = await ask(channels.noEither);
    expect(next.posts.map(shape)).toEqual([{ status: 200, embed: false, reply: false }]);
  });

  it('what it learned is forgotten when the channel changes, and learned again', async () => {
    await ask(channels.updated);
    expect((await ask(channels.updated)).posts).toHaveLength(1);
    const channel = t.server.state.channels.get(channels.updated.id)!;
    t.server.dispatch('CHANNEL_UPDATE', channel);
    // The overwrite still denies embeds: the bot tries the embed again and falls back again.
    const after = await ask(channels.updated);
    expect(after.posts.map((r) => r.status)).toEqual([403, 200]);
  });
});

describe('where the bot cannot answer at all', () => {
  it('no Send Messages: the embed and then the text are refused; logged as "cannot answer"; the next question costs no request', async () => {
    const first = await ask(channels.noSend, { expectAnswer: false });
    expect(first.posts.map((r) => r.status)).toEqual([403, 403]);
    expect(first.warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^cannot answer/), code: 50013, channelId: channels.noSend.id, via: 'mention' })]);
    const next = await ask(channels.noSend, { expectAnswer: false });
    expect(next.posts).toEqual([]);
    expect(next.warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^cannot answer/), channelId: channels.noSend.id })]);
  });

  it('no View Channel: one refused request (50001), logged', async () => {
    const { posts, warnings } = await ask(channels.noView, { expectAnswer: false });
    expect(posts.map((r) => r.status)).toEqual([403]);
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^cannot answer/), code: 50001 })]);
  });

  it('a user who does not accept DMs from the bot (50007): logged, not an error', async () => {
    const asker = makeUser();
    const logSince = t.rawLog.length;
    t.server.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    t.server.sendMessage({ dm: true, author: asker, content: 'Co to jest BPO?' });
    await vi.waitFor(() => {
      const lines = t.rawLog.slice(logSince).map((line) => JSON.parse(line) as LogLine);
      expect(lines.find((line) => line.userId === loggedId(asker.id) && line.msg.startsWith('cannot answer'))).toMatchObject({ level: 40, code: 50007, via: 'dm' });
      expect(lines.some((line) => line.level >= 50)).toBe(false);
    }, WAIT);
  });
});

describe('typing', () => {
  let limited: TestBot;
  beforeAll(async () => {
    limited = await startTestBot({ channelMessageLimit: { limit: 2, windowMs: 1500 } });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('shows only while a reply waits behind the channel\'s rate limit, never in front of an answer that goes out at once', async () => {
    const channel = `/channels/${DEFAULT_CHANNEL_ID}`;
    const askers = [makeUser(), makeUser(), makeUser()];
    for (const author of askers) limited.server.sendMessage({ author, content: `<@${limited.server.botUser.id}> Co to jest BPO?` });
    await vi.waitFor(() => expect(limited.server.requests.filter((r) => r.path === `${channel}/messages` && r.status === 200)).toHaveLength(3), WAIT);
    const sequence = limited.server.requests.filter((r) => r.path.startsWith(channel)).map((r) => `${r.path.slice(channel.length)} ${r.status}`);
    // Two answers at once, then the third waits for the window: typing is shown meanwhile, once.
    expect(sequence).toEqual(['/messages 200', '/messages 200', '/typing 204', '/messages 200']);
    expect(limited.server.requests.some((r) => r.status === 429)).toBe(false);
  });
});
