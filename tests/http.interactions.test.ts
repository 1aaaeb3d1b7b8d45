/**
 * The HTTP interactions endpoint with real signed requests: the signature check (a key pair made
 * here), size and format checks, PING, every command, autocomplete and button answered in the HTTP
 * response (and accepted by the Discord test server as the callback), the deferral and webhook edit
 * for a late reply, the apology, health and metrics. Every response pings no one.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ComponentType, InteractionType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Answerer } from '../src/answering/answer.ts';
import { messageResponse } from '../src/interactions/handler.ts';
import { renderDiscordNotice } from '../src/responder/render-discord.ts';
import { loggedId, testAnswerer } from './support/bot-harness.ts';
import {
  DEFAULT_GUILD_ID,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  makeInteractionBase,
  makeUser,
} from './support/discord-server/index.ts';
import { startHttpBot, type TestHttpBot } from './support/http-harness.ts';
import { deliver, get, makeSigningKeys, post, signatureHeaders } from './support/http-interactions.ts';

const kb = testAnswerer().kb;
const entry = (id: string) => kb.byId.get(id)!;
const pinnedIds = kb.entries.filter((e) => e.pinned).map((e) => e.id);
const NO_MENTIONS = { parse: [], replied_user: false };

let t: TestHttpBot;
beforeAll(async () => {
  t = await startHttpBot({
    components: {
      // A handler slow enough to need the deferral: the bot's own answers never are.
      slow: {
        defer: () => 'public',
        async handle() {
          await sleep(2300);
          return { response: messageResponse(renderDiscordNotice('BPO to outsourcing procesów biznesowych.'), false) };
        },
      },
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const signed = (body: string, headers: Record<string, string> = {}) => post(t.endpoint, body, { ...signatureHeaders(t.keys, body), ...headers });
const send = (interaction: APIInteraction) => deliver(t.discord, t.endpoint, t.keys, interaction);
const ping = JSON.stringify({ ...makeInteractionBase(), type: InteractionType.Ping });

interface Data {
  content?: string;
  flags?: number;
  embeds?: { title?: string; description?: string; fields?: { value: string }[] }[];
  components?: { components: { custom_id: string }[] }[];
  allowed_mentions?: unknown;
  choices?: { name: string; value: string }[];
}
const dataOf = (delivered: Awaited<ReturnType<typeof send>>) => delivered.body!.data as Data;
const buttonIds = (data: Data) => (data.components ?? []).flatMap((row) => row.components.map((b) => b.custom_id));

/** A message response that Discord accepts and that pings no one. */
function expectSafeMessage(delivered: Awaited<ReturnType<typeof send>>, interaction: APIInteraction): Data {
  expect(delivered.http.status).toBe(200);
  expect(delivered.body!.type).toBe(4);
  expect(delivered.callbackStatus).toBe(204);
  const data = dataOf(delivered);
  expect(data.allowed_mentions).toEqual(NO_MENTIONS);
  const original = t.discord.state.interactions.get(interaction.token)!.original!;
  expect(original.mentions).toEqual([]);
  expect(original.mention_everyone).toBe(false);
  return data;
}

