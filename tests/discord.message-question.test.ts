import { describe, expect, it } from 'vitest';
import { messageQuestion, questionText, type MessageFacts } from '../src/gateway/message-question.ts';

const BOT = '1100000000000000001';
const USER = '1300000000000000001';

/** A server message from a person that mentions the bot; each test changes what it is about. */
function facts(overrides: Partial<MessageFacts> = {}): MessageFacts {
  return {
    botId: BOT,
    authorId: USER,
    authorIsBot: false,
    webhookId: null,
    isSystem: false,
    isDm: false,
    content: `<@${BOT}> Co to jest BPO?`,
    mentionsBotUser: true,
    repliesToBot: false,
    ...overrides,
  };
}

describe('messageQuestion in a server channel', () => {
  it('takes the text after a <@id> mention as the question', () => {
    expect(messageQuestion(facts())).toEqual({ kind: 'question', text: 'Co to jest BPO?' });
  });

  it('accepts the legacy <@!id> form and a mention at the end or in the middle', () => {
    expect(messageQuestion(facts({ content: `Co to jest BPO? <@!${BOT}>` }))).toEqual({ kind: 'question', text: 'Co to jest BPO?' });
    expect(messageQuestion(facts({ content: `Hej <@${BOT}>,\n  co to   BPO?` }))).toEqual({ kind: 'question', text: 'Hej , co to BPO?' });
  });

  it('answers a bare mention with help', () => {
    expect(messageQuestion(facts({ content: `<@${BOT}>` }))).toEqual({ kind: 'help' });
    expect(messageQuestion(facts({ content: ` <@!${BOT}>  <@${BOT}> ` }))).toEqual({ kind: 'help' });
  });

  it('ignores messages that do not mention the bot', () => {
    expect(messageQuestion(facts({ content: 'Co to jest BPO?', mentionsBotUser: false }))).toEqual({ kind: 'ignore', reason: 'not-mentioned' });
  });

  it('ignores @everyone and @here, which do not list the bot among mentioned users', () => {
    for (const content of ['@everyone co to BPO?', '@here co to BPO?']) {
      expect(messageQuestion(facts({ content, mentionsBotUser: false }))).toEqual({ kind: 'ignore', reason: 'not-mentioned' });
    }
  });

  it('ignores a mention of another user', () => {
    expect(messageQuestion(facts({ content: `<@${USER}> co to BPO?`, mentionsBotUser: false }))).toEqual({ kind: 'ignore', reason: 'not-mentioned' });
  });

  it('ignores a reply to someone else that only pings the bot, without writing its mention', () => {
    // Discord lists the replied-to author in mentions.users when the reply pings.
    expect(messageQuestion(facts({ content: 'dzięki!', mentionsBotUser: true }))).toEqual({ kind: 'ignore', reason: 'not-mentioned' });
  });

  it('answers a reply to the bot, pinging it or not, with no written mention', () => {
    expect(messageQuestion(facts({ content: 'a front office?', mentionsBotUser: false, repliesToBot: true }))).toEqual({ kind: 'question', text: 'a front office?' });
    expect(messageQuestion(facts({ content: 'a front office?', mentionsBotUser: true, repliesToBot: true }))).toEqual({ kind: 'question', text: 'a front office?' });
  });

  it('ignores an empty reply to the bot (a sticker, or content it may not read), but helps an empty written mention', () => {
    expect(messageQuestion(facts({ content: '', mentionsBotUser: false, repliesToBot: true }))).toEqual({ kind: 'ignore', reason: 'empty-reply' });
    expect(messageQuestion(facts({ content: `<@${BOT}>`, repliesToBot: true }))).toEqual({ kind: 'help' });
  });

  it('answers when @everyone appears alongside a direct mention, without it in the question', () => {
    expect(messageQuestion(facts({ content: `@everyone <@${BOT}> co to BPO?` }))).toEqual({ kind: 'question', text: 'co to BPO?' });
    expect(messageQuestion(facts({ content: `<@${BOT}> @here` }))).toEqual({ kind: 'help' });
  });

  it('ignores the bot itself, other bots, webhooks and system messages even when they mention it', () => {
    expect(messageQuestion(facts({ authorId: BOT, authorIsBot: true }))).toEqual({ kind: 'ignore', reason: 'self' });
    expect(messageQuestion(facts({ authorIsBot: true }))).toEqual({ kind: 'ignore', reason: 'bot' });
    expect(messageQuestion(facts({ webhookId: '1400000000000000001', authorIsBot: true }))).toEqual({ kind: 'ignore', reason: 'webhook' });
    expect(messageQuestion(facts({ isSystem: true }))).toEqual({ kind: 'ignore', reason: 'system' });
  });
});

describe('messageQuestion in a DM', () => {
  const dm = (content: string, overrides: Partial<MessageFacts> = {}) => facts({ isDm: true, content, mentionsBotUser: false, ...overrides });

  it('takes any text as the question, no mention needed', () => {
    expect(messageQuestion(dm('  co to back office  '))).toEqual({ kind: 'question', text: 'co to back office' });
  });

  it('strips a mention written out of habit', () => {
    expect(messageQuestion(dm(`<@${BOT}> co to BPO?`, { mentionsBotUser: true }))).toEqual({ kind: 'question', text: 'co to BPO?' });
  });

  it('answers a message with no text (an image, a sticker) with help', () => {
    expect(messageQuestion(dm(''))).toEqual({ kind: 'help' });
  });

  it('ignores the bot\'s own DMs', () => {
    expect(messageQuestion(dm('Odpowiedź', { authorId: BOT, authorIsBot: true }))).toEqual({ kind: 'ignore', reason: 'self' });
  });
});

describe('questionText', () => {
  it('removes mention markup of every kind and keeps the words as typed', () => {
    expect(questionText(`<@${BOT}> Co <@!${USER}> to <@&123456> jest <#1200000000000000002> @everyone @here BPO?`)).toBe('Co to jest BPO?');
  });

  it('keeps an e-mail-like "@here" inside a word and custom emoji as they are', () => {
    expect(questionText('ask@hereford <:bpo:123> ok')).toBe('ask@hereford <:bpo:123> ok');
  });
});
