/**
 * 👍/👎 on Discord, end to end: the real bot against the Discord test server, with feedback stored
 * in a real SQLite file. Every answer carries the two buttons; a click is thanked for privately at
 * once, counts once per user and answer (a second click changes it), and many users clicking at
 * the same moment are all stored. Questions are stored answered or not, users never as raw ids.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import { createFeedback, type Feedback } from '../src/feedback/recorder.ts';
import { MESSAGES } from '../src/responder/messages.ts';
import { makeButtonInteraction, makeChatInputInteraction, makeUser, type RecordedRequest } from './support/discord-server/index.ts';
import { startTestBot, type TestBot } from './support/bot-harness.ts';
import { captureLogger } from './support/capture-log.ts';
import { readRows } from './support/feedback-db.ts';

let t: TestBot;
let feedback: Feedback;
let dbPath: string;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'votes-'));
  dbPath = join(folder, 'feedback.db');
  feedback = createFeedback({ path: dbPath, secret: 's'.repeat(64), retentionDays: 90 }, captureLogger().logger);
  t = await startTestBot({ feedback });
});

afterAll(async () => {
  await t?.close();
  feedback?.close();
});

interface Body {
  type: number;
  data: { embeds?: { title?: string }[]; content?: string; flags?: number; components?: { components: { custom_id: string; emoji?: { name: string } }[] }[] };
}

async function interact(interaction: { id: string; token: string }): Promise<{ body: Body; request: RecordedRequest }> {
  t.server.sendInteraction(interaction);
  const request = await t.server.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
  expect(request.status).toBe(204);
  return { body: request.body as Body, request };
}

const ask = (question: string, user = makeUser()) =>
  interact(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, user, locale: 'pl' }));

/** The vote buttons of a response: [👍 id, 👎 id], or undefined when it has none. */
function voteIds(body: Body): [string, string] | undefined {
  const row = body.data.components?.find((r) => r.components.some((c) => c.custom_id.startsWith('vote:')));
  if (!row) return undefined;
  const [up, down] = row.components;
  expect([up!.emoji?.name, down!.emoji?.name]).toEqual(['👍', '👎']);
  return [up!.custom_id, down!.custom_id];
}

function originalOf(interaction: { token: string }): APIMessage {
  return t.server.state.interactions.get(interaction.token)!.original!;
}

const rows = (sql: string, ...args: unknown[]) => readRows(dbPath, sql, ...args);

