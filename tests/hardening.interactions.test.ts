/**
 * Discord forgets an interaction not acknowledged within 3 seconds; the test server does the same
 * (404, code 10062). These tests show that the bot acknowledges in time even when Discord is slow
 * or rate limiting, that a reply which cannot be ready in time is deferred and then edited in, and
 * that a handler that throws ends in a private apology and an error log saying who and where.
 */
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Answerer } from '../src/answering/answer.ts';
import { createClient, type DiscordClient } from '../src/gateway/client.ts';
import { restResponder } from '../src/gateway/interaction-responder.ts';
import { onRawEvents } from '../src/gateway/raw-events.ts';
import { messageResponse } from '../src/interactions/handler.ts';
import { stringOption } from '../src/interactions/payload.ts';
import { DEFER_AFTER_MS, respondInTime } from '../src/interactions/responder.ts';
import { renderDiscordNotice } from '../src/responder/render-discord.ts';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  makeUser,
  startDiscordServer,
  type DiscordTestServer,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { loggedId, startTestBot, testAnswerer, type LogLine, type TestBot } from './support/bot-harness.ts';

const DISCORD_DEADLINE_MS = 3000;
const WAIT = { timeout: 5000, interval: 20 };

interface Sent {
  id: string;
  token: string;
}

const repliesTo = (request: RecordedRequest, messageId: string) =>
  (request.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === messageId;

const callbackPath = (sent: Sent) => `/interactions/${sent.id}/${sent.token}/callback`;

/** The first callback the server accepted for an interaction, and how long after dispatch it arrived. */
async function acknowledged(server: DiscordTestServer, sent: Sent): Promise<{ request: RecordedRequest; afterMs: number }> {
  const request = await server.waitForRequest((r) => r.path === callbackPath(sent) && r.status === 204);
  const record = server.state.interactions.get(sent.token)!;
  return { request, afterMs: request.at - record.dispatchedAt };
}

describe('the real bot acknowledges in time', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every command, button and autocomplete, while each REST response takes 1.5 s', async () => {
    const user = makeUser();
    const interactions: Sent[] = [
      makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', user }),
      makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'What is back office?' }, locale: 'en-US', user }),
      makeChatInputInteraction({ name: 'tematy', locale: 'pl', user }),
      makeChatInputInteraction({ name: 'pomoc', locale: 'pl', user }),
      makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', dm: true, user }),
      makeButtonInteraction({ customId: 'topic:bpo-definition:pl', locale: 'pl', user }),
      makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: 'kosz', locale: 'pl', user }),
    ];
    t.server.setRestDelay(1500);
    try {
      for (const sent of interactions) t.server.sendInteraction(sent);
      const acks = await Promise.all(interactions.map((sent) => acknowledged(t.server, sent)));
      for (const { afterMs } of acks) expect(afterMs).toBeLessThan(DISCORD_DEADLINE_MS);
      expect(t.server.requests.filter((r) => r.path.endsWith('/callback') && r.status === 404)).toEqual([]);
    } finally {
      t.server.setRestDelay(0);
    }
  });

  it('a global rate limit on messages does not hold back slash command acknowledgements', async () => {
    // Discord exempts interaction callbacks from the global limit, and so does discord.js.
    t.server.failNext({ method: 'POST', path: `/channels/${DEFAULT_CHANNEL_ID}/messages`, status: 429, body: { retry_after: 1.5, global: true } });
    const mention = t.server.sendMessage({ content: `<@${t.server.botUser.id}> Co to jest BPO?` });
    const limited = await t.server.waitForRequest((r) => r.failedWith === 429 && repliesTo(r, mention.id));

    const sent = t.server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', user: makeUser() }));
    const { request: ack } = await acknowledged(t.server, sent);
    // The held mention reply goes out once the global wait is over, after the acknowledgement.
    const held = await t.server.waitForRequest((r) => r.status === 200 && repliesTo(r, mention.id));
    expect(held.at - limited.at).toBeGreaterThanOrEqual(1490);
    expect(ack.at).toBeLessThan(held.at);
  });
});

