/**
 * The bounded queue of DM and mention replies (src/gateway/outbox.ts), on its own: how many replies
 * run at once, in which order the rest go, and what is dropped, when, and with which log lines.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTBOX, MAX_WAITING, Outbox, type OutboxOptions, type OutboxResult, type OutgoingReply } from '../src/gateway/outbox.ts';
import { captureLogger } from './support/capture-log.ts';

interface Pending {
  name: string;
  finish: () => void;
  fail: (error: Error) => void;
}

function setUp(options: Partial<OutboxOptions> = {}) {
  const { lines, logger } = captureLogger('info');
  let now = 0;
  const outbox = new Outbox({ concurrency: 2, perChannel: 2, capacity: 3, ...options }, logger, () => now);
  const started: Pending[] = [];
  const results = new Map<string, OutboxResult | 'failed'>();
  const submit = (name: string, channelId = `channel-${name}`, notice = false) => {
    const done = outbox.submit({
      channelId,
      context: { question: name },
      notice,
      send: () =>
        new Promise<void>((resolve, reject) => {
          started.push({ name, finish: resolve, fail: reject });
        }),
    });
    done.then(
      (result) => results.set(name, result),
      () => results.set(name, 'failed'),
    );
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** Finishes the reply `name` is sending and lets the queue move on. */
  const finish = async (name: string) => {
    started.find((pending) => pending.name === name)!.finish();
    await settle();
  };
  return { outbox, lines, started: () => started.map((pending) => pending.name), results, submit, finish, settle, advance: (ms: number) => (now += ms), fail: started };
}