describe('the signature check', () => {
  it('answers a PING signed with the application key with a PONG', async () => {
    const reply = await signed(ping);
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ type: 1 });
  });

  it('refuses a request without the signature headers (401), whatever it holds', async () => {
    expect((await post(t.endpoint, ping)).status).toBe(401);
    const { 'x-signature-timestamp': timestamp } = signatureHeaders(t.keys, ping);
    expect((await post(t.endpoint, ping, { 'x-signature-timestamp': timestamp! })).status).toBe(401);
  });

  it('refuses a request signed with another key (401)', async () => {
    const reply = await post(t.endpoint, ping, signatureHeaders(makeSigningKeys(), ping));
    expect(reply.status).toBe(401);
  });

  it('refuses a request whose body or timestamp changed after signing (401)', async () => {
    const headers = signatureHeaders(t.keys, ping);
    const tampered = ping.replace('"type":1', '"type":2');
    expect((await post(t.endpoint, tampered, headers)).status).toBe(401);
    expect((await post(t.endpoint, ping, { ...headers, 'x-signature-timestamp': String(Number(headers['x-signature-timestamp']) + 1) })).status).toBe(401);
    expect((await post(t.endpoint, ping, { ...headers, 'x-signature-ed25519': 'zz' })).status).toBe(401);
  });

  it('refuses a request signed with a timestamp more than 5 minutes off (401), and answers nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const question = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' } }));
    for (const timestamp of ['1', '1700000000', String(now - 301), String(now + 301), 'soon']) {
      const reply = await post(t.endpoint, question, signatureHeaders(t.keys, question, timestamp));
      expect(reply.status, timestamp).toBe(401);
    }
    expect((await post(t.endpoint, question, signatureHeaders(t.keys, question, String(now - 200)))).status).toBe(200);
  });

  it('answers an interaction once: the same signed request again gets 409, spends no limit and stores nothing', async () => {
    const asker = makeUser();
    const question = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', user: asker, options: { pytanie: 'Co to jest BPO?' } }));
    const headers = signatureHeaders(t.keys, question);
    expect((await post(t.endpoint, question, headers)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await post(t.endpoint, question, headers)).status).toBe(409);
    // Not one of the replays reached the answering: the asker still has the rest of the limit.
    const answered = t.logLines().filter((l) => l.msg === 'answered' && l.userId === loggedId(asker.id));
    expect(answered).toHaveLength(1);
    const next = makeChatInputInteraction({ name: 'zapytaj', user: asker, options: { pytanie: 'Co to jest back office?' } });
    expect(dataOf(await send(next)).embeds![0]!.title).toBe(entry('back-office').title.en);
  });
});

describe('what is not an interaction', () => {
  it('a body declared over 64 KiB gets 413 before it is read', async () => {
    const big = 'x'.repeat(70_000);
    const reply = await post(t.endpoint, big, signatureHeaders(t.keys, big));
    expect(reply.status).toBe(413);
  });

  it('a body streamed past 64 KiB without a length gets 413 while the client is still sending', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(t.endpoint, { method: 'POST', headers: { ...signatureHeaders(t.keys, 'x'), 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // 16 MiB would follow; the server answers after the first 64 KiB and the rest is never sent.
      let sent = 0;
      const pump = () => {
        while (sent < 1024 && req.write(chunk)) sent++;
        if (sent < 1024) req.once('drain', pump);
      };
      pump();
      setTimeout(() => reject(new Error('no answer to an endless body')), 5000).unref();
    });
    expect(status).toBe(413);
  });

  it('signed malformed JSON gets 400', async () => {
    const reply = await signed('{"type": 2,');
    expect(reply.status).toBe(400);
  });

  it('a signed interaction of an unknown type, or without a user, gets 400; the process carries on', async () => {
    expect((await signed(JSON.stringify({ ...makeInteractionBase(), type: 99, data: {} }))).status).toBe(400);
    const { member: _member, ...nobody } = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' } });
    expect((await signed(JSON.stringify(nobody))).status).toBe(400);
    expect((await signed(JSON.stringify([1, 2, 3]))).status).toBe(400);
    expect((await signed('null')).status).toBe(400);
    for (const type of [InteractionType.ApplicationCommand, InteractionType.MessageComponent]) {
      const { data: _data, ...bare } = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' } });
      expect((await signed(JSON.stringify({ ...bare, type }))).status, `type ${type} without data`).toBe(400);
    }
    expect((await signed(ping)).status).toBe(200);
  });

  it('an error response closes its connection without reading the rest of a body still being sent', async () => {
    const closed = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(`${t.base}/nope`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        res.resume();
        req.on('close', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // 160 MiB would follow; the server answers 404 and closes, and the rest is never sent.
      let sent = 0;
      const pump = () => {
        while (sent < 10_240 && req.write(chunk)) sent++;
        if (sent < 10_240 && !req.destroyed) req.once('drain', pump);
      };
      pump();
      setTimeout(() => reject(new Error('the connection stayed open')), 10_000).unref();
    });
    expect(closed).toEqual({ status: 404, connection: 'close' });
  });

  it('closes a connection whose headers never finish (5 s allowed, checked every second)', async () => {
    const socket = connect(new URL(t.base).port ? Number(new URL(t.base).port) : 80, '127.0.0.1');
    socket.on('error', () => undefined);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const drip = setInterval(() => socket.write('a'), 500);
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      setTimeout(() => reject(new Error('still open after 10 s')), 10_000).unref();
    });
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nConnection: close/);
  }, 15_000);

  it('other paths and methods get 404 and 405', async () => {
    expect((await get(`${t.base}/nope`)).status).toBe(404);
    expect((await get(t.endpoint)).status).toBe(405);
  });
});

