import { createHash } from 'node:crypto';
/**
 * The per-user limits in memory (rate-limiter-flexible with a fake clock): windows, the one notice
 * per window, eviction only when a window is over, properties over random traffic, and the glue
 * that logs a refused question and words the notice. The same code over Redis is tested in
 * hardening.rate-limit-redis.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOCOMPLETE_LIMIT, admitQuestion, createLimits, limitKey, type Limit } from '../src/bot/limits.ts';
import { rateLimitNotice } from '../src/bot/replies.ts';
import { DEFAULT_RATE_LIMIT } from '../src/config.ts';
import { createLogger, logIdHasher } from '../src/log.ts';

const silent = createLogger({ level: 'silent' });
const questionsLimit = (questions = 5, windowSeconds = 30): Limit => createLimits({ questions: { questions, windowSeconds }, logger: silent }).questions;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the question limit', () => {
  it('allows max questions per window, then refuses with one notice saying when to ask again', async () => {
    const limit = questionsLimit();
    for (let i = 0; i < 5; i++) {
      expect(await limit.consume('u')).toEqual({ allowed: true });
      vi.advanceTimersByTime(1000);
    }
    // The window began with the first question, 5 s ago: it ends in 25 s.
    expect(await limit.consume('u')).toEqual({ allowed: false, retryInMs: 25_000, notify: true });
    vi.advanceTimersByTime(1000);
    expect(await limit.consume('u')).toEqual({ allowed: false, retryInMs: 24_000, notify: false });
  });

  it('stays silent after the notice until the window ends, then allows again, with a new notice only in the next window', async () => {
    const limit = questionsLimit(2);
    await limit.consume('u');
    await limit.consume('u');
    const refusals = [];
    for (let i = 0; i < 29; i++) {
      refusals.push(await limit.consume('u'));
      vi.advanceTimersByTime(1000);
    }
    expect(refusals.every((d) => !d.allowed)).toBe(true);
    expect(refusals.filter((d) => !d.allowed && d.notify)).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(await limit.consume('u')).toEqual({ allowed: true });
    expect(await limit.consume('u')).toEqual({ allowed: true });
    expect(await limit.consume('u')).toMatchObject({ allowed: false, notify: true, retryInMs: 30_000 });
  });

  it('counts each user separately, and suggestions apart from questions', async () => {
    const limits = createLimits({ questions: { questions: 1, windowSeconds: 30 }, logger: silent });
    expect((await limits.questions.consume('a')).allowed).toBe(true);
    expect((await limits.questions.consume('b')).allowed).toBe(true);
    expect((await limits.questions.consume('a')).allowed).toBe(false);
    expect((await limits.suggestions.consume('a')).allowed).toBe(true);
    expect(limits.suggestions.settings).toEqual(AUTOCOMPLETE_LIMIT);
  });

  it('forgets no user before their window is over, however many others ask (20,000 users in one window)', async () => {
    // No clock to move here, and the real one is much faster with 20,000 windows open.
    vi.useRealTimers();
    const limit = questionsLimit(1);
    await limit.consume('first');
    for (let i = 0; i < 20_000; i++) await limit.consume(`user-${i}`);
    expect(await limit.consume('first')).toMatchObject({ allowed: false, notify: true });
    expect(await limit.consume('user-0')).toMatchObject({ allowed: false });
  });

  it('counts users under a keyed hash of their id, never the raw id: without the key, a known id cannot be tested', () => {
    const secret = 'a'.repeat(64);
    const key = limitKey('1300000000000000001', secret);
    expect(key).toBe(limitKey('1300000000000000001', secret));
    expect(key).not.toContain('1300000000000000001');
    expect(key).not.toBe(limitKey('1300000000000000002', secret));
    expect(key).not.toBe(limitKey('1300000000000000001', 'b'.repeat(64)));
    expect(key).not.toBe(createHash('sha256').update('bpo-bot:user:1300000000000000001').digest('base64url').slice(0, 22));
  });

  it('takes its settings from the configuration (5 per 30 s by default)', () => {
    expect(createLimits({ questions: DEFAULT_RATE_LIMIT, logger: silent }).questions.settings).toEqual({ questions: 5, windowSeconds: 30 });
  });

  it('over any traffic: never more than max allowed per window, one notice per window, and never a refusal without cause', async () => {
    const event = fc.record({ user: fc.constantFrom('a', 'b', 'c'), after: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 40_000 })) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), fc.array(event, { maxLength: 150 }), async (max, windowSeconds, events) => {
        const limit = questionsLimit(max, windowSeconds);
        // The model: a window opens with a user's first question and lasts windowSeconds.
        const windows = new Map<string, { endsAt: number; count: number }>();
        for (const { user, after } of events) {
          vi.advanceTimersByTime(after);
          const now = Date.now();
          let window = windows.get(user);
          if (!window || now >= window.endsAt) {
            window = { endsAt: now + windowSeconds * 1000, count: 0 };
            windows.set(user, window);
          }
          window.count++;
          const decision = await limit.consume(user);
          if (window.count <= max) expect(decision).toEqual({ allowed: true });
          else expect(decision).toEqual({ allowed: false, retryInMs: window.endsAt - now, notify: window.count === max + 1 });
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('admitQuestion', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    return { lines, logger: createLogger({ level: 'info', destination, secrets: [], idKey: LOG_KEY }) };
  }
  const asker = { via: 'mention' as const, userId: '1300000000000000001', guildId: '1200000000000000001' };
  const LOG_KEY = 'rate-limit-test-log-key-0123456789abcdef';
  const logged = { via: asker.via, userId: logIdHasher(LOG_KEY)(asker.userId), guildId: logIdHasher(LOG_KEY)(asker.guildId) };

  it('admits within the limit, then logs the refused question at info and words the notice once, in public', async () => {
    const limit = questionsLimit(2);
    const { lines, logger } = capture();
    const lang = vi.fn(() => 'pl' as const);
    const options = { alwaysNotify: false, lang };
    expect(await admitQuestion(limit, asker, logger, options)).toEqual({ admitted: true });
    expect(await admitQuestion(limit, asker, logger, options)).toEqual({ admitted: true });
    vi.advanceTimersByTime(4_500);
    expect(await admitQuestion(limit, asker, logger, options)).toMatchObject({ admitted: false, notice: { content: 'Zadajesz pytania zbyt szybko. Możesz zapytać ponownie za 26 s.' } });
    expect(await admitQuestion(limit, asker, logger, options)).toEqual({ admitted: false, notice: undefined });
    // The language is worked out only for the one notice sent.
    expect(lang).toHaveBeenCalledTimes(1);
    const limited = lines.filter((line) => line.msg === 'rate limited');
    expect(limited).toHaveLength(2);
    expect(limited[0]).toMatchObject({ level: 30, ...logged, limited: true, notified: true, retryInMs: 25_500 });
    expect(limited[1]).toMatchObject({ level: 30, ...logged, limited: true, notified: false });
  });

  it('notifies every time where an answer is owed (interactions)', async () => {
    const limit = questionsLimit(1);
    const { logger } = capture();
    const options = { alwaysNotify: true, lang: () => 'en' as const };
    await admitQuestion(limit, asker, logger, options);
    for (let i = 0; i < 3; i++) expect(await admitQuestion(limit, asker, logger, options)).toMatchObject({ admitted: false, notice: { content: expect.stringMatching(/^You are asking too quickly/) } });
  });
});

describe('rateLimitNotice', () => {
  it.each([
    ['pl', 25_000, 'Zadajesz pytania zbyt szybko. Możesz zapytać ponownie za 25 s.'],
    ['pl', 1, 'Zadajesz pytania zbyt szybko. Możesz zapytać ponownie za 1 s.'],
    ['en', 59_001, 'You are asking too quickly. You can ask again in 1 min.'],
    ['en', 90_000, 'You are asking too quickly. You can ask again in 2 min.'],
  ] as const)('in %s, %i ms → %s', (lang, ms, content) => {
    expect(rateLimitNotice(lang, ms)).toEqual({ content, allowed_mentions: { parse: [], replied_user: false } });
  });
});
