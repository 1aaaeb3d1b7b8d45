import { describe, expect, it } from 'vitest';
import type { Answerer } from '../src/answering/answer.ts';
import { cachedAnswer } from '../src/bot/answer-cache.ts';
import type { Answered } from '../src/bot/replies.ts';

/** An answer whose rendered message has about `chars` characters. */
const answered = (chars: number, tag = ''): Answered => ({ result: { kind: 'not-found', question: tag } as never, message: { content: 'x'.repeat(chars), allowed_mentions: { parse: [], replied_user: false } } });

describe('recent answers', () => {
  it('keeps an answer from the second time its question comes, per knowledge base', () => {
    const base = {} as Answerer;
    const other = {} as Answerer;
    let computed = 0;
    const compute = () => (computed++, answered(100));
    cachedAnswer(base, 'q:co to jest bpo?', compute);
    // Asked once, it was not kept: most questions never come again.
    const second = cachedAnswer(base, 'q:co to jest bpo?', compute);
    expect(computed).toBe(2);
    expect(cachedAnswer(base, 'q:co to jest bpo?', compute)).toBe(second);
    expect(computed).toBe(2);
    // A base swapped in at run time starts with its own, empty cache.
    const again = cachedAnswer(other, 'q:co to jest bpo?', compute);
    expect(computed).toBe(3);
    expect(cachedAnswer(other, 'q:co to jest bpo?', compute)).toBe(again);
  });

  it('holds about 2 MB, forgetting the least recently used first, and never an answer larger than that', () => {
    const base = {} as Answerer;
    let computed = 0;
    const ask = (key: string, chars = 1000) => cachedAnswer(base, key, () => (computed++, answered(chars, key)));
    ask('kept');
    ask('kept');
    for (let i = 0; i < 5000; i++) {
      ask(`q${i}`);
      ask(`q${i}`);
      // Asked all along, it stays.
      ask('kept');
    }
    expect(computed).toBe(10_002);
    ask('q4999');
    expect(computed).toBe(10_002);
    // The oldest of the rest are gone: 5,000 answers of about 5 kB do not fit in 2 MB.
    ask('q0');
    expect(computed).toBe(10_003);
    ask('huge', 3_000_000);
    ask('huge', 3_000_000);
    ask('huge', 3_000_000);
    expect(computed).toBe(10_006);
  });
});
