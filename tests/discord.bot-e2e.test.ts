/**
 * The real bot against the Discord test server: every entry point (slash command, autocomplete,
 * button, mention, DM) from a gateway event to the REST requests the bot makes, asserted on what
 * the server recorded. One bot serves the whole file, as in production; each test looks only at
 * requests for its own message or interaction.
 */
import { GatewayIntentBits, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  makeUser,
  nextSnowflake,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { loggedId, startTestBot, TEST_TOKEN, testAnswerer, type LogLine, type TestBot } from './support/bot-harness.ts';

let t: TestBot;
const kb = testAnswerer().kb;
const entry = (id: string) => kb.byId.get(id)!;
const pinnedIds = kb.entries.filter((e) => e.pinned).map((e) => e.id);

const NO_MENTIONS = { parse: [], replied_user: false };
const CHANNEL_MESSAGES = `/channels/${DEFAULT_CHANNEL_ID}/messages`;

beforeAll(async () => {
  t = await startTestBot();
});

afterAll(async () => {
  await t?.close();
});

// ---- helpers ---------------------------------------------------------------------------------

interface CallbackBody {
  type: number;
  data: {
    content?: string;
    embeds?: APIEmbed[];
    components?: { components: { custom_id: string; label: string }[] }[];
    allowed_mentions?: unknown;
    flags?: number;
    choices?: { name: string; value: string }[];
  };
}

/** Dispatches an interaction and returns the bot's callback to it. */
async function interact(interaction: { id: string; token: string }): Promise<{ body: CallbackBody; request: RecordedRequest }> {
  t.server.sendInteraction(interaction);
  const request = await t.server.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
  expect(request.status).toBe(204);
  return { body: request.body as CallbackBody, request };
}

const ask = (question: string, init: Parameters<typeof makeChatInputInteraction>[0] extends infer I ? Partial<I> : never = {}) =>
  interact(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, locale: 'pl', ...init }));

/** Posts a guild message (through the gateway) and returns the bot's reply request, if any. */
async function replyTo(message: APIMessage, since: number): Promise<RecordedRequest> {
  return t.waitForRequestAfter(
    since,
    (r) => r.method === 'POST' && r.path === `/channels/${message.channel_id}/messages` && r.status === 200,
  );
}

const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;
const buttonIds = (body: { components?: { components: { custom_id: string }[] }[] }) =>
  (body.components ?? []).flatMap((row) => row.components.map((button) => button.custom_id));
const answeredLines = () => t.logLines().filter((line) => line.msg === 'answered');

/** The "answered" log line of one user's question; it is written just after the reply went out, so it is waited for. */
function answeredLog(userId: string): Promise<LogLine> {
  return vi.waitFor(() => {
    const line = answeredLines().find((l) => l.userId === loggedId(userId));
    if (!line) throw new Error(`no "answered" log line for user ${userId}`);
    return line;
  }, WAIT);
}
const WAIT = { timeout: 5000 };

