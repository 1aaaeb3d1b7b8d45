/**
 * A flood of DMs from many users, each within their own question limit, under Discord's global
 * limit of 50 requests per second (discord.js holds the bot to it): the bot's reply queue keeps what
 * it holds bounded, instead of queueing every answer behind the flood, and tells the askers it had
 * to leave unanswered.
 *
 * The queue's memory bound is set low here (200 waiting) so that the flood passes it. The bounds
 * are asserted by counting, not by the clock: no answer ever has more than the queue's capacity
 * plus its concurrency of other replies going out between its question and itself, and the bot
 * never holds more than that many. What does not fit is shed, limit notices first and then the
 * oldest answers, each with a log line, and each DM that lost an answer gets one "ask again".
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import { DEFAULT_OUTBOX } from '../src/gateway/outbox.ts';
import { MESSAGES } from '../src/responder/messages.ts';
import { makeUser, type RecordedRequest } from './support/discord-server/index.ts';
import { loggedId, startTestBot, type LogLine, type TestBot } from './support/bot-harness.ts';

const USERS = 200;
const DMS_PER_USER = 6;
const LIMIT = { questions: 5, windowSeconds: 30 };
/** The queue's memory bound for this test: far below the 1,000 answers the flood asks for. */
const CAPACITY = 200;
const BOUND = CAPACITY + DEFAULT_OUTBOX.concurrency;

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ rateLimit: LIMIT, outbox: { capacity: CAPACITY } });
});
afterAll(async () => {
  await t?.close();
});

const isReply = (request: RecordedRequest) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path);
const overloaded = new Set([MESSAGES.pl.overloaded, MESSAGES.en.overloaded]);
/** The "ask again" a DM gets when some of its answers were shed. */
const isOverloadNotice = (request: RecordedRequest) => isReply(request) && [...overloaded].some((text) => JSON.stringify(request.body).includes(text));

