/**
 * The responder over any text: every reply it renders fits Discord's limits and pings no one,
 * whatever the question was; the terminal and JSON forms never throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer, answerById, pinned, type AnswerResult } from '../src/answering/answer.ts';
import { escapeUserText, truncate } from '../src/responder/discord-limits.ts';
import { renderDiscordEmbed, renderDiscordText } from '../src/responder/render-discord.ts';
import { renderJson } from '../src/responder/render-json.ts';
import { renderText } from '../src/responder/render-text.ts';
import { toReply } from '../src/responder/reply.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { discordProblems } from './support/discord-limits-check.ts';
import { nastyString, RAW_MENTION } from './support/nasty-strings.ts';

const answerer = testAnswerer();
const { kb } = answerer;
const lang = fc.constantFrom('pl' as const, 'en' as const);

/** Every kind of result the core returns, with the question set to anything at all. */
const anyResult: fc.Arbitrary<AnswerResult> = fc.oneof(
  fc.tuple(nastyString, fc.option(lang, { nil: undefined })).map(([question, wanted]) => answer(question, answerer, wanted ? { lang: wanted } : {})),
  fc.tuple(fc.constantFrom(...kb.entries.map((e) => e.id)), lang, nastyString).map(([id, wanted, question]) => ({ ...answerById(id, answerer, wanted), question })),
  fc.tuple(nastyString, lang).map(([question, wanted]): AnswerResult => ({ kind: 'not-found', question, lang: wanted, suggestions: pinned(kb) })),
  fc.tuple(nastyString, lang).map(([question, wanted]): AnswerResult => ({ kind: 'small-talk', question, lang: wanted, intent: 'greeting', suggestions: pinned(kb) })),
  fc.tuple(nastyString, lang).map(([question, wanted]): AnswerResult => ({ kind: 'too-long', question, lang: wanted, maxLength: 300 })),
);

describe('Discord renderers over hostile questions', () => {
  it('the embed form fits every limit, has no duplicate button ids, and pings no one', () => {
    fc.assert(
      fc.property(anyResult, (result) => {
        expect(discordProblems(renderDiscordEmbed(toReply(result, kb), result.question))).toEqual([]);
      }),
      { numRuns: 800 },
    );
  });

  it('the plain-text form does too, and keeps the source of an answer', () => {
    fc.assert(
      fc.property(anyResult, (result) => {
        const message = renderDiscordText(toReply(result, kb), result.question);
        expect(discordProblems(message)).toEqual([]);
        if (result.kind === 'answer') expect(message.content).toContain('Wikipedia');
      }),
      { numRuns: 800 },
    );
  });

  it('quotes a not-found question back escaped: no mention, no broken code block, at most 100 characters of it', () => {
    fc.assert(
      fc.property(nastyString, lang, (question, wanted) => {
        const result: AnswerResult = { kind: 'not-found', question, lang: wanted, suggestions: pinned(kb) };
        const description = renderDiscordEmbed(toReply(result, kb), question).embeds![0]!.description!;
        const quoted = /^„(.*)”\n/s.exec(description)?.[1];
        if (question.trim() === '') return;
        expect(quoted).toBeDefined();
        expect(quoted).not.toMatch(RAW_MENTION);
        // Every backtick escaped, so the user cannot open a code block that swallows the rest.
        expect(quoted).not.toMatch(/(^|[^\\])`/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('terminal and JSON renderers over hostile questions', () => {
  it('never throw; the JSON keeps the question exactly and survives a round trip', () => {
    fc.assert(
      fc.property(anyResult, (result) => {
        const reply = toReply(result, kb);
        expect(typeof renderText(reply)).toBe('string');
        const json = renderJson(result, reply);
        expect(json.question).toBe(result.question);
        expect(json.found).toBe(result.kind === 'answer');
        const again = JSON.parse(JSON.stringify(json)) as typeof json;
        expect(again.id).toBe(json.id);
        expect(again.title).toBe(json.title);
      }),
      { numRuns: 500 },
    );
  });
});

describe('text helpers', () => {
  it('truncate stays within the limit, keeps a prefix, and never splits a character in two', () => {
    const lone = (text: string) => (text.match(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g) ?? []).length;
    fc.assert(
      fc.property(nastyString, fc.integer({ min: 0, max: 2100 }), (text, max) => {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length <= max) expect(cut).toBe(text);
        else if (max > 0) {
          expect(cut.endsWith('…')).toBe(true);
          expect(text.startsWith(cut.slice(0, -1))).toBe(true);
          // Only lone surrogates the input already had.
          expect(lone(cut)).toBeLessThanOrEqual(lone(text));
        }
      }),
      { numRuns: 800 },
    );
  });

  it('escapeUserText leaves no mention in any text', () => {
    fc.assert(
      fc.property(nastyString, (text) => {
        expect(escapeUserText(text)).not.toMatch(RAW_MENTION);
      }),
      { numRuns: 800 },
    );
  });
});
