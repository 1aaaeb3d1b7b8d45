/**
 * The question limit shared through a real Redis server (Debian's redis-server, started here): two
 * HTTP replicas and a gateway bot count one user's questions together; when Redis goes away the
 * bot keeps answering (fail-open, logged once), and when it comes back the limit is shared again.
 */
import { MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { loggedId, startTestBot, type TestBot } from './support/bot-harness.ts';
import { makeChatInputInteraction, makeUser, type DiscordTestServer } from './support/discord-server/index.ts';
import { startHttpBot, type TestHttpBot } from './support/http-harness.ts';
import { deliver, makeSigningKeys } from './support/http-interactions.ts';
import { startRedis, type TestRedis } from './support/redis-server.ts';

const settings = loadConfig({}).rateLimit;
const NOTICE_PL = /^Zadajesz pytania zbyt szybko\. Możesz zapytać ponownie za \d+ s\.$/;

let redis: TestRedis;
let gateway: TestBot;
let replicas: [TestHttpBot, TestHttpBot];
let discord: DiscordTestServer;

beforeAll(async () => {
  redis = await startRedis();
  gateway = await startTestBot({ rateLimit: settings, redisUrl: redis.url });
  discord = gateway.server;
  const keys = makeSigningKeys();
  replicas = [
    await startHttpBot({ rateLimit: settings, redisUrl: redis.url, discord, keys }),
    await startHttpBot({ rateLimit: settings, redisUrl: redis.url, discord, keys }),
  ];
});
afterAll(async () => {
  for (const replica of replicas ?? []) await replica?.close();
  await gateway?.close();
  await redis?.stop();
});

interface Data {
  content?: string;
  flags?: number;
  embeds?: { title?: string }[];
}

/** Asks /zapytaj through one replica; returns the response's data. */
async function ask(replica: TestHttpBot, interaction: APIInteraction): Promise<Data> {
  const delivered = await deliver(discord, replica.endpoint, replica.keys, interaction);
  expect(delivered.http.status).toBe(200);
  return delivered.body!.data as Data;
}
const slash = (user = makeUser()) => makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl', user });
const answered = (data: Data) => data.embeds?.[0]?.title === 'Czym jest BPO?';
const allLogs = () => [...replicas.flatMap((r) => r.logLines()), ...gateway.logLines()];

describe('the question limit through Redis', () => {
  it('is shared by two HTTP replicas and the gateway: 5 questions in all, wherever they were asked', async () => {
    const user = makeUser();
    for (const replica of [replicas[0], replicas[1], replicas[0]]) expect(answered(await ask(replica, slash(user)))).toBe(true);
    for (let i = 0; i < 2; i++) {
      const since = discord.requests.length;
      const dm = discord.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });
      const reply = await gateway.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages`);
      // An answer, not the notice (asked again in the DM, it is read in the light of the first answer, which may add a part).
      expect((reply.body as Data).embeds?.[0]?.title).toMatch(/^Czym jest BPO\?/);
    }
    // The sixth, on either replica: the private notice.
    for (const replica of replicas) {
      const notice = await ask(replica, slash(user));
      expect(notice.flags).toBe(MessageFlags.Ephemeral);
      expect(notice.content).toMatch(NOTICE_PL);
    }
    // The window's first refusal was on a replica: a DM to the gateway now gets silence, as in one process.
    const since = discord.requests.length;
    const dm = discord.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });
    const control = discord.sendMessage({ dm: true, author: makeUser(), content: 'Co to jest BPO?' });
    await gateway.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${control.channel_id}/messages`);
    expect(discord.requests.slice(since).filter((r) => r.path.startsWith(`/channels/${dm.channel_id}/`))).toEqual([]);
    await vi.waitFor(() => expect(allLogs().filter((l) => l.msg === 'rate limited' && l.userId === loggedId(user.id)).map((l) => l.via)).toEqual(['slash', 'slash', 'dm']));
  });

  it('stores no raw user id in Redis', async () => {
    const user = makeUser();
    await ask(replicas[0], slash(user));
    const keys = await redisKeys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith('bpo-bot:'))).toBe(true);
    expect(keys.join(' ')).not.toContain(user.id);
  });

  it('fails open when Redis stops: questions are still answered, the outage is logged once; it is shared again once Redis is back', async () => {
    await redis.stop();
    // Each process now counts on its own: a user still gets 5 per replica, and every question is answered meanwhile.
    for (let i = 0; i < 4; i++) {
      for (const replica of replicas) expect(answered(await ask(replica, slash()))).toBe(true);
    }
    const outage = () => allLogs().filter((l) => l.msg.startsWith('Redis unreachable'));
    // One line per process that saw the outage (here: the two replicas), not one per question.
    expect(outage()).toHaveLength(2);
    expect(outage()[0]).toMatchObject({ level: 40, redis: redis.url });
    expect(allLogs().filter((l) => l.level >= 50)).toEqual([]);

    await redis.start();
    // ioredis reconnects within 2 s; the next question Redis counts ends the outage.
    await vi.waitFor(
      async () => {
        for (const replica of replicas) await ask(replica, slash());
        expect(replicas.every((replica) => replica.logLines().some((l) => l.msg.startsWith('Redis reachable again')))).toBe(true);
      },
      { timeout: 10_000, interval: 250 },
    );
    const user = makeUser();
    for (let i = 0; i < settings.questions; i++) expect(answered(await ask(replicas[i % 2]!, slash(user)))).toBe(true);
    expect((await ask(replicas[1], slash(user))).content).toMatch(NOTICE_PL);
  }, 30_000);
});

async function redisKeys(): Promise<string[]> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  try {
    return await client.keys('*');
  } finally {
    client.disconnect();
  }
}
