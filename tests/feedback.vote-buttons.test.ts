import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_ID_LENGTH } from '../src/knowledge/schema.ts';
import { renderDiscordEmbed } from '../src/responder/render-discord.ts';
import { toReply } from '../src/responder/reply.ts';
import { answer } from '../src/answering/answer.ts';
import {
  ANSWER_REF_LENGTH,
  newAnswerRef,
  parseVoteButtonId,
  voteButtonId,
  voteButtonRow,
  voteReply,
  withVoteButtons,
  type VoteOutcome,
} from '../src/feedback/vote-buttons.ts';
import { testAnswerer } from './support/bot-harness.ts';

const LONGEST_ID = `${'x'.repeat(MAX_ENTRY_ID_LENGTH - 2)}-y`;

describe('answer references', () => {
  it('are 12 URL-safe characters, and do not repeat', () => {
    const refs = Array.from({ length: 10_000 }, newAnswerRef);
    for (const ref of refs) expect(ref).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(new Set(refs).size).toBe(refs.length);
    expect(ANSWER_REF_LENGTH).toBe(12);
  });
});

describe('the vote button custom id', () => {
  it('carries the vote, the entry and the answer, and reads back', () => {
    const ref = newAnswerRef();
    expect(voteButtonId('up', 'back-office', ref)).toBe(`vote:up:back-office:${ref}`);
    expect(parseVoteButtonId(voteButtonId('down', 'back-office', ref))).toEqual({ vote: 'down', entryId: 'back-office', answerRef: ref });
  });

  it('fits in Discord\'s 100 characters for the longest entry id the knowledge file allows', () => {
    const id = voteButtonId('down', LONGEST_ID, newAnswerRef());
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseVoteButtonId(id)?.entryId).toBe(LONGEST_ID);
  });

  it.each([
    'topic:back-office:pl',
    'vote:maybe:back-office:AAAAAAAAAAAA',
    'vote:up:back-office:AAAAAAAAAAA',
    'vote:up:back-office:AAAAAAAAAAAAA',
    'vote:up:Back-Office:AAAAAAAAAAAA',
    'vote:up::AAAAAAAAAAAA',
    'vote:up:back-office:AAAAAAAAAAA=',
    `vote:up:${'a'.repeat(MAX_ENTRY_ID_LENGTH + 1)}:AAAAAAAAAAAA`,
    ' vote:up:back-office:AAAAAAAAAAAA',
  ])('refuses %j', (customId) => {
    expect(parseVoteButtonId(customId)).toBeUndefined();
  });

  it('never throws on any string, and accepts only what it could have made', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (customId) => {
        const parsed = parseVoteButtonId(customId);
        if (parsed) expect(voteButtonId(parsed.vote, parsed.entryId, parsed.answerRef)).toBe(customId);
      }),
    );
  });
});

describe('the button row', () => {
  it('is 👍 then 👎, secondary style, in Discord API component shape', () => {
    expect(voteButtonRow('back-office', 'AAAAAAAAAAAA')).toEqual({
      type: 1,
      components: [
        { type: 2, style: 2, emoji: { name: '👍' }, custom_id: 'vote:up:back-office:AAAAAAAAAAAA' },
        { type: 2, style: 2, emoji: { name: '👎' }, custom_id: 'vote:down:back-office:AAAAAAAAAAAA' },
      ],
    });
  });

  it('goes under the topic buttons of an answer, which keep their row', () => {
    const answerer = testAnswerer();
    const message = renderDiscordEmbed(toReply(answer('Co to jest back office?', answerer), answerer.kb));
    const topics = message.components ?? [];
    expect(topics).toHaveLength(1);
    const voted = withVoteButtons(message, 'back-office', 'AAAAAAAAAAAA');
    expect(voted.components).toEqual([...topics, voteButtonRow('back-office', 'AAAAAAAAAAAA')]);
    expect(voted.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(message.components).toHaveLength(1); // the original is not changed
  });

  it('is left out of a message that already has Discord\'s five rows', () => {
    const full = { allowed_mentions: { parse: [] as [], replied_user: false as const }, components: Array.from({ length: 5 }, () => voteButtonRow('a', 'AAAAAAAAAAAA')) };
    expect(withVoteButtons(full, 'back-office', 'BBBBBBBBBBBB')).toBe(full);
  });
});

describe('the thank-you', () => {
  const outcomes: VoteOutcome[] = [
    { status: 'recorded', vote: 'up', answerKnown: true, entryId: 'back-office' },
    { status: 'changed', vote: 'down', answerKnown: true, entryId: 'back-office' },
    { status: 'unchanged', vote: 'up', answerKnown: false, entryId: 'back-office' },
    { status: 'unavailable', vote: 'up' },
    { status: 'off', vote: 'down' },
  ];

  it('thanks in Polish and English whatever became of the vote, and pings no one', () => {
    const texts = { pl: [] as string[], en: [] as string[] };
    for (const lang of ['pl', 'en'] as const) {
      for (const outcome of outcomes) {
        const reply = voteReply(outcome, lang);
        expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
        texts[lang].push(reply.content!);
      }
      expect(new Set(texts[lang]).size).toBe(outcomes.length);
    }
    expect(texts.pl[0]).toBe('Dziękuję za ocenę! Pomoże ulepszyć odpowiedzi.');
    expect(texts.pl[1]).toBe('Zmieniłem Twoją ocenę na 👎. Dziękuję!');
    expect(texts.en[1]).toBe('I changed your rating to 👎. Thank you!');
    expect(texts.en[3]).toMatch(/could not be saved just now/);
    for (const text of [...texts.pl, ...texts.en]) expect(text).toMatch(/Dziękuję|Thank you/);
  });
});
