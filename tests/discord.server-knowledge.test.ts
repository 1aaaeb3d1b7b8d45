/**
 * Servers' own answers through Discord, end to end: the real bot against the Discord stand-in, on a
 * SQLite file and on a PostgreSQL server started for the test. Admins add, edit, list, export and
 * remove entries with /wiedza (/faq) and its form; the entries answer in their own server only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelType, PermissionFlagsBits, type APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHasher } from '../src/feedback/user-hash.ts';
import { createLogger } from '../src/log.ts';
import { openPostgresServerKnowledge } from '../src/server-knowledge/postgres-store.ts';
import { startServerKnowledge, type ServerKnowledge } from '../src/server-knowledge/service.ts';
import { openSqliteServerKnowledge } from '../src/server-knowledge/sqlite-store.ts';
import type { ServerKnowledgeStore } from '../src/server-knowledge/store.ts';
import { TEST_KEY_SECRET, startTestBot, type TestBot } from './support/bot-harness.ts';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_GUILDS,
  DEFAULT_PERMISSIONS,
  makeAutocompleteInteraction,
  makeChatInputInteraction,
  makeModalSubmitInteraction,
  makeUser,
  type GuildSpec,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { startPostgres, type TestPostgres } from './support/postgres-server.ts';

const OTHER_GUILD: GuildSpec = { id: '1200000000000000101', name: 'Other Guild', channels: [{ id: '1200000000000000102', name: 'general', type: ChannelType.GuildText }] };
const GUILDS = [...DEFAULT_GUILDS, OTHER_GUILD];
const MODERATOR_PERMISSIONS = (BigInt(DEFAULT_PERMISSIONS) | PermissionFlagsBits.ManageGuild).toString();
const moderator = makeUser({ username: 'moderator' });
const member = makeUser({ username: 'member' });
const hashAdmin = userHasher(TEST_KEY_SECRET);
const silent = createLogger({ level: 'silent' });

interface Callback {
  type: number;
  data: { content?: string; embeds?: APIEmbed[]; flags?: number; custom_id?: string; title?: string; components?: { type: number; label?: string; component?: { custom_id: string; value?: string } }[]; choices?: { name: string; value: string }[] };
}

const MEETUP = { question: 'Kiedy jest następny meetup?', phrasings: 'kiedy spotkanie\nnext meetup date', answer: 'W każdy pierwszy czwartek miesiąca o 18:00, kanał #meetupy.' };

/** One bot on one store, as a process would run it. */
async function botOn(store: ServerKnowledgeStore): Promise<{ bot: TestBot; knowledge: ServerKnowledge }> {
  const knowledge = await startServerKnowledge({ store, hashUser: hashAdmin, logger: silent, watchEveryMs: 100 });
  const bot = await startTestBot({ guilds: GUILDS, serverKnowledge: knowledge });
  return { bot, knowledge };
}

async function interact(t: TestBot, interaction: { id: string; token: string }): Promise<{ body: Callback; request: RecordedRequest }> {
  t.server.sendInteraction(interaction);
  const request = await t.server.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
  expect(request.status).toBe(204);
  return { body: request.body as Callback, request };
}

/** A command's reply that came through the deferral: the edit of the original message. */
const editOf = (t: TestBot, token: string) => t.server.waitForRequest({ method: 'PATCH', path: `/webhooks/${t.server.applicationId}/${token}/messages/@original` });

const faq = (sub: string, options: Record<string, string> = {}, init: { permissions?: string; guildId?: string; user?: ReturnType<typeof makeUser>; locale?: string } = {}) =>
  makeChatInputInteraction({
    name: 'wiedza',
    options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })) }],
    user: init.user ?? moderator,
    memberPermissions: init.permissions ?? MODERATOR_PERMISSIONS,
    locale: init.locale ?? 'pl',
    ...(init.guildId ? { guildId: init.guildId, channelId: GUILDS.find((g) => g.id === init.guildId)!.channels[0]!.id } : {}),
  });

const ask = (question: string, guildId = DEFAULT_GUILD_ID, user = member) =>
  makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, user, locale: 'pl', guildId, channelId: GUILDS.find((g) => g.id === guildId)!.channels[0]!.id });

/** Opens the form with `dodaj` and submits it as a moderator; returns the confirmation. */
async function addThroughForm(t: TestBot, fields: typeof MEETUP, guildId = DEFAULT_GUILD_ID): Promise<string> {
  const opened = await interact(t, faq('dodaj', {}, { guildId }));
  expect(opened.body.type).toBe(9);
  const submit = makeModalSubmitInteraction({ customId: opened.body.data.custom_id!, fields, user: moderator, memberPermissions: MODERATOR_PERMISSIONS, locale: 'pl', guildId, channelId: GUILDS.find((g) => g.id === guildId)!.channels[0]!.id });
  const { body } = await interact(t, submit);
  // The form's handler defers privately and edits its confirmation in, or answers at once.
  if (body.type === 5) return String(((await editOf(t, submit.token)).body as { content?: string }).content);
  return String(body.data.content);
}

