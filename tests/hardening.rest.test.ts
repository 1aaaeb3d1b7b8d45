/**
 * The real bot through REST faults on the Discord test server: rate limits (per route and global)
 * are waited out and the answer still lands; server errors are retried, and a reply that fails for
 * good is logged with who asked where, while the bot (and, in a real process, the process) keeps
 * answering.
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  dmChannelIdFor,
  makeChatInputInteraction,
  makeUser,
  startDiscordServer,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { loggedId, startTestBot, type LogLine, type TestBot } from './support/bot-harness.ts';
import { scriptEnv, startScript } from './support/run-script.ts';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.close();
});

const CHANNEL_MESSAGES = `/channels/${DEFAULT_CHANNEL_ID}/messages`;
const WAIT = { timeout: 5000, interval: 20 };
const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;

function delivered(channelId: string, since: number): Promise<RecordedRequest> {
  return t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status === 200);
}

function logLine(msg: string, match: Record<string, unknown>): Promise<LogLine> {
  return vi.waitFor(() => {
    const line = t.logLines().find((l) => l.msg === msg && Object.entries(match).every(([key, value]) => l[key] === value));
    if (!line) throw new Error(`no "${msg}" log line matching ${JSON.stringify(match)}`);
    return line;
  }, WAIT);
}

describe('429 Too Many Requests', () => {
  it('per route: waits retry_after, then delivers the answer on the second attempt, and logs the wait', async () => {
    const since = t.server.requests.length;
    t.server.failNext({ method: 'POST', path: CHANNEL_MESSAGES, status: 429, body: { retry_after: 0.4, global: false } });
    const asked = t.server.sendMessage({ content: mention('Co to jest BPO?') });

    await delivered(asked.channel_id, since);
    const attempts = t.server.requests.slice(since).filter((r) => r.method === 'POST' && r.path === CHANNEL_MESSAGES);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(390);
    expect(attempts[1]!.body).toMatchObject({ message_reference: { message_id: asked.id } });
    await logLine('rate limited by Discord; retrying after the wait', { route: '/channels/:id/messages', retryAfterMs: 400, global: false, level: 40 });
  });

  it('global (x-ratelimit-global): holds the reply until retry_after has passed, then delivers it', async () => {
    const user = makeUser();
    const dmMessages = `/channels/${dmChannelIdFor(user.id)}/messages`;
    const since = t.server.requests.length;
    t.server.failNext({ method: 'POST', path: dmMessages, status: 429, body: { retry_after: 0.5, global: true } });
    t.server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });

    await delivered(dmChannelIdFor(user.id), since);
    const attempts = t.server.requests.slice(since).filter((r) => r.method === 'POST' && r.path === dmMessages);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(490);
    await logLine('rate limited by Discord; retrying after the wait', { retryAfterMs: 500, global: true });
  });

  it('on a slash command callback: retried after the wait, still inside the 3-second window', async () => {
    const sent = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', user: makeUser() });
    const callback = `/interactions/${sent.id}/${sent.token}/callback`;
    t.server.failNext({ method: 'POST', path: callback, status: 429, body: { retry_after: 0.3 } });
    t.server.sendInteraction(sent);

    const accepted = await t.server.waitForRequest((r) => r.path === callback && r.status === 204);
    const attempts = t.server.requests.filter((r) => r.path === callback);
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(290);
    expect((accepted.body as { type: number }).type).toBe(4);
    // The log names the route, never the path: the path holds the interaction's token.
    await logLine('rate limited by Discord; retrying after the wait', { route: '/interactions/:id/:token/callback' });
    expect(t.rawLog.join('\n')).not.toContain(sent.token);
  });
});

describe('5xx server errors', () => {
  it('a 503 is logged and retried, and the answer is delivered', async () => {
    const since = t.server.requests.length;
    t.server.failNext({ method: 'POST', path: CHANNEL_MESSAGES, status: 503 });
    const asked = t.server.sendMessage({ content: mention('Co to jest BPO?') });

    const reply = await delivered(asked.channel_id, since);
    expect(reply.body).toMatchObject({ message_reference: { message_id: asked.id } });
    expect(t.server.requests.slice(since).filter((r) => r.path === CHANNEL_MESSAGES).map((r) => r.status)).toEqual([503, 200]);
    await logLine('Discord server error; retrying', { status: 503, route: '/channels/:id/messages', attempt: 1, willRetry: true });
  });

  it('a 500 past every retry fails the reply for good: logged with context, and the next question is answered', async () => {
    const since = t.server.requests.length;
    // discord.js makes one attempt and 3 retries.
    t.server.failNext({ method: 'POST', path: CHANNEL_MESSAGES, status: 500, times: 4 });
    const failed = t.server.sendMessage({ content: mention('Co to jest BPO?') });

    const error = await logLine('message handling failed', { messageId: failed.id });
    expect(error).toMatchObject({ level: 50, via: 'mention', userId: loggedId(failed.author.id), guildId: loggedId(DEFAULT_GUILD_ID), channelId: DEFAULT_CHANNEL_ID });
    expect(t.server.requests.slice(since).filter((r) => r.path === CHANNEL_MESSAGES).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    await logLine('Discord server error; giving up', { status: 500, attempt: 4, willRetry: false });

    const next = t.server.sendMessage({ content: mention('Jakie są zalety BPO?') });
    const reply = await delivered(next.channel_id, since);
    expect(reply.body).toMatchObject({ message_reference: { message_id: next.id } });
  });

  it('a slash reply failing for good is logged with { command, userId, guildId } and ends in the private apology', async () => {
    const user = makeUser();
    const sent = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'en-US', user });
    const callback = `/interactions/${sent.id}/${sent.token}/callback`;
    t.server.failNext({ method: 'POST', path: callback, status: 503, times: 4 });
    t.server.sendInteraction(sent);

    const apology = await t.server.waitForRequest((r) => r.path === callback && r.status === 204);
    expect((apology.body as { data: { content: string; flags: number } }).data).toMatchObject({
      content: expect.stringMatching(/^Something went wrong/),
      flags: MessageFlags.Ephemeral,
    });
    const error = await logLine('interaction failed', { interactionId: sent.id });
    expect(error).toMatchObject({ level: 50, command: 'zapytaj', userId: loggedId(user.id), guildId: loggedId(DEFAULT_GUILD_ID) });
  });
});

describe('a reply refused for good', () => {
  it('403 on a DM (the user blocks DMs): logged as "cannot answer" with context, no retry, and the next DM is answered', async () => {
    const user = makeUser();
    const dmMessages = `/channels/${dmChannelIdFor(user.id)}/messages`;
    const since = t.server.requests.length;
    t.server.failNext({ method: 'POST', path: dmMessages, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    const failed = t.server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });

    const refused = await logLine('cannot answer: Discord refused the reply in this channel', { messageId: failed.id });
    expect(refused).toMatchObject({ level: 40, via: 'dm', userId: loggedId(user.id), guildId: null, code: 50007 });
    expect(t.server.requests.slice(since).filter((r) => r.path === dmMessages).map((r) => r.status)).toEqual([403]);

    t.server.sendMessage({ dm: true, author: user, content: 'Jakie są zalety BPO?' });
    await delivered(dmChannelIdFor(user.id), since);
  });
});

describe('as a process', () => {
  it('a reply failing for good does not end `npm start`: it logs the error and answers the next question', async () => {
    const server = await startDiscordServer();
    const token = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GrEsT0.cmVzdC1mYXVsdHMtcHJvY2Vzcy10ZXN0LXRva2Vu';
    const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: token, DISCORD_API_BASE: server.apiBase }));
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"ready"'), { timeout: 15_000, interval: 50 });
      const user = makeUser();
      const dmMessages = `/channels/${dmChannelIdFor(user.id)}/messages`;
      server.failNext({ method: 'POST', path: dmMessages, status: 500, times: 4 });
      server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"message handling failed"'), WAIT);

      server.sendMessage({ dm: true, author: user, content: 'Jakie są zalety BPO?' });
      const reply = await server.waitForRequest((r) => r.path === dmMessages && r.status === 200);
      expect((reply.body as { embeds: unknown[] }).embeds).toHaveLength(1);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await server.close();
    }
    expect((await exited).code).toBe(0);
  });
});