/** Sends something the bot must ignore, then a control mention; only the control may get a reply. */
async function expectIgnored(send: () => APIMessage): Promise<void> {
  const requests = t.mark();
  const since = t.server.requests.length;
  const ignored = send();
  const control = t.server.sendMessage({ content: mention('Co to jest BPO?') });
  const reply = await replyTo(control, since);
  expect(reply.body).toMatchObject({ message_reference: { message_id: control.id } });
  const touched = requests().filter((r) => r.path.includes(ignored.channel_id) && r.method === 'POST');
  // One request, the reply, and only for the control message.
  expect(touched.map((r) => r.path)).toEqual([`/channels/${control.channel_id}/messages`]);
  expect(t.server.requests.some((r) => (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === ignored.id)).toBe(false);
}

// ---- connection ------------------------------------------------------------------------------

describe('connection', () => {
  it('identifies with exactly Guilds | GuildMessages | DirectMessages | MessageContent (to read replies that do not ping it)', () => {
    expect(t.server.identifies).toHaveLength(1);
    const intents = t.server.identifies[0]!.intents as number;
    expect(intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent);
  });

  it('finds the gateway through DISCORD_API_BASE and logs ready with the server count', () => {
    expect(t.server.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    const ready = t.logLines().find((line) => line.msg === 'ready');
    expect(ready).toMatchObject({ guilds: 1, botUserId: t.server.botUser.id });
  });
});

// ---- slash commands --------------------------------------------------------------------------

describe('/zapytaj (/ask)', () => {
  it('answers publicly with an embed: title, answer, verbatim source quote "according to Wikipedia", confidence footer, related buttons', async () => {
    const { body } = await ask('Co to jest BPO?');
    expect(body.type).toBe(4);
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    const embed = body.data.embeds![0]!;
    const definition = entry('bpo-definition');
    expect(embed.title).toBe(definition.title.pl);
    expect(embed.description).toContain(definition.answer.pl);
    expect(embed.fields).toEqual([{ name: 'Źródło', value: expect.stringContaining(definition.quote) }]);
    expect(embed.fields![0]!.value).toMatch(/BPO \(ang\. Business Process Outsourcing\).*według: Wikipedia/);
    expect(embed.footer?.text).toMatch(/^Pewność dopasowania: \d{1,3}%$/);
    // Each also names the entry answered: the context a reply to this answer is read in.
    expect(buttonIds(body.data)).toEqual(definition.related.slice(0, 3).map((id) => `topic:${id}:pl:bpo-definition`));
  });

  it('logs the answer with via, user, server, entry, kind, score and latency; the question only at debug', async () => {
    const user = makeUser({ username: 'asker' });
    await ask('Czym jest front office?', { user });
    const line = await answeredLog(user.id);
    expect(line).toMatchObject({ via: 'slash', userId: loggedId(user.id), guildId: loggedId(DEFAULT_GUILD_ID), entryId: 'front-office', kind: 'answer', level: 30 });
    expect(line!.score).toEqual(expect.any(Number));
    expect(line!.latencyMs).toEqual(expect.any(Number));
    expect(line).not.toHaveProperty('question');
    const question = t.logLines().find((l) => l.msg === 'question' && l.userId === loggedId(user.id));
    expect(question).toMatchObject({ level: 20, question: 'Czym jest front office?' });
    // Whose question it was, and where, is a keyed hash on every line, as in the database.
    expect(t.rawLog.filter((l) => l.includes(user.id) || l.includes(DEFAULT_GUILD_ID))).toEqual([]);
  });

  it('answers in English for an English Discord locale', async () => {
    const { body } = await ask('Co to jest BPO?', { locale: 'en-GB' });
    const embed = body.data.embeds![0]!;
    expect(embed.title).toBe('What is BPO?');
    expect(embed.description).toContain(entry('bpo-definition').answer.en);
    expect(embed.fields![0]).toMatchObject({ name: 'Source', value: expect.stringContaining('according to Wikipedia') });
    // The quote stays the Polish original.
    expect(embed.fields![0]!.value).toContain(entry('bpo-definition').quote);
    expect(buttonIds(body.data).every((id) => id.endsWith(':en:bpo-definition'))).toBe(true);
  });

  it('uses the question\'s language when the Discord locale is one the bot does not speak', async () => {
    const { body } = await ask('What is back office?', { locale: 'de' });
    expect(body.data.embeds![0]!.title).toBe(entry('back-office').title.en);
  });

  it('replies privately (ephemeral) when nothing is found, with at most 3 suggestion buttons', async () => {
    const user = makeUser();
    const { body } = await ask('Jaki jest przepis na pierogi?', { user });
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
    const ids = buttonIds(body.data);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(await answeredLog(user.id)).toMatchObject({ via: 'slash', kind: 'not-found', entryId: null, score: null });
  });

  it('cannot ping: @everyone and a user mention in the question are quoted escaped, with no mentions allowed', async () => {
    const { body } = await ask(`@everyone <@${'1300000000000000009'}> przepis na pierogi`);
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    const description = body.data.embeds![0]!.description!;
    expect(description).not.toMatch(/@everyone|<@\d/);
    expect(description).toContain('@\u200beveryone');
    // What the server made of it: a message that notifies no one.
    const original = [...t.server.state.interactions.values()].at(-1)!.original!;
    expect(original.mentions).toEqual([]);
    expect(original.mention_everyone).toBe(false);
  });

  it('works in a DM with the bot', async () => {
    const user = makeUser();
    const { body } = await ask('Co to jest back office?', { dm: true, user, locale: 'pl' });
    expect(body.data.embeds![0]!.title).toBe(entry('back-office').title.pl);
    expect(await answeredLog(user.id)).toMatchObject({ via: 'slash', guildId: null, entryId: 'back-office' });
  });

  it('answers a topic picked from autocomplete (its value is the entry id)', async () => {
    const { body } = await ask('coca-cola-example', { locale: 'en-US' });
    expect(body.data.embeds![0]!.title).toBe(entry('coca-cola-example').title.en);
  });

  it('responds well inside the 3-second deadline', async () => {
    const sent = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Koszty w BPO' }, locale: 'pl' });
    const { request } = await interact(sent);
    const dispatchedAt = t.server.state.interactions.get(sent.token)!.dispatchedAt;
    expect(request.at - dispatchedAt).toBeLessThan(1000);
  });
});

describe('/tematy (/topics) and /pomoc (/help)', () => {
  it('lists every topic privately, main topics as buttons', async () => {
    const { body } = await interact(makeChatInputInteraction({ name: 'tematy', locale: 'en-US' }));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    const embed = body.data.embeds![0]!;
    expect(embed.title).toBe('What you can ask about');
    for (const e of kb.entries) expect(embed.description).toContain(e.title.en);
    expect(buttonIds(body.data)).toEqual(pinnedIds.map((id) => `topic:${id}:en`));
  });

  it('explains how to ask, privately', async () => {
    const { body } = await interact(makeChatInputInteraction({ name: 'pomoc', locale: 'pl' }));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Jak mnie używać');
    expect(body.data.embeds![0]!.description).toContain('/zapytaj');
  });
});

// ---- autocomplete ----------------------------------------------------------------------------

describe('autocomplete', () => {
  function expectWithinLimits(choices: { name: string; value: string }[]) {
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThanOrEqual(1);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  }

  it('offers the main topics first on empty input, within the limits, fast', async () => {
    const sent = makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: '', locale: 'pl' });
    const { body, request } = await interact(sent);
    expect(body.type).toBe(8);
    const choices = body.data.choices!;
    expectWithinLimits(choices);
    expect(choices.slice(0, pinnedIds.length).map((c) => c.value)).toEqual(pinnedIds);
    expect(choices[0]!.name).toBe(entry(pinnedIds[0]!).title.pl);
    expect(request.at - t.server.state.interactions.get(sent.token)!.dispatchedAt).toBeLessThan(1000);
  });

  it('suggests the right topic for a typo, in the user\'s language', async () => {
    const { body } = await interact(makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: 'bakc ofice', locale: 'en-US' }));
    const choices = body.data.choices!;
    expectWithinLimits(choices);
    expect(choices.length).toBeGreaterThan(0);
    expect(choices[0]).toEqual({ name: entry('back-office').title.en, value: 'back-office' });
  });
});

