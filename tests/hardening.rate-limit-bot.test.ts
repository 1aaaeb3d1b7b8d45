/**
 * The question limit in the real bot, with the production settings (5 questions per 30 seconds):
 * shared by every entry point, one notice per window, then silence, and autocomplete never
 * counted. Each test asks as a new user, so the tests do not share a count. How windows end is
 * shown with a moved clock in hardening.rate-limit.
 */
import { MessageFlags } from 'discord.js';
import type { APIEmbed, APIUser, GatewayMessageCreateDispatchData as SentMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { ApplicationCommandType, ComponentType, InteractionType } from 'discord-api-types/v10';
import {
  DEFAULT_BOT_USER,
  DEFAULT_GUILD_ID,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  makeInteractionBase,
  makeMessage,
  makeUser,
  nextSnowflake,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { loggedId, startTestBot, testAnswerer, type TestBot } from './support/bot-harness.ts';

let t: TestBot;
const title = (id: string) => testAnswerer().kb.byId.get(id)!.title.pl;
const settings = loadConfig({}).rateLimit;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  t = await startTestBot({ rateLimit: settings });
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await t?.close();
});

afterEach(() => {
  expect(rejections).toEqual([]);
});

// ---- helpers ---------------------------------------------------------------------------------

interface Sent {
  content?: string;
  embeds?: APIEmbed[];
  flags?: number;
  message_reference?: { message_id: string };
}

const callbackPath = (interaction: { id: string; token: string }) => `/interactions/${interaction.id}/${interaction.token}/callback`;

/** Dispatches an interaction and returns the bot's callback to it. */
async function interact(interaction: { id: string; token: string }): Promise<Sent> {
  t.server.sendInteraction(interaction);
  const request = await t.server.waitForRequest({ method: 'POST', path: callbackPath(interaction) });
  return (request.body as { data: Sent }).data;
}

const slash = (user: APIUser, question = 'Co to jest BPO?') => makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, user, locale: 'pl' });
const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;

/** The message the bot posted in reply to `message` (in its channel, linked to it in servers). */
async function replyTo(message: SentMessage, since: number): Promise<Sent> {
  const request = await t.waitForRequestAfter(
    since,
    (r) =>
      r.method === 'POST' &&
      r.path === `/channels/${message.channel_id}/messages` &&
      (message.guild_id === undefined || (r.body as Sent).message_reference?.message_id === message.id),
  );
  return request.body as Sent;
}

/**
 * Sends events the bot must leave unanswered, then a control question from someone else that it
 * must answer; returns every request the bot made meanwhile, the control's answer excluded.
 */
async function silentFor(send: () => (SentMessage | { id: string; token: string })[]): Promise<RecordedRequest[]> {
  const requests = t.mark();
  const since = t.server.requests.length;
  const sent = send();
  const control = t.server.sendMessage({ content: mention('Co to jest BPO?'), author: makeUser() });
  await replyTo(control, since);
  const ids = sent.map((s) => s.id);
  // A DM answer carries no reference to the question: anything posted in that DM counts.
  const dmChannels = sent.flatMap((s) => ('channel_id' in s && s.guild_id === undefined ? [`/channels/${s.channel_id}/`] : []));
  return requests().filter((r) => ids.some((id) => r.path.includes(id) || JSON.stringify(r.body ?? '').includes(id)) || dmChannels.some((p) => r.path.startsWith(p)));
}

const NOTICE_PL = /^Zadajesz pytania zbyt szybko\. Możesz zapytać ponownie za \d+ s\.$/;
const NOTICE_EN = /^You are asking too quickly\. You can ask again in \d+ s\.$/;
const limitedLines = (userId: string) => t.logLines().filter((l) => l.msg === 'rate limited' && l.userId === loggedId(userId));

// ---- tests -----------------------------------------------------------------------------------

