/**
 * The real bot against the Discord test server, fed what a well-behaved client would not send:
 * interactions it never created or does not know, stale buttons, questions far over the length
 * limit, messages without content, and other bots mentioning it. Each gets a graceful reply or is
 * ignored; nothing becomes an unhandled rejection or an error in the log.
 */
import { ApplicationCommandType, ComponentType, InteractionType, MessageFlags } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BOT_USER,
  makeAutocompleteInteraction,
  makeButtonInteraction,
  makeChatInputInteraction,
  makeDmMessage,
  makeInteractionBase,
  makeMessage,
  makeUser,
  nextSnowflake,
  type RecordedRequest,
} from './support/discord-server/index.ts';
import { loggedId, startTestBot, testAnswerer, type TestBot } from './support/bot-harness.ts';
import { COMMANDS, ASK_COMMAND } from '../src/interactions/commands.ts';

let t: TestBot;
const kb = testAnswerer().kb;
const pinnedIds = kb.entries.filter((e) => e.pinned).map((e) => e.id);
const NO_MENTIONS = { parse: [], replied_user: false };

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  t = await startTestBot();
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await t?.close();
});

let logLinesBefore = 0;
beforeEach(() => {
  logLinesBefore = t.rawLog.length;
});

afterEach(() => {
  expect(rejections).toEqual([]);
  // Bad input is the user's doing, not a fault of the bot: nothing is logged as an error.
  expect(t.logLines().slice(logLinesBefore).filter((line) => line.level >= 50)).toEqual([]);
});

// ---- helpers ---------------------------------------------------------------------------------

interface CallbackBody {
  type: number;
  data: { content?: string; embeds?: APIEmbed[]; components?: { components: { custom_id: string }[] }[]; allowed_mentions?: unknown; flags?: number; choices?: { name: string; value: string }[] };
}

const callbackPath = (interaction: { id: string; token: string }) => `/interactions/${interaction.id}/${interaction.token}/callback`;

/** Dispatches an interaction (built by a factory or raw) and returns the bot's callback to it. */
async function interact(interaction: { id: string; token: string }): Promise<CallbackBody> {
  t.server.sendInteraction(interaction);
  const request = await t.server.waitForRequest({ method: 'POST', path: callbackPath(interaction) });
  expect(request.status).toBe(204);
  return request.body as CallbackBody;
}

const buttonIds = (data: CallbackBody['data']) => (data.components ?? []).flatMap((row) => row.components.map((b) => b.custom_id));

