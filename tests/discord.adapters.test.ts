import { loadAnswerer } from '../src/answering/load.ts';
import { MessageType } from 'discord-api-types/v10';
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  answerTopic,
  errorMessage,
  helpAnswer,
  isPrivateToAsker,
  resultFields,
  topicsMessage,
} from '../src/bot/replies.ts';
import { autocompleteChoices } from '../src/interactions/autocomplete-choices.ts';
import { toMessageBody } from '../src/gateway/send-options.ts';
import { inviteUrl } from '../src/bot/invite-url.ts';
import { asLang, langFromLocale } from '../src/bot/locale.ts';
import { ChannelRefusals } from '../src/gateway/channel-refusals.ts';
import { messageFacts, readMessage } from '../src/gateway/message-payload.ts';
import { canEmbed } from '../src/interactions/payload.ts';
import { makeChatInputInteraction, makeDmMessage, makeGuildMessage, makeUser } from './support/discord-server/index.ts';
import { parseTopicButtonId } from '../src/responder/render-discord.ts';

const answerer = loadAnswerer();
const NO_MENTIONS = { parse: [], replied_user: false };

/** Every button's custom id in a rendered message. */
function buttonIds(message: { components?: unknown[] }): string[] {
  return (message.components ?? []).flatMap((row) => (row as { components: { custom_id: string }[] }).components.map((button) => button.custom_id));
}

