import { loadAnswerer } from '../src/answering/load.ts';
import { describe, expect, it } from 'vitest';
import { answer, answerById } from '../src/answering/answer.ts';
import { DISCORD_LIMITS, escapeUserText, truncate } from '../src/responder/discord-limits.ts';
import { parseTopicButtonId, renderDiscordEmbed, renderDiscordText } from '../src/responder/render-discord.ts';
import { renderJson } from '../src/responder/render-json.ts';
import { renderText } from '../src/responder/render-text.ts';
import { toReply, type Reply } from '../src/responder/reply.ts';

const answerer = loadAnswerer();
const kb = answerer.kb;
const replyTo = (question: string, lang?: 'pl' | 'en') => toReply(answer(question, answerer, { lang }), kb);

function embedTotal(reply: ReturnType<typeof renderDiscordEmbed>): number {
  const embed = reply.embeds![0]!;
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

describe('toReply', () => {
  it('attributes every answer: verbatim quote, article title, paragraph, Wikipedia', () => {
    const reply = replyTo('Co to jest BPO?');
    const entry = kb.byId.get('bpo-definition')!;
    expect(reply.attribution).toEqual({
      quote: entry.quote,
      articleTitle: 'BPO (ang. Business Process Outsourcing)',
      paragraph: entry.paragraph,
      quotes: [{ quote: entry.quote, paragraph: entry.paragraph }],
      source: 'Wikipedia',
      url: kb.article.url,
      translated: false,
    });
    expect(kb.article.text).toContain(reply.attribution!.quote);
  });
  it('marks English answers as translations and keeps the Polish quote', () => {
    const reply = replyTo('What is back office?');
    expect(reply.lang).toBe('en');
    expect(reply.body).toBe(kb.byId.get('back-office')!.answer.en);
    expect(reply.attribution?.translated).toBe(true);
    expect(reply.attribution?.quote).toBe(kb.byId.get('back-office')!.quote);
  });
  it('offers suggestions, never an answer, when nothing fits', () => {
    const reply = replyTo('What is Kubernetes?');
    expect(reply.kind).toBe('not-found');
    expect(reply.attribution).toBeNull();
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });
});

describe('renderText', () => {
  it('shows the answer, the quote and the source', () => {
    const text = renderText(replyTo('Czym jest front office?'));
    const entry = kb.byId.get('front-office')!;
    expect(text).toContain(entry.answer.pl);
    expect(text).toContain(entry.quote);
    expect(text).toContain('Wikipedia');
    expect(text).toContain('BPO (ang. Business Process Outsourcing)');
  });
});

describe('renderJson', () => {
  it('has the documented shape for found and not-found', () => {
    const found = answer('Co to jest BPO?', answerer);
    const json = renderJson(found, toReply(found, kb));
    expect(Object.keys(json)).toEqual(['question', 'found', 'lang', 'id', 'title', 'answer', 'score', 'source', 'related', 'suggestions']);
    expect(json).toMatchObject({ question: 'Co to jest BPO?', found: true, id: 'bpo-definition', source: { paragraph: 3 } });
    expect(json.score).toBeGreaterThan(0);
    expect(json.score).toBeLessThanOrEqual(1);
    const missing = answer('asdf', answerer);
    expect(renderJson(missing, toReply(missing, kb))).toMatchObject({ found: false, id: null, answer: null, source: null, score: 0 });
  });
});

describe('Discord rendering', () => {
  it('builds an embed with the source field, a confidence footer and related-topic buttons', () => {
    const message = renderDiscordEmbed(replyTo('Co to jest BPO?'));
    const embed = message.embeds![0]!;
    expect(embed.fields?.[0]?.value).toContain(kb.byId.get('bpo-definition')!.quote);
    expect(embed.fields?.[0]?.value).toContain('Wikipedia');
    expect(embed.footer?.text).toMatch(/\d+%/);
    const buttons = (message.components?.[0] as { components: { custom_id: string }[] }).components;
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(3);
    for (const button of buttons) expect(kb.byId.has(parseTopicButtonId(button.custom_id)!.entryId)).toBe(true);
  });
  it('never allows a ping', () => {
    for (const message of [renderDiscordEmbed(replyTo('@everyone <@&123> <@456> co to bpo')), renderDiscordText(replyTo('@here asdf'), '@here asdf')]) {
      expect(message.allowed_mentions).toEqual({ parse: [], replied_user: false });
    }
  });
  it('escapes the echoed question so it cannot break Markdown or mention anyone', () => {
    const question = '**bold** `code` @everyone <@123> > quote';
    const description = renderDiscordEmbed(toReply(answer(question, answerer), kb), question).embeds![0]!.description!;
    expect(description).not.toContain('**bold**');
    expect(description).not.toContain('@everyone');
    expect(description).not.toContain('<@123>');
  });
  it('stays within every Discord limit whatever the input, and keeps the source whole', () => {
    const base = toReply(answerById('bpo-definition', answerer, 'pl'), kb);
    const huge: Reply = {
      ...base,
      title: 'T'.repeat(10_000),
      body: 'B'.repeat(10_000),
      attribution: { ...base.attribution!, quote: 'Q'.repeat(5_000), articleTitle: 'A'.repeat(300) },
      related: Array.from({ length: 30 }, (_, i) => ({ id: `topic-${i}`, title: 'R'.repeat(200) })),
    };
    const embed = renderDiscordEmbed(huge);
    const e = embed.embeds![0]!;
    expect(e.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(e.fields![0]!.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(embedTotal(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    const buttons = (embed.components?.[0] as { components: { label: string; custom_id: string }[] }).components;
    expect(buttons.length).toBeLessThanOrEqual(3);
    for (const b of buttons) {
      expect(b.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
    const plain = renderDiscordText(huge);
    expect(plain.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(plain.content).toContain('Wikipedia');
  });
  it('truncates to the UTF-16 length Discord counts, without splitting emoji', () => {
    expect(truncate('😀😀😀', 3)).toBe('😀…');
    expect(truncate('😀😀😀', 2)).toBe('…');
    expect(truncate('😀😀😀', 6)).toBe('😀😀😀');
    expect(truncate('abc', 3)).toBe('abc');
    expect(escapeUserText('@everyone')).not.toBe('@everyone');
  });
});
