/**
 * The Discord adapters over any text: message → question, question or button → message payload,
 * typed text → autocomplete choices. Whatever comes in, what goes out fits Discord's limits and
 * pings no one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  answerTopic,
  helpAnswer,
  rateLimitNotice,
  staleComponentMessage,
  topicsMessage,
  unknownCommandMessage,
} from '../src/bot/replies.ts';
import { autocompleteChoices } from '../src/interactions/autocomplete-choices.ts';
import { messageQuestion, questionText } from '../src/gateway/message-question.ts';
import { toMessageBody } from '../src/gateway/send-options.ts';
import { parseTopicButtonId, topicButtonId } from '../src/responder/render-discord.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { buttonRows, discordProblems } from './support/discord-limits-check.ts';
import { MENTIONS, nastyString } from './support/nasty-strings.ts';

const answerer = testAnswerer();
const { kb } = answerer;
const lang = fc.constantFrom('pl' as const, 'en' as const);
const render = fc.record({ canEmbed: fc.boolean() });
const BOT_ID = '1100000000000000001';
const knownIds = kb.entries.map((entry) => entry.id);

/** Message content as Discord may deliver it: hostile text with the bot's mention somewhere, or not. */
const content = fc.tuple(nastyString, fc.option(fc.constantFrom(`<@${BOT_ID}>`, `<@!${BOT_ID}>`), { nil: undefined }), fc.nat(), fc.constantFrom(...MENTIONS)).map(
  ([text, mention, at, other]) => {
    const cut = at % (text.length + 1);
    return mention ? `${text.slice(0, cut)} ${mention} ${other} ${text.slice(cut)}` : text;
  },
);

describe('messageQuestion (message → question) over hostile content', () => {
  it('never throws; a question is trimmed text with every mention taken out, and only direct mentions in servers count', () => {
    const facts = fc.record({
      authorIsBot: fc.boolean(),
      webhookId: fc.option(fc.constant('1400000000000000001'), { nil: null }),
      isSystem: fc.boolean(),
      isDm: fc.boolean(),
      content,
      mentionsBotUser: fc.boolean(),
      repliesToBot: fc.boolean(),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const outcome = messageQuestion({ ...f, botId: BOT_ID, authorId: '1300000000000000001' });
        if (f.authorIsBot || f.webhookId || f.isSystem) expect(outcome.kind).toBe('ignore');
        const addressed = f.isDm || f.repliesToBot || (f.mentionsBotUser && new RegExp(`<@!?${BOT_ID}>`).test(f.content));
        if (!addressed) expect(outcome.kind).toBe('ignore');
        if (outcome.kind === 'question') {
          expect(outcome.text).toBe(outcome.text.trim());
          expect(outcome.text).not.toMatch(/<(@[!&]?|#)\d+>/);
          expect(outcome.text).not.toMatch(/\s{2}/);
          expect(outcome.text).not.toBe('');
        }
      }),
      { numRuns: 800 },
    );
  });

  it('questionText is idempotent', () => {
    fc.assert(
      fc.property(content, (text) => {
        expect(questionText(questionText(text))).toBe(questionText(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('answerQuestion (question → message payload) over hostile text', () => {
  it('always renders a message within Discord limits that pings no one, embedded or as plain text', () => {
    fc.assert(
      fc.property(nastyString, fc.option(lang, { nil: undefined }), render, (question, wanted, options) => {
        const { message } = answerQuestion(question, answerer, wanted, options);
        expect(discordProblems(message)).toEqual([]);
      }),
      { numRuns: 800 },
    );
  });

  it('answers "too long" for any question over 300 characters, on both render paths', () => {
    const long = nastyString.filter((text) => text.length > 300);
    fc.assert(
      fc.property(long, fc.option(lang, { nil: undefined }), render, (question, wanted, options) => {
        const { result, message } = answerQuestion(question, answerer, wanted, options);
        expect(result.kind).toBe('too-long');
        const shown = options.canEmbed ? message.embeds![0]!.description! : message.content!;
        expect(shown).toMatch(/300/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('topic buttons (custom id → message payload) over hostile ids', () => {
  it('parsing any custom id never throws; ids the bot makes read back to the same topic', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.constantFrom(...knownIds).map((id) => topicButtonId(id, 'pl'))), (customId) => {
        const parsed = parseTopicButtonId(customId);
        if (parsed) expect(topicButtonId(parsed.entryId, parsed.lang)).toBe(customId);
      }),
      { numRuns: 500 },
    );
  });

  it('any topic id, known or gone, renders within limits; a gone one says so, privately fit, with current topics', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.constantFrom(...knownIds)), lang, render, (entryId, wanted, options) => {
        const { result, message } = answerTopic(entryId, answerer, wanted, options);
        expect(discordProblems(message)).toEqual([]);
        if (!kb.byId.has(entryId)) {
          expect(result.kind).toBe('not-found');
          const text = options.canEmbed ? message.embeds![0]!.title! : message.content!;
          expect(text).toContain(wanted === 'pl' ? 'Tego tematu już nie ma' : 'This topic is no longer available');
          // The stale id is not quoted back as if the user had asked it („…”).
          expect(JSON.stringify(message)).not.toContain('„');
          for (const row of buttonRows(message)) for (const button of row) expect(knownIds).toContain(parseTopicButtonId(button.custom_id!)!.entryId);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('autocomplete choices over hostile typing', () => {
  it('at most 25 choices of known topics, each named and valued in 1-100 characters, no duplicates', () => {
    fc.assert(
      fc.property(nastyString, lang, (typed, wanted) => {
        const choices = autocompleteChoices(typed, answerer, wanted);
        expect(choices.length).toBeLessThanOrEqual(25);
        expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
        for (const choice of choices) {
          expect(choice.name.length).toBeGreaterThanOrEqual(1);
          expect(choice.name.length).toBeLessThanOrEqual(100);
          expect(choice.value.length).toBeGreaterThanOrEqual(1);
          expect(choice.value.length).toBeLessThanOrEqual(100);
          expect(knownIds).toContain(choice.value);
        }
      }),
      { numRuns: 600 },
    );
  });
});

describe('every other message the bot sends', () => {
  it('help, topics, stale-component, unknown-command and rate-limit notices fit the limits in both languages', () => {
    fc.assert(
      fc.property(lang, render, fc.integer({ min: -1000, max: 90_000_000 }), (wanted, options, retryInMs) => {
        for (const message of [
          helpAnswer(answerer, wanted, options).message,
          topicsMessage(answerer, wanted),
          staleComponentMessage(answerer, wanted, options),
          unknownCommandMessage(answerer, wanted, options),
          rateLimitNotice(wanted, retryInMs),
        ]) {
          expect(discordProblems(message)).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('goes out with no mentions allowed, the replied-to user included, as a reply or not', () => {
    fc.assert(
      fc.property(nastyString, fc.boolean(), (question, asReply) => {
        const { message } = answerQuestion(question, answerer, undefined);
        expect(message.allowed_mentions).toEqual({ parse: [], replied_user: false });
        expect(toMessageBody(message, asReply ? '1200000000000000099' : undefined).allowed_mentions).toEqual({ parse: [], replied_user: false });
      }),
      { numRuns: 300 },
    );
  });
});