describe('commands, autocomplete and buttons', () => {
  it('/zapytaj answers publicly in the HTTP response: embed, verbatim quote, related buttons', async () => {
    const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' });
    const data = expectSafeMessage(await send(interaction), interaction);
    expect(data.flags ?? 0).toBe(0);
    const definition = entry('bpo-definition');
    expect(data.embeds![0]!.title).toBe(definition.title.pl);
    expect(data.embeds![0]!.fields![0]!.value).toContain(definition.quote);
    expect(buttonIds(data)).toEqual(definition.related.slice(0, 3).map((id) => `topic:${id}:pl:bpo-definition`));
  });

  it('/zapytaj in English, in a DM, and as plain text where the app may not embed links', async () => {
    const english = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'What is back office?' }, locale: 'en-US', dm: true });
    expect(expectSafeMessage(await send(english), english).embeds![0]!.title).toBe(entry('back-office').title.en);
    const noEmbeds = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', appPermissions: String(1n << 11n) });
    const data = expectSafeMessage(await send(noEmbeds), noEmbeds);
    expect(data.embeds ?? []).toEqual([]);
    expect(data.content).toContain(entry('bpo-definition').quote);
  });

  it('not found: private, with suggestion buttons, the question quoted escaped', async () => {
    const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: '@everyone przepis na pierogi' }, locale: 'pl' });
    const data = expectSafeMessage(await send(interaction), interaction);
    expect(data.flags).toBe(MessageFlags.Ephemeral);
    expect(data.embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
    expect(data.embeds![0]!.description).toContain('@\u200beveryone');
  });

  it('/tematy and /pomoc reply privately', async () => {
    const topics = makeChatInputInteraction({ name: 'tematy', locale: 'en-US' });
    const listed = expectSafeMessage(await send(topics), topics);
    expect(listed.flags).toBe(MessageFlags.Ephemeral);
    expect(buttonIds(listed)).toEqual(pinnedIds.map((id) => `topic:${id}:en`));
    const help = makeChatInputInteraction({ name: 'pomoc', locale: 'pl' });
    const helped = expectSafeMessage(await send(help), help);
    expect(helped.flags).toBe(MessageFlags.Ephemeral);
    expect(helped.embeds![0]!.title).toBe('Jak mnie używać');
  });

  it('autocomplete answers with type 8 choices within Discord\'s limits', async () => {
    const interaction = makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: 'bakc ofice', locale: 'en-US' });
    const delivered = await send(interaction);
    expect(delivered.body!.type).toBe(8);
    expect(delivered.callbackStatus).toBe(204);
    expect(dataOf(delivered).choices![0]).toEqual({ name: entry('back-office').title.en, value: 'back-office' });
  });

  it('a topic button answers that topic privately in a server and publicly in a DM; a gone topic says so', async () => {
    const inServer = makeButtonInteraction({ customId: 'topic:hr-payroll:pl', locale: 'pl' });
    const server = expectSafeMessage(await send(inServer), inServer);
    expect(server.flags).toBe(MessageFlags.Ephemeral);
    expect(server.embeds![0]!.title).toBe(entry('hr-payroll').title.pl);
    const inDm = makeButtonInteraction({ customId: 'topic:hr-payroll:pl', locale: 'en-US', dm: true });
    const dm = expectSafeMessage(await send(inDm), inDm);
    expect(dm.flags ?? 0).toBe(0);
    expect(dm.embeds![0]!.title).toBe(entry('hr-payroll').title.en);
    const gone = makeButtonInteraction({ customId: 'topic:temat-ktorego-juz-nie-ma:pl', locale: 'pl', dm: true });
    const stale = expectSafeMessage(await send(gone), gone);
    expect(stale.flags).toBe(MessageFlags.Ephemeral);
    expect(stale.embeds![0]!.title).toBe('Tego tematu już nie ma');
  });

  it('an unknown command, select menu or form gets a private way on', async () => {
    const command = makeChatInputInteraction({ name: 'stara-komenda', locale: 'pl' });
    expect(expectSafeMessage(await send(command), command).embeds![0]!.title).toBe('Nie znam tej komendy');
    const select = { ...makeInteractionBase({ locale: 'en-US' }), type: InteractionType.MessageComponent, data: { custom_id: 'menu:x', component_type: ComponentType.StringSelect, values: ['a'] } } as never as APIInteraction;
    expect(expectSafeMessage(await send(select), select).embeds![0]!.title).toBe('This option is no longer available');
    // Names that are properties of every object find no handler there.
    for (const name of ['constructor', 'toString', '__proto__']) {
      const odd = makeChatInputInteraction({ name, locale: 'pl' });
      expect(expectSafeMessage(await send(odd), odd).embeds![0]!.title).toBe('Nie znam tej komendy');
    }
    for (const customId of ['constructor:x', 'toString', 'hasOwnProperty:1', '__proto__']) {
      const button = makeButtonInteraction({ customId, locale: 'en-US' });
      expect(expectSafeMessage(await send(button), button).embeds![0]!.title, customId).toBe('This option is no longer available');
    }
  });

  it('a reply not ready in 2 s is deferred in the HTTP response (type 5), then edited in through the webhook', async () => {
    const interaction = makeButtonInteraction({ customId: 'slow:1', locale: 'pl' });
    const startedAt = performance.now();
    const delivered = await send(interaction);
    expect(delivered.body).toEqual({ type: 5 });
    expect(delivered.callbackStatus).toBe(204);
    expect(performance.now() - startedAt).toBeLessThan(3000);
    const edit = await t.discord.waitForRequest({ method: 'PATCH', path: `/webhooks/${interaction.application_id}/${interaction.token}/messages/@original` });
    expect(edit.status).toBe(200);
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.body).toMatchObject({ content: 'BPO to outsourcing procesów biznesowych.', allowed_mentions: NO_MENTIONS });
  });
});