/** Sends an interaction the bot must not answer, then a control; only the control gets a callback. */
async function expectNoResponse(interaction: { id: string; token: string }): Promise<void> {
  const requests = t.mark();
  t.server.sendInteraction(interaction);
  await interact(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' }));
  expect(requests().filter((r) => r.path.includes(interaction.id))).toEqual([]);
}

/** The bot's message posted in reply to (or in the DM channel of) `message`. */
function replyTo(message: APIMessage, since: number): Promise<RecordedRequest> {
  return t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${message.channel_id}/messages` && r.status === 200);
}

const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;

/** Something the bot must ignore, followed by a control mention that must be answered (and nothing else). */
async function expectIgnored(send: () => APIMessage): Promise<void> {
  const requests = t.mark();
  const since = t.server.requests.length;
  const ignored = send();
  const control = t.server.sendMessage({ content: mention('Co to jest BPO?') });
  await replyTo(control, since);
  const answered = requests().filter((r) => (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === ignored.id);
  expect(answered).toEqual([]);
  // One request in all: the control's answer.
  expect(requests().filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'))).toHaveLength(1);
}

// ---- interactions ----------------------------------------------------------------------------

describe('interactions the bot does not know', () => {
  it('ignores interaction types discord.js does not know (and pings), with no request at all', async () => {
    await expectNoResponse({ ...makeInteractionBase(), type: 99, data: {} } as never);
    await expectNoResponse({ ...makeInteractionBase(), type: InteractionType.Ping } as never);
    // A component type that does not exist: discord.js drops it too.
    await expectNoResponse({ ...makeInteractionBase(), type: InteractionType.MessageComponent, data: { custom_id: 'x', component_type: 99 }, message: makeMessage({ author: DEFAULT_BOT_USER }) } as never);
  });

  it('an interaction naming neither a user nor a member is ignored, with no unhandled rejection and no request', async () => {
    const { member: _member, ...command } = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' } });
    const { member: _m, ...button } = makeButtonInteraction({ customId: 'topic:back-office:pl' });
    const requests = t.mark();
    // Dispatched as is: the test server's sendInteraction would fill in a member.
    for (const payload of [command, button]) t.server.dispatch('INTERACTION_CREATE', payload);
    await interact(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' }));
    expect(requests().filter((r) => r.path.includes(command.id) || r.path.includes(button.id))).toEqual([]);
    await expect.poll(() => t.logLines().filter((l) => l.msg === 'malformed interaction ignored').length).toBeGreaterThanOrEqual(2);
  });

  it('an unknown slash command gets a private "I do not know this command" with the main topics', async () => {
    const body = await interact(makeChatInputInteraction({ name: 'nieznana', locale: 'en-US' }));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('I do not know this command');
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    expect(buttonIds(body.data)).toEqual(pinnedIds.slice(0, 3).map((id) => `topic:${id}:en`));
    expect(COMMANDS.map((c) => c.name)).not.toContain('nieznana');
  });

  it('a context-menu command the bot never registered gets the same private notice', async () => {
    const target = makeUser();
    const body = await interact({
      ...makeInteractionBase({ locale: 'pl' }),
      type: InteractionType.ApplicationCommand,
      data: { id: nextSnowflake(), name: 'Zgłoś', type: ApplicationCommandType.User, target_id: target.id, resolved: { users: { [target.id]: target } } },
    } as never);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Nie znam tej komendy');
  });

  it('a select menu the bot never created gets a private "no longer available"', async () => {
    const body = await interact({
      ...makeInteractionBase({ locale: 'pl' }),
      type: InteractionType.MessageComponent,
      data: { custom_id: 'menu:stare', component_type: ComponentType.StringSelect, values: ['a'] },
      message: makeMessage({ author: DEFAULT_BOT_USER }),
    } as never);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Ta opcja jest nieaktualna');
    expect(buttonIds(body.data)).toEqual(pinnedIds.slice(0, 3).map((id) => `topic:${id}:pl`));
  });

  it('a form (modal) the bot never created gets the same private notice', async () => {
    const body = await interact({
      ...makeInteractionBase({ locale: 'en-GB' }),
      type: InteractionType.ModalSubmit,
      data: { custom_id: 'feedback', components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: 'text', value: '@everyone' }] }] },
    } as never);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('This option is no longer available');
  });

  it.each(['foo', 'topic:', 'topic:Back Office:pl', `topic:${'x'.repeat(94)}`, 'topic:back-office:pl:bpo-definition:extra', 'help', '<@1300000000000000009>'])(
    'a button with the unknown custom id %j gets a private "no longer available"',
    async (customId) => {
      const body = await interact(makeButtonInteraction({ customId, locale: 'pl' }));
      expect(body.data.flags).toBe(MessageFlags.Ephemeral);
      expect(body.data.embeds![0]!.title).toBe('Ta opcja jest nieaktualna');
      expect(JSON.stringify(body.data)).not.toContain('<@1300000000000000009>');
    },
  );

  it('a stale topic button from an older knowledge base: private "this topic is no longer available", current topics, even in a DM', async () => {
    for (const dm of [false, true]) {
      const body = await interact(makeButtonInteraction({ customId: 'topic:temat-ktorego-juz-nie-ma:pl', locale: 'de', dm }));
      expect(body.type).toBe(4);
      expect(body.data.flags).toBe(MessageFlags.Ephemeral);
      const embed = body.data.embeds![0]!;
      expect(embed.title).toBe('Tego tematu już nie ma');
      expect(embed.description).not.toContain('temat-ktorego-juz-nie-ma');
      expect(buttonIds(body.data)).toEqual(pinnedIds.slice(0, 3).map((id) => `topic:${id}:pl`));
    }
    await expect.poll(() => t.logLines().filter((l) => l.msg === 'stale topic button').length).toBe(2);
  });

  it('a topic button in a language the bot does not speak answers in the clicker\'s language', async () => {
    const body = await interact(makeButtonInteraction({ customId: 'topic:back-office:xx', locale: 'en-US' }));
    expect(body.data.embeds![0]!.title).toBe(kb.byId.get('back-office')!.title.en);
  });

  it('autocomplete for an unknown command or option gets no choices, and a missing focused option no error', async () => {
    const other = await interact(makeAutocompleteInteraction({ name: 'nieznana', focusedOption: 'x', value: 'bpo' }));
    expect(other).toMatchObject({ type: 8, data: { choices: [] } });
    const unfocused = await interact({
      ...makeInteractionBase(),
      type: InteractionType.ApplicationCommandAutocomplete,
      data: { id: nextSnowflake(), name: ASK_COMMAND.name, type: ApplicationCommandType.ChatInput, options: [] },
    } as never);
    expect(unfocused).toMatchObject({ type: 8, data: { choices: [] } });
  });
});

// ---- questions over the length limit ---------------------------------------------------------

describe('questions over 300 characters', () => {
  const TOO_LONG = /^Pytanie jest za długie$|^Your question is too long$/;
  const wall = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

  it('the slash option is capped at 300 by its definition, so Discord enforces it there', () => {
    const option = ASK_COMMAND.options[0];
    expect(option).toMatchObject({ name: 'pytanie', max_length: 300, min_length: 1 });
  });

  it('a slash question over 300 characters anyway (a client ignoring max_length) gets a private "please shorten"', async () => {
    const body = await interact(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: wall('Co to jest BPO? ', 301) }, locale: 'pl' }));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds![0]!.title).toBe('Pytanie jest za długie');
    expect(body.data.embeds![0]!.description).toBe('Proszę, skróć pytanie do 300 znaków i zapytaj jeszcze raz.');
  });

  it('a 2,500-character DM gets the "please shorten" notice, not an error, in the question\'s language', async () => {
    const user = makeUser();
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ dm: true, author: user, content: wall('What is back office and why do companies outsource it? ', 2500) });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[]; allowed_mentions: unknown; components?: unknown[] };
    expect(body.embeds[0]!.title).toBe('Your question is too long');
    expect(body.embeds[0]!.description).toBe('Please shorten your question to 300 characters and ask again.');
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    await expect.poll(() => t.logLines().find((l) => l.msg === 'answered' && l.userId === loggedId(user.id))).toMatchObject({ via: 'dm', kind: 'too-long' });
  });

  it('a 4,000-character mention full of @everyone and code blocks gets the notice as a reply, pinging no one', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ content: mention(wall('@everyone ```js\n<@&1200000000000000007> co to jest BPO? ', 4000)) });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[]; message_reference: unknown; allowed_mentions: unknown };
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    expect(body.embeds[0]!.title).toMatch(TOO_LONG);
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    const posted = [...t.server.state.messages.values()].find((m) => m.message_reference?.message_id === sent.id)!;
    expect(posted.mention_everyone).toBe(false);
    expect(posted.mentions).toEqual([]);
  });

  it('autocomplete with 2,000 typed characters still answers with valid choices', async () => {
    const body = await interact(makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: wall('back office ', 2000), locale: 'pl' }));
    expect(body.type).toBe(8);
    expect(body.data.choices!.length).toBeLessThanOrEqual(25);
    expect(body.data.choices![0]?.value).toBe('back-office');
  });
});