describe('question limit (5 per 30 s)', () => {
  it('answers 5 slash questions, then tells the asker privately when to ask again, each time (Discord needs an answer)', async () => {
    const user = makeUser();
    for (let i = 0; i < settings.questions; i++) {
      const reply = await interact(slash(user));
      expect(reply.embeds![0]!.title).toBe(title('bpo-definition'));
    }
    for (let i = 0; i < 3; i++) {
      const notice = await interact(slash(user));
      expect(notice.flags).toBe(MessageFlags.Ephemeral);
      expect(notice.content).toMatch(NOTICE_PL);
      expect(notice.embeds ?? []).toEqual([]);
    }
    await expect.poll(() => limitedLines(user.id).length).toBe(3);
    expect(limitedLines(user.id)[0]).toMatchObject({ level: 30, via: 'slash', userId: loggedId(user.id), guildId: loggedId(DEFAULT_GUILD_ID), limited: true, notified: true });
  });

  it('one limit across slash commands, buttons, DMs and mentions; the notice comes where the user asked', async () => {
    const user = makeUser();
    await interact(slash(user));
    await interact(makeButtonInteraction({ customId: 'topic:back-office:pl', user, locale: 'pl' }));
    let since = t.server.requests.length;
    await replyTo(t.server.sendMessage({ dm: true, author: user, content: 'Co to jest front office?' }), since);
    since = t.server.requests.length;
    await replyTo(t.server.sendMessage({ author: user, content: mention('Koszty w BPO') }), since);
    await interact(slash(user, 'Czym jest back office?'));

    // Sixth question, as a mention: the notice is a reply to it, in the question's language.
    since = t.server.requests.length;
    const sixth = t.server.sendMessage({ author: user, content: mention('What is BPO?') });
    const notice = await replyTo(sixth, since);
    expect(notice.content).toMatch(NOTICE_EN);
    expect(notice.embeds).toEqual([]);
    expect((notice as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });

    // Then nothing in public, whichever way the user tries; slash commands and buttons still get
    // the private notice, since Discord shows an error for an interaction left unanswered.
    const silent = await silentFor(() => [
      t.server.sendMessage({ author: user, content: mention('Co to jest BPO?') }),
      t.server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' }),
    ]);
    expect(silent).toEqual([]);
    expect((await interact(slash(user))).content).toMatch(NOTICE_PL);
    expect((await interact(makeButtonInteraction({ customId: 'topic:back-office:pl', user }))).flags).toBe(MessageFlags.Ephemeral);
    await expect.poll(() => limitedLines(user.id).map((l) => l.via).sort()).toEqual(['button', 'dm', 'mention', 'mention', 'slash']);
  });

  it('a button over the limit gets the notice privately', async () => {
    const user = makeUser();
    for (let i = 0; i < settings.questions; i++) await interact(makeButtonInteraction({ customId: 'topic:hr-payroll:en', user, locale: 'en-US' }));
    const notice = await interact(makeButtonInteraction({ customId: 'topic:hr-payroll:en', user, locale: 'en-US' }));
    expect(notice).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringMatching(NOTICE_EN) });
  });

  it('a DM over the limit gets the notice in the DM', async () => {
    const user = makeUser();
    for (let i = 0; i < settings.questions; i++) {
      const since = t.server.requests.length;
      await replyTo(t.server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' }), since);
    }
    const since = t.server.requests.length;
    const notice = await replyTo(t.server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' }), since);
    expect(notice.content).toMatch(NOTICE_PL);
  });

  it('one user flooding a channel with 30 mentions gets 5 answers and 1 notice, and others are still answered', async () => {
    const flooder = makeUser();
    const requests = t.mark();
    const since = t.server.requests.length;
    const flood = Array.from({ length: 30 }, (_, i) => t.server.sendMessage({ author: flooder, content: mention(`Co to jest BPO? ${i}`) }));
    const other = t.server.sendMessage({ author: makeUser(), content: mention('Czym jest back office?') });
    expect((await replyTo(other, since)).embeds![0]!.title).toBe(title('back-office'));
    const floodIds = new Set(flood.map((m) => m.id));
    const posted = () => requests().filter((r) => r.method === 'POST' && floodIds.has((r.body as Sent | null)?.message_reference?.message_id ?? ''));
    await expect.poll(() => posted().length).toBe(settings.questions + 1);
    // A later control question is answered, and still nothing more went to the flood.
    await silentFor(() => []);
    expect(posted()).toHaveLength(settings.questions + 1);
    expect(posted().filter((r) => (r.body as Sent).content !== undefined && NOTICE_PL.test((r.body as Sent).content!))).toHaveLength(1);
    // No typing indicators: every answer went out at once.
    expect(requests().filter((r) => r.path.endsWith('/typing'))).toEqual([]);
  });

  it('select menus, forms and context-menu commands count too: past the limit each gets the private notice', async () => {
    const user = makeUser();
    const base = () => makeInteractionBase({ user, locale: 'pl' });
    const select = () => ({ ...base(), type: InteractionType.MessageComponent, data: { custom_id: 'menu:stare', component_type: ComponentType.StringSelect, values: ['a'] }, message: makeMessage({ author: DEFAULT_BOT_USER }) });
    const modal = () => ({ ...base(), type: InteractionType.ModalSubmit, data: { custom_id: 'feedback', components: [] } });
    const contextMenu = () => ({ ...base(), type: InteractionType.ApplicationCommand, data: { id: nextSnowflake(), name: 'Zgłoś', type: ApplicationCommandType.User, target_id: user.id, resolved: { users: { [user.id]: user } } } });
    const kinds = [select, modal, contextMenu, select, modal];
    for (const make of kinds) expect((await interact(make() as never)).embeds![0]!.title).toMatch(/^(Ta opcja jest nieaktualna|Nie znam tej komendy)$/);
    for (const make of [select, modal, contextMenu]) {
      const notice = await interact(make() as never);
      expect(notice).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringMatching(NOTICE_PL) });
    }
    await expect.poll(() => limitedLines(user.id).map((l) => l.via).sort()).toEqual(['context-menu', 'modal', 'select']);
  });

  it('autocomplete is not a question: it keeps suggesting over the limit and does not count toward it', async () => {
    const user = makeUser();
    for (let i = 0; i < 12; i++) {
      const sent = makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: 'back', user, locale: 'pl' });
      t.server.sendInteraction(sent);
      const request = await t.server.waitForRequest({ method: 'POST', path: callbackPath(sent) });
      expect((request.body as { data: { choices: { value: string }[] } }).data.choices.map((c) => c.value)).toContain('back-office');
    }
    // All five questions are still there to ask.
    for (let i = 0; i < settings.questions; i++) expect((await interact(slash(user))).embeds).toHaveLength(1);
    expect(limitedLines(user.id)).toEqual([]);
  });
});