// ---- buttons ---------------------------------------------------------------------------------

describe('topic buttons', () => {
  it('clicking a related topic under an answer answers that topic, privately in a server', async () => {
    const { body: answered } = await ask('Co to jest BPO?');
    const customId = buttonIds(answered.data)[0]!;
    const relatedId = customId.split(':')[1]!;
    const original = [...t.server.state.interactions.values()].at(-1)!.original!;

    const clicker = makeUser();
    const { body } = await interact(makeButtonInteraction({ customId, message: original, user: clicker, locale: 'pl' }));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    const embed = body.data.embeds![0]!;
    expect(embed.title).toBe(entry(relatedId).title.pl);
    expect(embed.fields![0]!.value).toContain(entry(relatedId).quote);
    expect(await answeredLog(clicker.id)).toMatchObject({ via: 'button', entryId: relatedId, kind: 'answer', guildId: loggedId(DEFAULT_GUILD_ID) });
  });

  it('answers in the clicker\'s language, and publicly in a DM', async () => {
    const { body } = await interact(makeButtonInteraction({ customId: 'topic:hr-payroll:pl', locale: 'en-US', dm: true }));
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.embeds![0]!.title).toBe(entry('hr-payroll').title.en);
  });

  it('falls back to the button\'s language for a Discord locale the bot does not speak', async () => {
    const { body } = await interact(makeButtonInteraction({ customId: 'topic:hr-payroll:en', locale: 'fr' }));
    expect(body.data.embeds![0]!.title).toBe(entry('hr-payroll').title.en);
  });
});

// ---- mentions --------------------------------------------------------------------------------

