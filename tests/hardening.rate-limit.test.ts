/**
 * The per-user question limit: the pure limiter (with a fake clock), its properties over random
 * traffic, and the glue that logs a refused question and words the notice.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT } from '../src/config.ts';
import { rateLimitNotice } from '../src/discord/adapters/answer-message.ts';
import { admitQuestion, createQuestionLimiter } from '../src/discord/question-limit.ts';
import { RateLimiter, type RateDecision } from '../src/discord/rate-limit.ts';
import { createLogger } from '../src/log.ts';

const WINDOW = 30_000;

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function limiter(max = 5, windowMs = WINDOW, maxUsers?: number) {
  const time = clock();
  return { time, limiter: new RateLimiter({ max, windowMs, now: time.now, ...(maxUsers ? { maxUsers } : {}) }) };
}

describe('RateLimiter', () => {
  it('allows max questions per window, then refuses with one notice saying when to ask again', () => {
    const { time, limiter: l } = limiter();
    for (let i = 0; i < 5; i++) {
      expect(l.check('u')).toEqual({ allowed: true });
      time.advance(1000);
    }
    // First question at +0 s, now +5 s: a slot frees at +30 s.
    expect(l.check('u')).toEqual({ allowed: false, retryInMs: 25_000, notify: true });
    time.advance(1000);
    expect(l.check('u')).toEqual({ allowed: false, retryInMs: 24_000, notify: false });
  });

  it('stays silent after the notice until the window ends, even while the user keeps trying', () => {
    const { time, limiter: l } = limiter(2);
    l.check('u');
    l.check('u');
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 29; i++) {
      decisions.push(l.check('u'));
      time.advance(1000);
    }
    expect(decisions.filter((d) => !d.allowed && d.notify)).toHaveLength(1);
    expect(decisions.every((d) => !d.allowed)).toBe(true);
  });

  it('slides: once the oldest question leaves the window, one more is allowed', () => {
    const { time, limiter: l } = limiter(2);
    l.check('u');
    time.advance(10_000);
    l.check('u');
    time.advance(19_999);
    expect(l.check('u').allowed).toBe(false);
    time.advance(1);
    expect(l.check('u')).toEqual({ allowed: true });
    expect(l.check('u').allowed).toBe(false);
  });

  it('counts each user separately', () => {
    const { limiter: l } = limiter(1);
    expect(l.check('a').allowed).toBe(true);
    expect(l.check('b').allowed).toBe(true);
    expect(l.check('a').allowed).toBe(false);
  });

  it('forgets users who have been quiet for a window', () => {
    const { time, limiter: l } = limiter(1);
    for (let i = 0; i < 100; i++) l.check(`user-${i}`);
    l.check('user-0');
    expect(l.trackedUsers).toBe(100);
    time.advance(WINDOW);
    l.check('late');
    expect(l.trackedUsers).toBe(1);
  });

  it('keeps a limited user remembered until their notice window is over, so the silence holds', () => {
    const { time, limiter: l } = limiter(1);
    l.check('u');
    time.advance(WINDOW - 1);
    expect(l.check('u')).toMatchObject({ allowed: false, notify: true });
    time.advance(1);
    // The question has left the window, the notice has not: asking is allowed again, and the next refusal stays silent.
    l.check('other');
    expect(l.check('u')).toEqual({ allowed: true });
    expect(l.check('u')).toMatchObject({ allowed: false, notify: false });
  });

  it('remembers at most maxUsers, forgetting the longest-quiet first', () => {
    const { limiter: l } = limiter(1, WINDOW, 50);
    for (let i = 0; i < 1000; i++) l.check(`user-${i}`);
    expect(l.trackedUsers).toBe(50);
    // The latest users are still limited.
    expect(l.check('user-999').allowed).toBe(false);
  });

  it.each([
    [{ max: 0, windowMs: 1000 }],
    [{ max: 1.5, windowMs: 1000 }],
    [{ max: 1, windowMs: 0 }],
    [{ max: 1, windowMs: Number.NaN }],
    [{ max: 1, windowMs: 1000, maxUsers: 0 }],
  ])('refuses nonsensical settings %o', (options) => {
    expect(() => new RateLimiter(options)).toThrow(RangeError);
  });

  it('over any traffic: never more than max allowed nor more than one notice per window, and never refuses without cause', () => {
    const event = fc.record({ user: fc.constantFrom('a', 'b', 'c'), after: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 40_000 })) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1000, max: 30_000 }), fc.array(event, { maxLength: 200 }), (max, windowMs, events) => {
        const time = clock();
        const l = new RateLimiter({ max, windowMs, now: time.now });
        const allowed = new Map<string, number[]>();
        const notices = new Map<string, number[]>();
        for (const { user, after } of events) {
          time.advance(after);
          const now = time.now();
          const decision = l.check(user);
          const inWindow = (times: number[] | undefined) => (times ?? []).filter((at) => at > now - windowMs);
          if (decision.allowed) {
            expect(inWindow(allowed.get(user)).length).toBeLessThan(max);
            allowed.set(user, [...(allowed.get(user) ?? []), now]);
          } else {
            // Refused only when the window really is full, and told when the oldest question leaves it.
            const recent = inWindow(allowed.get(user));
            expect(recent).toHaveLength(max);
            expect(decision.retryInMs).toBe(recent[0]! + windowMs - now);
            expect(decision.retryInMs).toBeGreaterThan(0);
            if (decision.notify) {
              expect(inWindow(notices.get(user))).toHaveLength(0);
              notices.set(user, [...(notices.get(user) ?? []), now]);
            } else {
              expect(inWindow(notices.get(user)).length).toBeGreaterThan(0);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('admitQuestion (the Discord-side gate)', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    return { lines, logger: createLogger({ level: 'info', destination, secrets: [] }) };
  }

  it('admits within the limit, then logs the refused question at info and gives a notice once', () => {
    const time = clock();
    const limiter = createQuestionLimiter({ questions: 2, windowSeconds: 30 }, time.now);
    const { lines, logger } = capture();
    const asker = { via: 'mention' as const, userId: '1300000000000000001', guildId: '1200000000000000001' };
    expect(admitQuestion(limiter, asker, 'pl', logger)).toEqual({ admitted: true });
    expect(admitQuestion(limiter, asker, 'pl', logger)).toEqual({ admitted: true });
    time.advance(4_500);
    const refused = admitQuestion(limiter, asker, 'pl', logger);
    expect(refused).toMatchObject({ admitted: false, notice: { content: 'Zadajesz pytania zbyt szybko. Możesz zapytać ponownie za 26 s.' } });
    expect(admitQuestion(limiter, asker, 'pl', logger)).toEqual({ admitted: false, notice: undefined });
    const limited = lines.filter((line) => line.msg === 'rate limited');
    expect(limited).toHaveLength(2);
    expect(limited[0]).toMatchObject({ level: 30, ...asker, limited: true, notified: true, retryInMs: 25_500 });
    expect(limited[1]).toMatchObject({ level: 30, ...asker, limited: true, notified: false });
  });

  it('takes its settings from the configuration (5 per 30 s by default)', () => {
    const l = createQuestionLimiter(DEFAULT_RATE_LIMIT);
    expect([l.max, l.windowMs]).toEqual([5, 30_000]);
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