describe('vote buttons', () => {
  it('every answer carries 👍 and 👎 for its entry; a reply that is not an answer carries none', async () => {
    const { body } = await ask('Co to jest back-office?');
    const ids = voteIds(body)!;
    expect(ids[0]).toMatch(/^vote:up:back-office:[A-Za-z0-9_-]{12}$/);
    expect(ids[1]).toBe(ids[0].replace('vote:up:', 'vote:down:'));
    const { body: notFound } = await ask('Jaka jutro pogoda w Warszawie?');
    expect(voteIds(notFound)).toBeUndefined();
  });

  it('a topic button’s answer carries them too', async () => {
    const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' });
    const { body } = await interact(interaction);
    const topicId = body.data.components!.flatMap((row) => row.components).find((c) => c.custom_id.startsWith('topic:'))!.custom_id;
    const { body: topic } = await interact(makeButtonInteraction({ customId: topicId, message: originalOf(interaction), locale: 'pl' }));
    expect(voteIds(topic)).toBeDefined();
  });

  it('a click is thanked for privately at once; a second click changes the vote, stored once per user and answer', async () => {
    const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest front-office?' }, locale: 'pl' });
    const { body } = await interact(interaction);
    const [up, down] = voteIds(body)!;
    const voter = makeUser();
    const message = originalOf(interaction);

    const first = await interact(makeButtonInteraction({ customId: up, message, user: voter, locale: 'pl' }));
    expect(first.body.type).toBe(4);
    expect(first.body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(first.body.data.content).toBe(MESSAGES.pl.voteRecorded);

    const second = await interact(makeButtonInteraction({ customId: down, message, user: voter, locale: 'en-US' }));
    expect(second.body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(second.body.data.content).toBe(MESSAGES.en.voteChanged('👎'));

    await feedback.settled();
    const ref = up.split(':')[3];
    expect(rows('SELECT vote, entry_id FROM votes WHERE answer_ref = ?', ref)).toEqual([{ vote: -1, entry_id: 'front-office' }]);
  });

  it('stores many users clicking at the same moment, each vote once', async () => {
    const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' });
    const { body } = await interact(interaction);
    const [up, down] = voteIds(body)!;
    const message = originalOf(interaction);
    const voters = Array.from({ length: 40 }, () => makeUser());
    const clicks = voters.map((voter, i) => makeButtonInteraction({ customId: i % 4 === 0 ? down : up, message, user: voter, locale: 'pl' }));
    for (const click of clicks) t.server.sendInteraction(click);
    const answers = await Promise.all(clicks.map((click) => t.server.waitForRequest({ method: 'POST', path: `/interactions/${click.id}/${click.token}/callback` })));
    for (const answer of answers) {
      expect(answer.status).toBe(204);
      expect((answer.body as Body).data.flags).toBe(MessageFlags.Ephemeral);
    }
    await feedback.settled();
    const ref = up.split(':')[3];
    const stored = rows('SELECT vote, COUNT(*) AS n FROM votes WHERE answer_ref = ? GROUP BY vote ORDER BY vote', ref);
    expect(stored).toEqual([
      { vote: -1, n: 10 },
      { vote: 1, n: 30 },
    ]);
  });

  it('accepts a vote on an old answer the database does not know, politely', async () => {
    const { body } = await interact(makeButtonInteraction({ customId: 'vote:up:back-office:AAAAAAAAAAAA', locale: 'pl' }));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.content).toBe(MESSAGES.pl.voteRecorded);
  });

  it('stores every question, answered or not, and no raw user id anywhere in the files', async () => {
    const asker = makeUser();
    await ask('Co to jest BPO?', asker);
    await ask('Ile kosztuje pizza w Rzymie?', asker);
    // Questions are stored once their reply has gone out, which the server sees a moment earlier.
    await vi.waitFor(async () => {
      await feedback.settled();
      expect(rows("SELECT via, lang, kind, entry_id, question FROM questions ORDER BY id DESC LIMIT 2")).toEqual([
        { via: 'slash', lang: 'pl', kind: 'not-found', entry_id: null, question: 'Ile kosztuje pizza w Rzymie?' },
        { via: 'slash', lang: 'pl', kind: 'answer', entry_id: 'bpo-definition', question: 'Co to jest BPO?' },
      ]);
    });
    for (const file of readdirSync(folder)) {
      const bytes = readFileSync(join(folder, file)).toString('latin1');
      expect(bytes.includes(asker.id), file).toBe(false);
    }
  });
});

describe('vote buttons on DMs and mentions', () => {
  /** Sends a message to the bot and returns the body of the reply it posted in that channel. */
  async function message(content: string, { dm = true, author = makeUser() } = {}): Promise<Body['data']> {
    const sent = t.server.sendMessage({ dm, author, content: dm ? content : `<@${t.server.botUser.id}> ${content}` });
    const request = await t.server.waitForRequest({ method: 'POST', path: `/channels/${sent.channel_id}/messages` });
    expect(request.status).toBe(200);
    return request.body as Body['data'];
  }

  it('a DM answer and a mention answer carry 👍 and 👎, each with its own answer reference even when the answer is the same', async () => {
    const first = await message('Co to jest back-office?');
    const second = await message('Co to jest back-office?');
    const mention = await message('Co to jest back-office?', { dm: false });
    const refs = [first, second, mention].map((reply) => {
      const ids = voteIds({ type: 0, data: reply })!;
      expect(ids[0]).toMatch(/^vote:up:back-office:[A-Za-z0-9_-]{12}$/);
      return ids[0].split(':')[3];
    });
    expect(new Set(refs).size).toBe(3);
    expect(voteIds({ type: 0, data: await message('Jaka jutro pogoda w Warszawie?') })).toBeUndefined();
  });

  it('a click on a DM answer is stored against the question it answered', async () => {
    const asker = makeUser();
    const reply = await message('Czym jest front-office?', { author: asker });
    const [up] = voteIds({ type: 0, data: reply })!;
    const click = await interact(makeButtonInteraction({ customId: up, user: asker, locale: 'pl' }));
    expect(click.body.data.flags).toBe(MessageFlags.Ephemeral);
    const ref = up.split(':')[3];
    await vi.waitFor(async () => {
      await feedback.settled();
      expect(rows('SELECT q.via, q.entry_id, v.vote FROM questions q JOIN votes v ON v.answer_ref = q.answer_ref WHERE q.answer_ref = ?', ref)).toEqual([
        { via: 'dm', entry_id: 'front-office', vote: 1 },
      ]);
    });
  });
});

describe('with feedback off', () => {
  it('answers carry no vote buttons', async () => {
    const plain = await startTestBot();
    try {
      const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest back-office?' }, locale: 'pl' });
      plain.server.sendInteraction(interaction);
      const request = await plain.server.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
      expect(voteIds(request.body as Body)).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