describe('langFromLocale', () => {
  it.each([
    ['pl', 'pl'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['EN_gb', 'en'],
  ])('maps %s to %s', (locale, lang) => {
    expect(langFromLocale(locale)).toBe(lang);
  });

  it.each(['de', 'uk', 'pt-BR', '', null, undefined])('has no answer language for %s (the caller falls back)', (locale) => {
    expect(langFromLocale(locale)).toBeUndefined();
  });

  it('reads back only the languages buttons are made in', () => {
    expect(asLang('pl')).toBe('pl');
    expect(asLang('en')).toBe('en');
    expect(asLang('de')).toBeUndefined();
  });
});

describe('answerQuestion (question → message payload)', () => {
  it('answers with an embed: title, answer, source field with the verbatim quote and "according to Wikipedia", confidence footer', () => {
    const { result, message } = answerQuestion('Co to jest BPO?', answerer, 'pl');
    const entry = answerer.kb.byId.get('bpo-definition')!;
    expect(result).toMatchObject({ kind: 'answer', entry: { id: 'bpo-definition' } });
    const embed = message.embeds![0]!;
    expect(embed.title).toBe(entry.title.pl);
    expect(embed.description).toContain(entry.answer.pl);
    expect(embed.fields).toHaveLength(1);
    expect(embed.fields![0]!.name).toBe('Źródło');
    expect(embed.fields![0]!.value).toContain(entry.quote);
    expect(embed.fields![0]!.value).toContain('BPO (ang. Business Process Outsourcing)');
    expect(embed.fields![0]!.value).toContain('Wikipedia');
    expect(embed.footer?.text).toMatch(/^Pewność dopasowania: \d+%$/);
    expect(message.allowed_mentions).toEqual(NO_MENTIONS);
  });

  it('adds up to 3 related-topic buttons that carry the entry, the language and the entry answered', () => {
    const { message } = answerQuestion('Co to jest BPO?', answerer, 'en');
    const ids = buttonIds(message);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(3);
    const related = answerer.kb.byId.get('bpo-definition')!.related;
    expect(ids.map((id) => parseTopicButtonId(id))).toEqual(related.slice(0, 3).map((entryId) => ({ entryId, lang: 'en', answeredId: 'bpo-definition' })));
  });

  it('answers in the language asked for, and detects it when none is given', () => {
    expect(answerQuestion('Co to jest BPO?', answerer, 'en').message.embeds![0]!.title).toBe('What is BPO?');
    expect(answerQuestion('What is back office?', answerer, undefined).result.lang).toBe('en');
    expect(answerQuestion('Czym jest back office?', answerer, undefined).result.lang).toBe('pl');
  });

  it('answers an entry id submitted from an autocomplete choice directly', () => {
    const { result } = answerQuestion('front-office-outsourcing', answerer, 'pl');
    expect(result).toMatchObject({ kind: 'answer', entry: { id: 'front-office-outsourcing' }, confidence: 1 });
  });

  it('replies to an unknown question with suggestion buttons and quotes the question escaped', () => {
    const { result, message } = answerQuestion('@everyone przepis na <@123> pierogi', answerer, 'pl');
    expect(result.kind).toBe('not-found');
    expect(isPrivateToAsker(result)).toBe(true);
    const description = message.embeds![0]!.description!;
    expect(description).not.toContain('@everyone');
    expect(description).not.toContain('<@123>');
    expect(description).toContain('@\u200beveryone');
    expect(buttonIds(message).length).toBeGreaterThan(0);
    expect(buttonIds(message).length).toBeLessThanOrEqual(3);
    expect(message.allowed_mentions).toEqual(NO_MENTIONS);
  });

  it('falls back to plain text, source kept, where embeds are not allowed', () => {
    const { message } = answerQuestion('Co to jest BPO?', answerer, 'pl', { canEmbed: false });
    expect(message.embeds).toBeUndefined();
    expect(message.content).toContain(answerer.kb.byId.get('bpo-definition')!.quote);
    expect(message.content).toContain('Wikipedia');
  });

  it('keeps answers public and everything else private to the asker', () => {
    expect(isPrivateToAsker(answerQuestion('Co to jest BPO?', answerer, 'pl').result)).toBe(false);
    expect(isPrivateToAsker(answerQuestion('cześć', answerer, 'pl').result)).toBe(true);
    expect(isPrivateToAsker(answerQuestion('x'.repeat(301), answerer, 'pl').result)).toBe(true);
  });

  it('describes the result for the log', () => {
    expect(resultFields(answerQuestion('Co to jest BPO?', answerer, 'pl').result)).toEqual({ entryId: 'bpo-definition', kind: 'answer', score: 1 });
    expect(resultFields(answerQuestion('przepis na pierogi', answerer, 'pl').result)).toEqual({ entryId: null, kind: 'not-found', score: null });
  });
});

describe('answerTopic, helpAnswer, topicsMessage, errorMessage', () => {
  it('answers a topic from a button, and an unknown topic with suggestions', () => {
    expect(answerTopic('back-office', answerer, 'en').message.embeds![0]!.title).toBe('What is back-office?');
    expect(answerTopic('no-such-topic', answerer, 'pl').result.kind).toBe('not-found');
  });

  it('helps with how to ask and the main topics as buttons', () => {
    const { result, message } = helpAnswer(answerer, 'en');
    expect(result.kind).toBe('small-talk');
    expect(message.embeds![0]!.title).toBe('How to use me');
    expect(message.embeds![0]!.description).toContain('/ask');
    expect(buttonIds(message).length).toBeGreaterThan(0);
  });

  it('lists every topic, main ones first and as buttons within Discord limits', () => {
    const message = topicsMessage(answerer, 'pl');
    const description = message.embeds![0]!.description!;
    for (const entry of answerer.kb.entries) expect(description).toContain(entry.title.pl);
    const pinned = answerer.kb.entries.filter((entry) => entry.pinned);
    expect(buttonIds(message)).toEqual(pinned.map((entry) => `topic:${entry.id}:pl`));
    for (const row of message.components as { components: unknown[] }[]) expect(row.components.length).toBeLessThanOrEqual(5);
    expect(description.indexOf(pinned[0]!.title.pl)).toBeLessThan(description.indexOf(answerer.kb.entries.find((e) => !e.pinned)!.title.pl));
    expect(message.allowed_mentions).toEqual(NO_MENTIONS);
  });

  it('apologizes in the user\'s language', () => {
    expect(errorMessage('pl').content).toMatch(/^Coś poszło nie tak/);
    expect(errorMessage('en').content).toMatch(/^Something went wrong/);
  });
});

describe('toMessageBody', () => {
  it('passes embeds and components through, always turns pings off, and links a reply without requiring the question to exist', () => {
    const { message } = answerQuestion('Co to jest BPO?', answerer, 'pl');
    const body = toMessageBody(message, '1200000000000000099');
    expect(body.embeds).toBe(message.embeds);
    expect(body.components).toBe(message.components);
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    expect(body).not.toHaveProperty('content');
    expect(body.message_reference).toEqual({ message_id: '1200000000000000099', fail_if_not_exists: false });
    expect(toMessageBody(message)).not.toHaveProperty('message_reference');
  });
});

describe('readMessage / messageFacts (the raw MESSAGE_CREATE)', () => {
  const botId = '1100000000000000001';
  const bot = makeUser({ id: botId, bot: true });

  it('reads a mention in a server and a DM as the facts the question logic needs', () => {
    const inGuild = readMessage(makeGuildMessage({ content: `<@${botId}> co to BPO?` }, { botUser: bot }))!;
    expect(messageFacts(inGuild, botId)).toMatchObject({ isDm: false, mentionsBotUser: true, isSystem: false, authorIsBot: false, webhookId: null, content: `<@${botId}> co to BPO?` });
    const dm = readMessage(makeDmMessage({ content: 'hej' }))!;
    expect(dm.guildId).toBeNull();
    expect(messageFacts(dm, botId)).toMatchObject({ isDm: true, mentionsBotUser: false, content: 'hej' });
  });

  it('tells people\'s messages (replies and command messages too) from system messages', () => {
    const typed = (type: MessageType) => messageFacts(readMessage(makeGuildMessage({ type }))!, botId).isSystem;
    expect([MessageType.Default, MessageType.Reply, MessageType.ChatInputCommand, MessageType.ContextMenuCommand].map(typed)).toEqual([false, false, false, false]);
    expect([MessageType.UserJoin, MessageType.ChannelPinnedMessage, MessageType.ThreadStarterMessage].map(typed)).toEqual([true, true, true]);
  });

  it('ignores payloads without what every message has, and takes missing content as empty', () => {
    expect(readMessage(null)).toBeUndefined();
    expect(readMessage({ id: '1', channel_id: '2' })).toBeUndefined();
    expect(readMessage({ ...makeDmMessage(), id: 'not-a-snowflake' })).toBeUndefined();
    expect(readMessage({ ...makeGuildMessage(), guild_id: 42 })).toBeUndefined();
    const { content: _content, ...stickerOnly } = makeDmMessage();
    expect(readMessage(stickerOnly)?.content).toBe('');
    expect(readMessage({ ...makeGuildMessage(), mentions: [{ id: botId }, { id: 'x' }, null] })?.mentionIds).toEqual([botId]);
  });
});

describe('autocompleteChoices', () => {
  const withinLimits = (choices: { name: string; value: string }[]) => {
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThanOrEqual(1);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeGreaterThanOrEqual(1);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  };

  it('offers the main topics first on empty input', () => {
    const choices = autocompleteChoices('', answerer, 'pl');
    withinLimits(choices);
    const pinned = answerer.kb.entries.filter((entry) => entry.pinned).map((entry) => entry.id);
    expect(choices.slice(0, pinned.length).map((choice) => choice.value)).toEqual(pinned);
  });

  it('suggests topics for a typo, titled in the user\'s language, valued by entry id', () => {
    const choices = autocompleteChoices('bakc ofice', answerer, 'en');
    withinLimits(choices);
    expect(choices[0]).toEqual({ name: 'What is back-office?', value: 'back-office' });
  });

  it('stays within limits for long input and offers nothing for gibberish', () => {
    withinLimits(autocompleteChoices('outsourcing '.repeat(25), answerer, 'pl'));
    expect(autocompleteChoices('zzzqqq', answerer, 'pl')).toEqual([]);
  });
});

describe('permissions', () => {
  const P = PermissionFlagsBits;

  it('remembers what Discord refused in a channel, per channel, until it expires or the channel or server changes', () => {
    let now = 0;
    const refusals = new ChannelRefusals({ ttlMs: 1000, now: () => now });
    refusals.note('c1', 'g1', 'embeds');
    refusals.note('c1', 'g1', 'reference');
    refusals.note('c2', 'g2', 'send');
    expect([refusals.has('c1', 'embeds'), refusals.has('c1', 'reference'), refusals.has('c1', 'send'), refusals.has('c2', 'send')]).toEqual([true, true, false, true]);
    refusals.forgetGuild('g1');
    expect(refusals.has('c1', 'embeds')).toBe(false);
    refusals.forgetChannel('c2');
    expect(refusals.has('c2', 'send')).toBe(false);
    refusals.note('c3', null, 'send');
    now = 1000;
    expect(refusals.has('c3', 'send')).toBe(false);
    expect(refusals.size).toBe(0);
  });

  it('stays small: the least recently refused channels are forgotten first', () => {
    const refusals = new ChannelRefusals({ maxChannels: 2 });
    refusals.note('a', null, 'embeds');
    refusals.note('b', null, 'embeds');
    refusals.note('a', null, 'reference');
    refusals.note('c', null, 'embeds');
    expect(refusals.size).toBe(2);
    expect([refusals.has('a', 'embeds'), refusals.has('b', 'embeds'), refusals.has('c', 'embeds')]).toEqual([true, false, true]);
  });

  it('renders interaction replies as text only where the app may not embed links (app_permissions in the payload)', () => {
    const inGuild = (permissions: bigint) => makeChatInputInteraction({ name: 'zapytaj', appPermissions: permissions.toString() });
    expect(canEmbed(inGuild(P.SendMessages | P.ViewChannel))).toBe(false);
    expect(canEmbed(inGuild(P.EmbedLinks))).toBe(true);
    expect(canEmbed(makeChatInputInteraction({ name: 'zapytaj', dm: true, appPermissions: '0' }))).toBe(true);
  });
});

describe('inviteUrl', () => {
  it('asks for the bot and commands scopes and only the permissions the bot uses', () => {
    const url = new URL(inviteUrl('1100000000000000001'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('1100000000000000001');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    const permissions = new PermissionsBitField(BigInt(url.searchParams.get('permissions')!));
    expect(permissions.toArray().sort()).toEqual(['EmbedLinks', 'ReadMessageHistory', 'SendMessages', 'SendMessagesInThreads', 'ViewChannel']);
  });
});