describe.concurrent('a reply that cannot be ready in time', () => {
  // The bot's answers take well under a millisecond, so its own handlers never get here; this drives
  // the same respondInTime and gateway responder the dispatcher uses with an answer that takes
  // 2.5 s, over a real client.
  let server: DiscordTestServer;
  let client: DiscordClient;
  const slowAnswer = (ms: number) => () =>
    new Promise<{ response: ReturnType<typeof messageResponse> }>((resolve) =>
      setTimeout(() => resolve({ response: messageResponse(renderDiscordNotice('BPO to outsourcing procesów biznesowych.'), false) }), ms),
    );
  const outcomes = new Map<string, Promise<unknown>>();

  beforeAll(async () => {
    server = await startDiscordServer();
    client = createClient({ token: 'test-token', apiBase: server.apiBase });
    onRawEvents(client.gateway, {
      INTERACTION_CREATE: (payload) => {
        const interaction = payload as APIChatInputApplicationCommandInteraction;
        const responder = restResponder(client.rest, interaction);
        const slow = stringOption(interaction.data.options, 'pytanie') === 'bez odroczenia';
        const outcome = slow
          ? respondInTime(responder, slowAnswer(DISCORD_DEADLINE_MS + 200), { deferAfterMs: 60_000 })
          : respondInTime(responder, slowAnswer(2500));
        outcome.catch(() => undefined);
        outcomes.set(interaction.id, outcome);
      },
    });
    await client.gateway.connect();
  });
  afterAll(async () => {
    await client?.gateway.destroy();
    await server?.close();
  });

  it('is deferred within 3 s (after 2 s), then edited in when ready', async () => {
    const sent = server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' } }));
    const { request, afterMs } = await acknowledged(server, sent);
    expect(request.body).toMatchObject({ type: 5 });
    expect(afterMs).toBeGreaterThanOrEqual(DEFER_AFTER_MS - 50);
    expect(afterMs).toBeLessThan(DISCORD_DEADLINE_MS);

    const edit = await server.waitForRequest({ method: 'PATCH', path: `/webhooks/${server.applicationId}/${sent.token}/messages/@original` });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ content: 'BPO to outsourcing procesów biznesowych.' });
    await expect(outcomes.get(sent.id)).resolves.toBeDefined();
    expect(server.state.interactions.get(sent.token)!.original).toMatchObject({ content: 'BPO to outsourcing procesów biznesowych.', flags: 0 });
  });

  it('without the deferral, the same slow reply is refused as expired (10062): the deadline is real', async () => {
    const sent = server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'bez odroczenia' } }));
    const late = await server.waitForRequest((r) => r.path === callbackPath(sent), 5000);
    expect(late.status).toBe(404);
    await expect(outcomes.get(sent.id)).rejects.toMatchObject({ code: 10062 });
  });
});

describe('a handler that throws', () => {
  // Everything about the question works until the reader itself, which fails as a bug would.
  const rigged: Answerer = {
    kb: testAnswerer().kb,
    get reader(): Answerer['reader'] {
      throw new Error('reader unavailable');
    },
  };
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ answerer: rigged });
  });
  afterAll(async () => {
    await t?.close();
  });

  const errorLog = (interactionId: string) =>
    vi.waitFor(() => {
      const line = t.logLines().find((l) => l.msg === 'interaction failed' && l.interactionId === interactionId);
      if (!line) throw new Error('no "interaction failed" log line');
      return line;
    }, WAIT) as Promise<LogLine>;

  it('in a server: a private "something went wrong" and an error log with { command, userId, guildId }', async () => {
    const user = makeUser();
    const sent = t.server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Ile kosztuje outsourcing kadr?' }, locale: 'pl', user }));
    const { request } = await acknowledged(t.server, sent);
    expect(request.body).toMatchObject({ type: 4, data: { content: expect.stringMatching(/^Coś poszło nie tak/), flags: MessageFlags.Ephemeral } });
    const line = await errorLog(sent.id);
    expect(line).toMatchObject({ level: 50, command: 'zapytaj', userId: loggedId(user.id), guildId: loggedId(DEFAULT_GUILD_ID) });
    expect(line.err).toMatchObject({ message: 'reader unavailable', stack: expect.stringContaining('Error') });
  });

  it('in a DM: the same, with guildId null, in the user\'s language', async () => {
    const user = makeUser();
    const sent = t.server.sendInteraction(
      makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'How much does payroll outsourcing cost?' }, locale: 'en-US', dm: true, user }),
    );
    const { request } = await acknowledged(t.server, sent);
    expect(request.body).toMatchObject({ data: { content: expect.stringMatching(/^Something went wrong/), flags: MessageFlags.Ephemeral } });
    expect(await errorLog(sent.id)).toMatchObject({ level: 50, command: 'zapytaj', userId: loggedId(user.id), guildId: null });
  });
});