describe('mentions in a server channel', () => {
  it('replies to the message (message_reference) in one request, with no typing indicator in front, without pinging', async () => {
    const since = t.server.requests.length;
    const asker = makeUser();
    const sent = t.server.sendMessage({ content: mention('Czym jest back office?'), author: asker });
    const reply = await replyTo(sent, since);
    const body = reply.body as { message_reference?: { message_id: string }; embeds: APIEmbed[]; allowed_mentions: unknown };
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    expect(body.embeds[0]!.title).toBe(entry('back-office').title.pl);
    expect(body.embeds[0]!.fields![0]!.value).toContain(entry('back-office').quote);

    expect(t.server.requests.slice(since).filter((r) => r.path.endsWith('/typing'))).toEqual([]);
    // The reply is linked to the question but notifies no one, the asker included.
    const posted = [...t.server.state.messages.values()].find((m) => m.message_reference?.message_id === sent.id)!;
    expect(posted.mentions).toEqual([]);
    expect(await answeredLog(asker.id)).toMatchObject({ via: 'mention', guildId: loggedId(DEFAULT_GUILD_ID), entryId: 'back-office' });
  });

  it('answers in the question\'s language', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ content: mention('What is front office?') });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[] };
    expect(body.embeds[0]!.title).toBe(entry('front-office').title.en);
  });

  it('accepts the legacy <@!id> mention form', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ content: `<@!${t.server.botUser.id}> Koszty w BPO` });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[] };
    expect(body.embeds[0]!.title).toBe(entry('bpo-costs').title.pl);
  });

  it('answers a bare mention with a short help', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ content: `<@${t.server.botUser.id}>` });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[]; components: unknown[]; message_reference: unknown };
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    expect(body.embeds[0]!.title).toBe('Jak mnie używać');
    expect(body.components.length).toBeGreaterThan(0);
  });

  it('@everyone next to the mention pings no one: allowed_mentions parse is empty', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ content: `@everyone ${mention('co to jest BPO?')} @here` });
    const reply = await replyTo(sent, since);
    expect((reply.body as { allowed_mentions: unknown }).allowed_mentions).toEqual(NO_MENTIONS);
    const posted = [...t.server.state.messages.values()].find((m) => m.message_reference?.message_id === sent.id)!;
    expect(posted.mention_everyone).toBe(false);
    expect(posted.mentions).toEqual([]);
    expect(posted.embeds[0]!.title).toBe(entry('bpo-definition').title.pl);
  });

  it('ignores a message that does not mention the bot', async () => {
    await expectIgnored(() => t.server.sendMessage({ content: 'Co to jest BPO?' }));
  });

  it('ignores @everyone / @here without a direct mention', async () => {
    await expectIgnored(() => t.server.sendMessage({ content: '@everyone Co to jest BPO?' }));
    await expectIgnored(() => t.server.sendMessage({ content: '@here Co to jest BPO?' }));
  });

  it('ignores a mention of someone else', async () => {
    await expectIgnored(() => t.server.sendMessage({ content: '<@1300000000000000042> Co to jest BPO?' }));
  });

  it('ignores other bots and webhooks, even when they mention it', async () => {
    const otherBot = makeUser({ username: 'other-bot', bot: true });
    await expectIgnored(() => t.server.sendMessage({ content: mention('Co to jest BPO?'), author: otherBot }));
    await expectIgnored(() =>
      t.server.sendMessage({ content: mention('Co to jest BPO?'), author: makeUser({ username: 'hook', bot: true }), webhook_id: nextSnowflake() }),
    );
  });

  it('ignores its own messages', async () => {
    await expectIgnored(() => t.server.sendMessage({ content: mention('Co to jest BPO?'), author: t.server.botUser }));
  });
});

// ---- direct messages -------------------------------------------------------------------------

describe('direct messages', () => {
  it('answers any text in the DM itself, in one request', async () => {
    const user = makeUser({ username: 'dm-user' });
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ dm: true, author: user, content: 'What is back office?' });
    const reply = await replyTo(sent, since);
    expect(reply.path).toBe(`/channels/${sent.channel_id}/messages`);
    expect(reply.path).not.toBe(CHANNEL_MESSAGES);
    const body = reply.body as { embeds: APIEmbed[]; allowed_mentions: unknown; message_reference?: unknown };
    expect(body.embeds[0]!.title).toBe(entry('back-office').title.en);
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    expect(body.message_reference).toBeUndefined();
    expect(await answeredLog(user.id)).toMatchObject({ via: 'dm', guildId: null, entryId: 'back-office' });
    expect(t.server.requests.slice(since).map((r) => r.path)).toEqual([reply.path]);
  });

  it('replies to an unknown question with suggestions in the DM', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ dm: true, author: makeUser(), content: 'Jaki jest przepis na pierogi?' });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[]; components: { components: unknown[] }[] };
    expect(body.embeds[0]!.title).toBe('Nie znalazłem odpowiedzi');
    expect(body.components[0]!.components.length).toBeLessThanOrEqual(3);
  });
});

// ---- failures --------------------------------------------------------------------------------