describe('the reply queue', () => {
  it('sends at most `concurrency` replies at once, the others in order of arrival as slots free up', async () => {
    const q = setUp({ capacity: 10 });
    for (const name of ['a', 'b', 'c', 'd']) q.submit(name);
    expect(q.started()).toEqual(['a', 'b']);
    expect(q.outbox.stats()).toMatchObject({ running: 2, waiting: 2 });
    await q.finish('b');
    expect(q.started()).toEqual(['a', 'b', 'c']);
    await q.finish('a');
    await q.finish('c');
    await q.finish('d');
    expect(q.started()).toEqual(['a', 'b', 'c', 'd']);
    expect([...q.results.values()]).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(q.outbox.stats()).toMatchObject({ running: 0, waiting: 0, maxRunning: 2, maxWaiting: 2, sent: 4, dropped: 0 });
    expect(q.lines).toEqual([]);
  });

  it('lets replies for other channels go ahead of a channel that has its share running', async () => {
    const q = setUp({ concurrency: 3, perChannel: 1, capacity: 10 });
    q.submit('busy-1', 'busy');
    q.submit('busy-2', 'busy');
    q.submit('other', 'quiet');
    expect(q.started()).toEqual(['busy-1', 'other']);
    await q.finish('busy-1');
    expect(q.started()).toEqual(['busy-1', 'other', 'busy-2']);
  });

  it('past `capacity` waiting, drops the oldest waiting question, logs it, and warns once per episode', async () => {
    const q = setUp({ capacity: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) q.submit(name);
    await q.settle();
    // a and b run; c and d were the oldest waiting when e and f came.
    expect(q.started()).toEqual(['a', 'b']);
    expect(q.results.get('c')).toBe('dropped');
    expect(q.results.get('d')).toBe('dropped');
    expect(q.outbox.stats()).toMatchObject({ waiting: 2, maxWaiting: 2, dropped: 2 });
    expect(q.lines.map((line) => [line.level, line.msg, line.question ?? null, line.reason ?? null])).toEqual([
      [40, 'reply queue full: not answering the oldest questions until it drains', null, null],
      [30, 'not answering: reply queue full', 'c', 'too many replies waiting'],
      [30, 'not answering: reply queue full', 'd', 'too many replies waiting'],
    ]);
    await q.finish('a');
    await q.finish('b');
    await q.finish('e');
    await q.finish('f');
    expect(q.results.get('f')).toBe('sent');
    expect(q.lines.at(-1)).toMatchObject({ level: 30, msg: 'reply queue drained: answering every question again', dropped: 2 });
  });

  it('lets a reply wait as long as it takes: nothing is shed for waiting, only for memory', async () => {
    const q = setUp({ concurrency: 1, capacity: 10 });
    q.submit('a');
    q.submit('patient');
    q.advance(60_000);
    await q.finish('a');
    expect(q.started()).toEqual(['a', 'patient']);
    await q.finish('patient');
    expect(q.results.get('patient')).toBe('sent');
    expect(q.lines).toEqual([]);
  });

  it('a failed send rejects that reply only and frees its slot', async () => {
    const q = setUp({ concurrency: 1, capacity: 10 });
    q.submit('a');
    q.submit('b');
    q.fail[0]!.fail(new Error('Discord said no'));
    await q.settle();
    expect(q.results.get('a')).toBe('failed');
    expect(q.started()).toEqual(['a', 'b']);
  });

  it('holds at most capacity + concurrency replies, however many are submitted', async () => {
    const q = setUp({ concurrency: 5, perChannel: 5, capacity: 20 });
    for (let i = 0; i < 1000; i++) q.submit(`q${i}`, `channel-${i % 7}`);
    await q.settle();
    const stats = q.outbox.stats();
    expect(stats.running + stats.waiting).toBe(25);
    expect(stats).toMatchObject({ maxRunning: 5, maxWaiting: 20, dropped: 975 });
    // The newest questions are the ones still waiting.
    expect([...q.results.keys()].includes('q999')).toBe(false);
    expect(q.results.get('q974')).toBe('dropped');
  });

  it('holds up to the memory bound by default: 5,000 waiting, 100 s of Discord\'s global budget', () => {
    expect(DEFAULT_OUTBOX).toEqual({ concurrency: 50, perChannel: 5, capacity: MAX_WAITING });
    expect(MAX_WAITING).toBe(5000);
  });

  it('owes a shed answer\'s channel one "ask again" notice, queued once the queue is at most half full', async () => {
    const { lines, logger } = captureLogger('info');
    const started: { name: string; finish: () => void }[] = [];
    const outbox = new Outbox({ concurrency: 1, perChannel: 1, capacity: 4 }, logger, () => 0);
    const reply = (name: string, channelId: string, owed = true): OutgoingReply => ({
      channelId,
      context: { question: name },
      send: () => new Promise<void>((resolve) => started.push({ name, finish: resolve })),
      ...(owed ? { whenShed: () => reply(`sorry-${channelId}`, channelId, false) } : {}),
    });
    const results = new Map<string, OutboxResult>();
    const submit = (name: string, channelId: string) => void outbox.submit(reply(name, channelId)).then((result) => results.set(name, result));
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    submit('running', 'x');
    for (const name of ['a1', 'a2', 'b1', 'c1', 'c2', 'c3']) submit(name, name[0]!);
    await settle();
    // a1 and a2 were shed for the newer ones: channel a is owed one notice, however many were shed there.
    expect([...results].filter(([, result]) => result === 'dropped').map(([name]) => name)).toEqual(['a1', 'a2']);
    expect(outbox.stats()).toMatchObject({ waiting: 4, dropped: 2, owed: 1 });
    submit('c4', 'c');
    await settle();
    expect(results.get('b1')).toBe('dropped');
    expect(outbox.stats()).toMatchObject({ waiting: 4, dropped: 3, owed: 2 });
    // As the queue drains to half its capacity, the owed notices join it, behind the answers.
    while (started.length > 0) {
      started.shift()!.finish();
      await settle();
    }
    expect(results.get('c4')).toBe('sent');
    expect(outbox.stats()).toMatchObject({ running: 0, waiting: 0, owed: 0, sent: 7 });
    expect(lines.at(-1)).toMatchObject({ msg: 'reply queue drained: answering every question again', dropped: 3 });
  });

  it('drops a waiting notice before any answer when full: an answer is worth more than "you are asking too fast"', async () => {
    const q = setUp({ concurrency: 1, capacity: 2 });
    q.submit('running');
    q.submit('answer-1');
    q.submit('notice', 'channel-n', true);
    q.submit('answer-2');
    await q.settle();
    expect(q.results.get('notice')).toBe('dropped');
    // With no notice left waiting, the oldest answer goes.
    q.submit('answer-3');
    await q.settle();
    expect(q.results.get('answer-1')).toBe('dropped');
    expect(q.outbox.stats()).toMatchObject({ waiting: 2, dropped: 2 });
  });
});
