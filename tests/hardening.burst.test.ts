/**
 * A burst of 200 questions from 50 users across 10 channels of one server, at once, with Discord's
 * limits in force (5 messages per channel per window, 50 requests per second in all): every
 * question gets its answer, however long the channels' limits make the last ones wait, and nothing
 * the bot sends (typing included) is refused for the global limit.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateGuilds, makeUser } from './support/discord-server/index.ts';
import { startTestBot, type TestBot } from './support/bot-harness.ts';

const USERS = 50;
const QUESTIONS_PER_USER = 4;
const guild = generateGuilds({ count: 1, channels: 10, roles: 0, emojis: 0 })[0]!;
const QUESTIONS = ['Co to jest BPO?', 'What is back office?', 'Czym jest front office?', 'Jakie usługi obejmuje BPO?'];

let t: TestBot;
beforeAll(async () => {
  // A channel window of 2 s rather than Discord's 5 keeps the test short; 20 questions per channel
  // still need four windows, past the 5 s a reply was once allowed to wait.
  t = await startTestBot({ guilds: [guild], channelMessageLimit: { limit: 5, windowMs: 2000 }, globalRequestsPerSecond: 50, rateLimit: { questions: 5, windowSeconds: 60 } });
});
afterAll(async () => {
  await t?.close();
});

describe(`${USERS * QUESTIONS_PER_USER} questions from ${USERS} users in ${guild.channels.length} channels at once`, () => {
  it('answers every one of them, and nothing the bot sends runs into the global limit', async () => {
    const users = Array.from({ length: USERS }, () => makeUser());
    let asked = 0;
    for (let round = 0; round < QUESTIONS_PER_USER; round++) {
      for (const [i, author] of users.entries()) {
        const channel = guild.channels[asked % guild.channels.length]!;
        t.server.sendMessage({ guild_id: guild.id, channel_id: channel.id, author, content: `<@${t.server.botUser.id}> ${QUESTIONS[(i + round) % QUESTIONS.length]}` });
        asked += 1;
      }
    }
    await vi.waitFor(() => expect(t.logLines().filter((l) => l.msg === 'answered')).toHaveLength(asked), { timeout: 60_000, interval: 200 });
    const lines = t.logLines();
    expect(lines.filter((l) => l.msg === 'not answering: reply queue full' || l.msg === 'rate limited')).toEqual([]);
    const replies = t.server.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(asked);
    // discord.js learns each channel's limit from its first replies and keeps to it after; nothing
    // the bot sends runs into the global limit, typing included.
    const refused = t.server.requests.filter((r) => r.status === 429);
    expect(refused.filter((r) => (r.body as { global?: boolean } | undefined)?.global === true || r.path.endsWith('/typing'))).toEqual([]);
    expect(refused.length).toBeLessThanOrEqual(guild.channels.length * 2);
    // "Typing…" at most once per channel while its answers wait behind the channel's limit.
    expect(t.server.requests.filter((r) => r.path.endsWith('/typing')).length).toBeLessThanOrEqual(guild.channels.length);
    expect(lines.some((l) => l.level >= 50)).toBe(false);
  }, 90_000);
});