describe('failures', () => {
  it('a handler that throws gets a private "something went wrong" in the response and an error log with context', async () => {
    const rigged: Answerer = {
      kb: testAnswerer().kb,
      get reader(): Answerer['reader'] {
        throw new Error('reader unavailable');
      },
    };
    const broken = await startHttpBot({ answerer: rigged, discord: t.discord });
    try {
      const user = makeUser();
      const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Ile kosztuje outsourcing kadr?' }, locale: 'en-US', user });
      const delivered = await deliver(t.discord, broken.endpoint, broken.keys, interaction);
      expect(dataOf(delivered)).toMatchObject({ content: expect.stringMatching(/^Something went wrong/), flags: MessageFlags.Ephemeral });
      const line = broken.logLines().find((l) => l.msg === 'interaction failed');
      expect(line).toMatchObject({ level: 50, transport: 'http', command: 'zapytaj', userId: loggedId(user.id), guildId: loggedId(DEFAULT_GUILD_ID) });
    } finally {
      await broken.close();
    }
  });
});

describe('health and metrics', () => {
  it('GET /health is 200 while serving', async () => {
    const reply = await get(`${t.base}/health`);
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok' });
  });

  it('GET /metrics: requests by type and outcome, answers by kind, the latency histogram; never a user id', async () => {
    const user = makeUser();
    await send(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'przepis na pierogi' }, locale: 'pl', user }));
    const reply = await get(`${t.base}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    const text = reply.text;
    expect(text).toMatch(/^bot_interactions_total\{transport="http",type="command",outcome="answered"\} \d+$/m);
    expect(text).toMatch(/^bot_interactions_total\{transport="http",type="unknown",outcome="unauthorized"\} \d+$/m);
    expect(text).toMatch(/^bot_interactions_total\{transport="http",type="ping",outcome="answered"\} \d+$/m);
    expect(text).toMatch(/^bot_answers_total\{transport="http",via="slash",kind="not-found"\} \d+$/m);
    expect(text).toMatch(/^bot_answer_seconds_bucket\{le="0\.005",transport="http",via="slash"\} \d+$/m);
    expect(text).toMatch(/^bot_process_resident_memory_bytes \d+/m);
    expect(text).not.toContain(user.id);
  });
});

describe('the log', () => {
  it('holds no interaction token', async () => {
    await vi.waitFor(() => expect(t.rawLog.length).toBeGreaterThan(0));
    const tokens = [...t.discord.state.interactions.keys()];
    expect(tokens.length).toBeGreaterThan(5);
    const log = t.rawLog.join('\n');
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