describe('failures', () => {
  it('an unknown (stale) command gets a private "not available" with the main topics, and a warning to redeploy', async () => {
    const sent = makeChatInputInteraction({ name: 'stara-komenda', locale: 'pl' });
    const { body } = await interact(sent);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Nie znam tej komendy');
    expect(buttonIds(body.data)).toEqual(pinnedIds.slice(0, 3).map((id) => `topic:${id}:pl`));
    const warning = await vi.waitFor(() => {
      const line = t.logLines().find((l) => l.msg.startsWith('unknown command') && l.interactionId === sent.id);
      if (!line) throw new Error('no "unknown command" warning');
      return line;
    }, WAIT);
    expect(warning).toMatchObject({ level: 40, command: 'stara-komenda', userId: loggedId(sent.member!.user.id), guildId: loggedId(DEFAULT_GUILD_ID) });
    expect(warning.msg).toContain('npm run deploy-commands');
  });

  it('a failed reply is logged and followed by the apology', async () => {
    const sent = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'en-US' });
    t.server.failNext({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback`, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    t.server.sendInteraction(sent);
    const apology = await t.server.waitForRequest(
      (r) => r.path === `/interactions/${sent.id}/${sent.token}/callback` && r.status === 204,
    );
    expect((apology.body as CallbackBody).data).toMatchObject({ content: expect.stringMatching(/^Something went wrong/), flags: MessageFlags.Ephemeral });
    expect(t.logLines().some((l) => l.msg === 'interaction failed' && l.interactionId === sent.id)).toBe(true);
  });

  it('a callback refused as already acknowledged (40060, two instances on one token) is logged without the interaction token', async () => {
    const sent = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' });
    const callback = `/interactions/${sent.id}/${sent.token}/callback`;
    t.server.failNext({ method: 'POST', path: callback, status: 400, times: 2, body: { message: 'Interaction has already been acknowledged.', code: 40060 } });
    t.server.sendInteraction(sent);
    const failure = await vi.waitFor(() => {
      const line = t.logLines().find((l) => l.msg === 'interaction failed' && l.interactionId === sent.id);
      if (!line) throw new Error('no "interaction failed" log line');
      return line;
    }, WAIT);
    expect(JSON.stringify(failure)).toContain('already been acknowledged');
    await expect.poll(() => t.logLines().some((l) => l.msg === 'could not apologize' && l.interactionId === sent.id)).toBe(true);
    expect(t.rawLog.join('\n')).toContain(`/interactions/${sent.id}/[redacted]/callback`);
    expect(t.rawLog.join('\n')).not.toContain(sent.token);
  });

  it('a failed mention reply is logged with context, and the bot keeps answering', async () => {
    const since = t.server.requests.length;
    t.server.failNext({ method: 'POST', path: CHANNEL_MESSAGES, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const failed = t.server.sendMessage({ content: mention('Co to jest BPO?') });
    await t.waitForRequestAfter(since, (r) => r.path === CHANNEL_MESSAGES && r.failedWith === 400);
    await expect.poll(() => t.logLines().find((l) => l.msg === 'message handling failed' && l.messageId === failed.id)).toMatchObject({
      level: 50,
      via: 'mention',
      guildId: loggedId(DEFAULT_GUILD_ID),
    });
    const next = t.server.sendMessage({ content: mention('Co to jest BPO?') });
    await replyTo(next, since);
  });
});

describe('after answering many', () => {
  it('pinged no one: every message it sent names no one to ping, itself', () => {
    const sent = t.server.requests
      .filter((r) => r.method === 'POST' && (r.path === CHANNEL_MESSAGES || r.path.endsWith('/callback') || /\/webhooks\//.test(r.path)))
      .map((r) => (r.path.endsWith('/callback') ? (r.body as { data?: Record<string, unknown> }).data : (r.body as Record<string, unknown>)))
      .filter((data): data is Record<string, unknown> => data !== undefined && ('content' in data || 'embeds' in data));
    expect(sent.length).toBeGreaterThan(10);
    for (const data of sent) expect((data.allowed_mentions as { parse?: unknown } | undefined)?.parse).toEqual([]);
  });

  it('still knows how many servers it is in, for its logs (and caches nothing: it keeps no discord.js client)', () => {
    expect(t.server.requests.filter((r) => r.path === CHANNEL_MESSAGES).length).toBeGreaterThan(10);
    expect(t.bot.guilds).toBe(1);
  });
});

describe('logs', () => {
  it('never contain the token', () => {
    expect(t.rawLog.length).toBeGreaterThan(0);
    for (const line of t.rawLog) expect(line).not.toContain(TEST_TOKEN);
  });
});