// ---- messages --------------------------------------------------------------------------------

describe('messages without content', () => {
  it('a DM with empty content (an attachment or sticker only) gets the short help', async () => {
    const since = t.server.requests.length;
    const sent = t.server.sendMessage({ dm: true, author: makeUser(), content: '' });
    const body = (await replyTo(sent, since)).body as { embeds: APIEmbed[] };
    expect(body.embeds[0]!.title).toBe('Jak mnie używać');
  });

  it('a DM whose payload has no content field at all gets the short help too', async () => {
    const since = t.server.requests.length;
    const { content: _content, ...raw } = makeDmMessage({ author: makeUser() });
    t.server.dispatch('MESSAGE_CREATE', raw);
    const body = (await replyTo(raw as APIMessage, since)).body as { embeds: APIEmbed[] };
    expect(body.embeds[0]!.title).toBe('Jak mnie używać');
  });

  it('a server message with no content that lists the bot as mentioned (a reply ping) is ignored', async () => {
    await expectIgnored(() => t.server.sendMessage({ content: '', mentions: [{ ...t.server.botUser, member: undefined } as never] }));
  });
});

describe('other bots', () => {
  it('two bots cannot loop: a bot quoting our answer back with a mention gets no reply, however often', async () => {
    const since = t.server.requests.length;
    const question = t.server.sendMessage({ content: mention('Co to jest BPO?') });
    const answer = await replyTo(question, since);
    const ours = [...t.server.state.messages.values()].find((m) => m.message_reference?.message_id === question.id)!;
    expect(answer.status).toBe(200);

    const otherBot = makeUser({ username: 'echo-bot', bot: true });
    let previous: APIMessage = ours;
    for (let round = 0; round < 3; round++) {
      // Discord delivers the bot's own message to it as well: ignored as its own.
      await expectIgnored(() => t.server.sendMessage({ ...previous, id: nextSnowflake(), author: t.server.botUser, content: mention(String(previous.embeds[0]?.title ?? '')) }));
      // The other bot answers it, mentioning ours and replying to it: ignored as a bot.
      await expectIgnored(() => {
        previous = t.server.sendMessage({
          author: otherBot,
          content: mention(`Re: ${ours.embeds[0]?.title ?? ''}`),
          message_reference: { message_id: previous.id, channel_id: previous.channel_id },
        });
        return previous;
      });
    }
  });
});