async function answerTo(t: TestBot, question: string, guildId = DEFAULT_GUILD_ID): Promise<Callback['data']> {
  const interaction = ask(question, guildId);
  const { body } = await interact(t, interaction);
  if (body.type === 5) return (await editOf(t, interaction.token)).body as Callback['data'];
  return body.data;
}

const fieldNames = (data: Callback['data']) => (data.embeds?.[0]?.fields ?? []).map((f) => f.name);

type Storage = { name: string; open: () => Promise<ServerKnowledgeStore>; cleanup: () => Promise<void> };

let postgres: TestPostgres | undefined;
const dir = mkdtempSync(join(tmpdir(), 'server-knowledge-e2e-'));
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const storages: Storage[] = [
  { name: 'SQLite (the default)', open: async () => openSqliteServerKnowledge(join(dir, 'bot.db')), cleanup: async () => undefined },
  {
    name: 'PostgreSQL (DATABASE_URL)',
    open: async () => {
      postgres ??= await startPostgres();
      return openPostgresServerKnowledge(postgres.url);
    },
    cleanup: async () => undefined,
  },
];

describe.each(storages)('server knowledge on $name', (storage) => {
  let t: TestBot;
  let knowledge: ServerKnowledge;
  let store: ServerKnowledgeStore;

  beforeAll(async () => {
    store = await storage.open();
    ({ bot: t, knowledge } = await botOn(store));
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await knowledge?.close();
  });

  it('is refused, privately, to a member without Manage Server, and in a DM', async () => {
    const { body } = await interact(t, faq('dodaj', {}, { permissions: DEFAULT_PERMISSIONS, user: member }));
    expect(body.type).toBe(4);
    expect(body.data.flags! & 64).toBe(64);
    expect(body.data.content).toContain('Zarządzanie serwerem');
    const { body: english } = await interact(t, faq('list', {}, { permissions: DEFAULT_PERMISSIONS, user: member, locale: 'en-US' }));
    expect(english.data.content).toBe('Only members with the Manage Server permission can use this command.');
    expect(await store.list(DEFAULT_GUILD_ID)).toEqual([]);
  });

  it('opens a form with the question, the phrasings and the answer', async () => {
    // Discord sends the default names; the English ones ("/faq add") are understood as well.
    const english = makeChatInputInteraction({ name: 'faq', options: [{ type: 1, name: 'add', options: [] }], user: moderator, memberPermissions: MODERATOR_PERMISSIONS, locale: 'en-US' });
    const inEnglish = await interact(t, english);
    expect(inEnglish.body.type).toBe(9);
    expect(inEnglish.body.data.components!.map((c) => [c.label, c.component!.custom_id])).toEqual([
      ['Question', 'question'],
      ['Other phrasings (one per line)', 'phrasings'],
      ['Answer', 'answer'],
    ]);
    const { body } = await interact(t, faq('dodaj'));
    expect(body.type).toBe(9);
    expect(body.data.custom_id).toBe('faq:add');
    expect(body.data.components!.map((c) => [c.label, c.component!.custom_id])).toEqual([
      ['Pytanie', 'question'],
      ['Inne sformułowania (jedno w wierszu)', 'phrasings'],
      ['Odpowiedź', 'answer'],
    ]);
  });

  it('a moderator adds an entry through the form; it answers in that server at once, by question or phrasing, without a quote', async () => {
    expect(await addThroughForm(t, MEETUP)).toBe('Dodano wpis „Kiedy jest następny meetup?”. Odpowiada od teraz na tym serwerze.');
    for (const question of ['kiedy jest nastepny meetup', 'Kiedy spotkanie?', 'next meetup date?']) {
      const data = await answerTo(t, question);
      expect(data.flags ?? 0).toBe(0);
      expect(data.embeds![0]!.description).toBe(MEETUP.answer);
      expect(fieldNames(data)).toEqual(['Wiedza tego serwera']);
      expect(data.embeds![0]!.fields![0]!.value).toMatch(/^Odpowiedź administracji serwera, nie z artykułu\. Aktualizacja: \d{1,2} \S+ \d{4}\.$/);
    }
    // A mention in that server gets it too.
    const since = t.server.requests.length;
    t.server.sendMessage({ content: `<@${t.server.botUser.id}> kiedy jest następny meetup?`, author: member });
    const reply = await t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${DEFAULT_CHANNEL_ID}/messages` && r.status === 200);
    expect((reply.body as Callback['data']).embeds![0]!.description).toBe(MEETUP.answer);
    // The audit holds the admin's keyed hash only.
    expect(await store.audit(DEFAULT_GUILD_ID)).toEqual([expect.objectContaining({ action: 'add', actor: hashAdmin(moderator.id).toString('hex') })]);
  });

  it('the same question in another server does not get it, and the article still answers', async () => {
    const elsewhere = await answerTo(t, 'Kiedy jest następny meetup?', OTHER_GUILD.id);
    expect(elsewhere.flags! & 64).toBe(64);
    expect(elsewhere.embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
    const article = await answerTo(t, 'Co to jest BPO?');
    expect(fieldNames(article)).toEqual(['Źródło']);
  });

  it('refuses a duplicate question, a mention and an empty answer, with reasons', async () => {
    expect(await addThroughForm(t, { ...MEETUP, question: 'kiedy  jest NASTĘPNY meetup?' })).toBe('Ten serwer ma już wpis z takim pytaniem. Zmień go komendą /wiedza edytuj.');
    expect(await addThroughForm(t, { ...MEETUP, question: 'Gdzie są oferty pracy?', answer: 'Pytaj @everyone' })).toContain('nie może zawierać wzmianek');
    expect(await addThroughForm(t, { ...MEETUP, question: 'Gdzie są oferty pracy?', answer: '   ' })).toBe('Wpisz odpowiedź.');
    expect((await store.list(DEFAULT_GUILD_ID)).map((e) => e.question)).toEqual([MEETUP.question]);
  });

  it('lists, suggests, edits through a filled-in form, exports as a JSON file, and removes by the typed question', async () => {
    const [entry] = await store.list(DEFAULT_GUILD_ID);
    const listed = await interact(t, faq('lista'));
    expect(listed.body.data.content).toBe('**Wiedza serwera: 1 wpis**\n• Kiedy jest następny meetup?');

    const typed = makeAutocompleteInteraction({ name: 'wiedza', focusedOption: 'wpis', value: 'meet', user: moderator, memberPermissions: MODERATOR_PERMISSIONS, options: [] });
    typed.data.options = [{ type: 1, name: 'edytuj', options: [{ type: 3, name: 'wpis', value: 'meet', focused: true }] }] as never;
    expect((await interact(t, typed)).body.data.choices).toEqual([{ name: MEETUP.question, value: entry!.id }]);

    const opened = await interact(t, faq('edytuj', { wpis: entry!.id }));
    expect(opened.body.type).toBe(9);
    expect(opened.body.data.components!.map((c) => c.component!.value)).toEqual([MEETUP.question, 'kiedy spotkanie\nnext meetup date', MEETUP.answer]);
    const submit = makeModalSubmitInteraction({ customId: opened.body.data.custom_id!, fields: { ...MEETUP, answer: 'Od stycznia w każdą pierwszą środę.' }, user: moderator, memberPermissions: MODERATOR_PERMISSIONS, locale: 'pl' });
    const saved = await interact(t, submit);
    expect(saved.body.data.content ?? ((await editOf(t, submit.token)).body as { content: string }).content).toBe('Zapisano zmiany we wpisie „Kiedy jest następny meetup?”.');
    expect((await answerTo(t, 'kiedy spotkanie')).embeds![0]!.description).toBe('Od stycznia w każdą pierwszą środę.');

    const exported = faq('eksport');
    expect((await interact(t, exported)).body.type).toBe(5);
    const file = await editOf(t, exported.token);
    expect((file.body as { content: string }).content).toBe('Wpisy tego serwera (1) w pliku JSON.');
    expect(file.files).toHaveLength(1);
    const json = JSON.parse(file.files![0]!.data.toString('utf8')) as { entries: Record<string, unknown>[] };
    expect(json.entries).toEqual([expect.objectContaining({ id: entry!.id, question: MEETUP.question, phrasings: ['kiedy spotkanie', 'next meetup date'], answer: 'Od stycznia w każdą pierwszą środę.' })]);
    expect(JSON.stringify(json)).not.toContain(moderator.id);

    // Typed out without picking a suggestion, the question names the entry too.
    const removed = await interact(t, faq('usun', { wpis: 'kiedy jest NASTĘPNY meetup?' }));
    expect(removed.body.data.content).toBe('Usunięto wpis „Kiedy jest następny meetup?”.');
    expect((await answerTo(t, 'Kiedy jest następny meetup?')).embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
    expect((await store.audit(DEFAULT_GUILD_ID)).map((row) => row.action)).toEqual(['remove', 'edit', 'add']);
  });
});

describe('two processes on one PostgreSQL', () => {
  it("see each other's new entries: added through one bot, answered by the other", async () => {
    postgres ??= await startPostgres();
    const url = postgres.url;
    const first = await botOn(await openPostgresServerKnowledge(url));
    const second = await botOn(await openPostgresServerKnowledge(url));
    try {
      const question = { question: 'Gdzie są oferty pracy?', phrasings: 'oferty pracy\njob offers', answer: 'Na kanale #praca.' };
      // The second bot has read the server's entries before the change, so the change must reach it.
      expect((await answerTo(second.bot, 'gdzie są oferty pracy?')).embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
      expect(await addThroughForm(first.bot, question)).toContain('Dodano wpis');
      await expect.poll(async () => (await answerTo(second.bot, 'gdzie są oferty pracy?')).embeds![0]!.description, { timeout: 10_000, interval: 200 }).toBe('Na kanale #praca.');
    } finally {
      await Promise.all([first.bot.close(), second.bot.close()]);
      await Promise.all([first.knowledge.close(), second.knowledge.close()]);
    }
  }, 60_000);
});