describe(`${USERS} users sending ${DMS_PER_USER} DMs each, at once`, () => {
  const questions: { message: APIMessage; requestsBefore: number }[] = [];
  let bystander: APIMessage;
  let lines: LogLine[];
  const linesWith = (msg: string, extra: (line: LogLine) => boolean = () => true) => lines.filter((line) => line.msg === msg && extra(line));
  const DROPPED = 'not answering: reply queue full';

  beforeAll(async () => {
    const users = Array.from({ length: USERS }, () => makeUser());
    const send = (author: (typeof users)[number], content: string) => {
      // How many requests the server had seen when the question was asked.
      const requestsBefore = t.server.requests.length;
      const message = t.server.sendMessage({ dm: true, author, content });
      questions.push({ message, requestsBefore });
      return message;
    };
    for (let round = 0; round < DMS_PER_USER; round++) {
      for (const user of users) send(user, round % 2 ? 'Co to jest BPO?' : 'What is back office?');
    }
    // Someone who is not part of the flood asks while the bot is still working it off.
    bystander = send(makeUser(), 'Czym jest front office?');
    const settled = () => {
      const all = t.logLines();
      return all.filter((l) => l.msg === 'answered' || l.msg === DROPPED || (l.msg === 'rate limited' && !l.notified)).length + all.filter((l) => l.msg === 'rate limited' && l.notified).length;
    };
    // Every question is answered, refused by the limit, or dropped; then the queue empties.
    await vi.waitFor(
      () => {
        if (settled() < questions.length) throw new Error(`${settled()} of ${questions.length} questions settled`);
      },
      { timeout: 40_000, interval: 200 },
    );
    await vi.waitFor(() => expect(t.bot.outbox()).toMatchObject({ running: 0, waiting: 0, owed: 0 }), { timeout: 20_000 });
    lines = t.logLines();
  }, 80_000);

  it('accounts for every question: an answer, the limit notice, or shed with a log line; every reply sent is one of those or an "ask again"', () => {
    const answered = linesWith('answered').length;
    const noticed = linesWith('rate limited', (l) => l.notified === true).length;
    const droppedAnswers = linesWith(DROPPED, (l) => l.reply === 'answer').length;
    const droppedNotices = linesWith(DROPPED, (l) => l.reply === 'notice').length;
    // Five DMs per user are within the limit; the sixth is over it and gets the notice.
    expect(noticed).toBe(USERS);
    expect(linesWith('rate limited', (l) => l.notified === false)).toEqual([]);
    expect(answered + droppedAnswers + noticed).toBe(questions.length);
    expect(droppedAnswers).toBeGreaterThan(0);
    // Each DM that lost an answer is told once to ask again, once the queue had room.
    const shedChannels = new Set(linesWith(DROPPED, (l) => l.reply === 'answer').map((l) => l.channelId));
    const told = t.server.requests.filter(isOverloadNotice).map((r) => r.path.split('/')[2]);
    expect(new Set(told)).toEqual(shedChannels);
    expect(told).toHaveLength(shedChannels.size);
    expect(t.server.requests.filter(isReply).length).toBe(answered + noticed - droppedNotices + told.length);
    // The queue sheds notices before answers: what went out is answers, nearly all of it.
    expect(answered).toBeGreaterThanOrEqual(0.8 * BOUND);
    expect(linesWith('reply queue full: not answering the oldest questions until it drains').length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.level >= 50)).toBe(false);
  });

  it("never holds more than the queue's capacity waiting and its concurrency in flight", () => {
    const stats = t.bot.outbox();
    expect(stats.maxWaiting).toBe(CAPACITY);
    expect(stats.maxRunning).toBeLessThanOrEqual(DEFAULT_OUTBOX.concurrency);
  });

  it(`sends no reply with more than ${BOUND} other replies gone out between its question and itself`, () => {
    // Replies within one DM channel go out in the order of its questions, skipping dropped ones.
    const dropped = new Set(linesWith(DROPPED).map((l) => l.messageId));
    const repliesBefore: number[] = [];
    let replies = 0;
    const byChannel = new Map<string, number[]>();
    t.server.requests.forEach((request, index) => {
      repliesBefore.push(replies);
      if (!isReply(request)) return;
      replies += 1;
      // An "ask again" counts among the replies in between, but answers no one question.
      if (isOverloadNotice(request)) return;
      const channel = request.path.split('/')[2]!;
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), index]);
    });
    let checked = 0;
    const next = new Map<string, number>();
    for (const { message, requestsBefore } of questions) {
      if (dropped.has(message.id)) continue;
      const position = next.get(message.channel_id) ?? 0;
      next.set(message.channel_id, position + 1);
      const replyIndex = byChannel.get(message.channel_id)?.[position];
      expect(replyIndex, `a reply to ${message.id}`).toBeDefined();
      expect(repliesBefore[replyIndex!]! - repliesBefore[requestsBefore]!).toBeLessThanOrEqual(BOUND);
      checked += 1;
    }
    expect(checked).toBe(t.server.requests.filter((r) => isReply(r) && !isOverloadNotice(r)).length);
  });

  it('answers someone who asks while the flood is being worked off, behind no more than the queue holds', () => {
    expect(linesWith('answered', (l) => l.userId === loggedId(bystander.author.id))).toEqual([expect.objectContaining({ via: 'dm', entryId: 'front-office' })]);
    const asked = questions.find((q) => q.message.id === bystander.id)!.requestsBefore;
    const reply = t.server.requests.findIndex((r) => isReply(r) && r.path === `/channels/${bystander.channel_id}/messages`);
    const between = t.server.requests.slice(asked, reply).filter(isReply).length;
    expect(between).toBeLessThanOrEqual(BOUND);
    expect(between).toBeGreaterThan(DEFAULT_OUTBOX.concurrency);
  });

  it('spends no request on typing', () => {
    expect(t.server.requests.filter((r) => r.path.endsWith('/typing'))).toEqual([]);
  });
});
