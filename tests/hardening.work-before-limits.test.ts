/**
 * A question is counted against the limit before any work is done on it, and a long one is read
 * only as far as the length limit: a flood of 4,000-character messages from a user over the limit
 * costs no language detection at all. Shown on the real bot, with the language module observed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser } from './support/discord-server/index.ts';
import { loggedId, startTestBot, type TestBot } from './support/bot-harness.ts';

const detected = vi.hoisted(() => [] as string[]);
vi.mock('../src/answering/language.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/answering/language.ts')>();
  // The text each language reading looks at: from a question read whole (languageOf) or from text alone (detectLanguage).
  return {
    ...original,
    languageOf: (...args: Parameters<typeof original.languageOf>) => {
      detected.push(args[1]);
      return original.languageOf(...args);
    },
    detectLanguage: (...args: Parameters<typeof original.detectLanguage>) => {
      detected.push(args[0]);
      return original.detectLanguage(...args);
    },
  };
});

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ rateLimit: { questions: 1, windowSeconds: 60 } });
});
afterAll(async () => {
  await t?.close();
});

const wall = '\uFDFA'.repeat(4000);

async function dm(author: ReturnType<typeof makeUser>, content: string) {
  const since = t.server.requests.length;
  const sent = t.server.sendMessage({ dm: true, author, content });
  return t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${sent.channel_id}/messages`);
}

describe('work before the limits', () => {
  it('a 4,000-character DM is read on its first 300 characters only, once, for the "please shorten" reply', async () => {
    detected.length = 0;
    const reply = await dm(makeUser(), wall);
    expect((reply.body as { embeds: { title: string }[] }).embeds[0]!.title).toBe('Pytanie jest za długie');
    expect(detected.map((text) => text.length)).toEqual([300]);
  });

  it('from a user over the limit: the notice, then silence, with no language detection but for the one notice', async () => {
    const user = makeUser();
    await dm(user, 'Co to jest BPO?');
    detected.length = 0;
    // Over the limit: the window's one notice is worded in the question's language (read on 300 characters).
    await dm(user, wall);
    expect(detected.map((text) => text.length)).toEqual([300]);
    detected.length = 0;
    for (let i = 0; i < 20; i++) t.server.sendMessage({ dm: true, author: user, content: wall });
    // A control question from someone else; by the time it is answered, the flood was handled.
    await dm(makeUser(), 'Co to jest BPO?');
    await expect.poll(() => t.logLines().filter((l) => l.msg === 'rate limited' && l.userId === loggedId(user.id)).length).toBe(21);
    expect(detected.filter((text) => text.length > 20)).toEqual([]);
  });
});
