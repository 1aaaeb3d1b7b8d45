/**
 * `npm run start:sharded` as real processes against the Discord test server with shards: which
 * shards start, that each answers its own servers (DMs on shard 0), that identifies keep to
 * max_concurrency (paced by the manager on one machine, through Redis across machines), and how the
 * manager stops and fails.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeChatInputInteraction, generateGuilds, makeUser, shardOf, startDiscordServer, type DiscordServerOptions, type DiscordTestServer } from './support/discord-server/index.ts';
import { type LogLine } from './support/bot-harness.ts';
import { startRedis, type TestRedis } from './support/redis-server.ts';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NODE, scriptEnv, startCommand, startScript, type Started } from './support/run-script.ts';
import { readRows } from './support/feedback-db.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GsHaRd.c2hhcmRpbmctdGVzdC10b2tlbi1zZWNyZXQtdmFsdWU';
/** Discord's 5 s identify window, less the few milliseconds an IDENTIFY takes to travel. */
const IDENTIFY_INTERVAL_MS = 4800;
const WAIT = { timeout: 20_000, interval: 50 };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function serve(options: DiscordServerOptions): Promise<DiscordTestServer> {
  const server = await startDiscordServer({ heartbeatIntervalMs: 5000, ...options });
  cleanups.push(() => server.close());
  return server;
}

function startSharded(server: DiscordTestServer, vars: Parameters<typeof scriptEnv>[0] = {}, nodeFlags: string[] = []): Started & { lines: () => LogLine[] } {
  const env = scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase, ...vars });
  const started = nodeFlags.length ? startCommand(NODE, [...nodeFlags, 'dist/sharded.js'], env) : startScript('dist/sharded.js', env);
  cleanups.push(async () => {
    started.child.kill('SIGKILL');
    await started.exited;
  });
  const lines = () =>
    started.output.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { ...started, lines };
}

const allReady = (run: { lines: () => LogLine[] }) => vi.waitFor(() => expect(run.lines().some((l) => l.msg === 'all shards ready')).toBe(true), WAIT);
const mention = (server: DiscordTestServer) => `<@${server.botUser.id}> Co to jest BPO?`;

describe.concurrent('npm run start:sharded', () => {
  it('with Discord recommending 2 shards: two shard processes, identifies 5 s apart, a server on shard 1 and DMs on shard 0 answered, slash commands on every shard, all stored in one feedback database; SIGTERM stops all', async () => {
    const guilds = generateGuilds({ count: 6, channels: 1, roles: 0, emojis: 0 });
    const server = await serve({ guilds, recommendedShards: 2, maxConcurrency: 1, identifyIntervalMs: IDENTIFY_INTERVAL_MS });
    const feedbackDb = join(mkdtempSync(join(tmpdir(), 'sharded-feedback-')), 'feedback.db');
    const run = startSharded(server, { FEEDBACK_DB: feedbackDb });
    await allReady(run);
    expect(run.lines().find((l) => l.msg === 'starting shards')).toMatchObject({ shardCount: 2, countFrom: 'Discord', shards: [0, 1], identify: 'paced by this manager' });
    expect(server.liveShards()).toEqual([0, 1]);
    expect(server.identifyLog.map((entry) => entry.shard)).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    expect(server.identifyRateViolations).toBe(0);

    const onShard1 = guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const [asker, dmUser, slashUser] = [makeUser(), makeUser(), makeUser()];
    server.sendMessage({ guild_id: onShard1.id, channel_id: onShard1.channels[0]!.id, author: asker, content: mention(server) });
    const dm = server.sendMessage({ dm: true, author: dmUser, content: 'What is back office?' });
    const slash = server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, user: slashUser, guildId: onShard1.id, channelId: onShard1.channels[0]!.id, locale: 'pl' }));
    await server.waitForRequest({ method: 'POST', path: `/channels/${onShard1.channels[0]!.id}/messages` }, 10_000);
    await server.waitForRequest({ method: 'POST', path: `/channels/${dm.channel_id}/messages` }, 10_000);
    await server.waitForRequest({ method: 'POST', path: `/interactions/${slash.id}/${slash.token}/callback` }, 10_000);
    await vi.waitFor(() => {
      // One question came each way. Every line of a shard process carries its shard; with no
      // FEEDBACK_SECRET each process hashes ids in its log under its own key, never raw.
      const answered = (via: string) => run.lines().filter((l) => l.msg === 'answered' && l.via === via);
      expect(answered('mention')).toEqual([expect.objectContaining({ shard: 1, userId: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
      expect(answered('dm')).toEqual([expect.objectContaining({ shard: 0, userId: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
      expect(answered('slash')).toEqual([expect.objectContaining({ shard: 1, userId: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
      expect(run.output.stderr).not.toContain(asker.id);
    }, WAIT);

    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code).toBe(0);
    const stopped = run.lines().filter((l) => l.msg === 'stopped');
    expect(stopped.map((l) => l.shard ?? l.process).sort()).toEqual([0, 1, 'shard manager']);
    expect(result.stderr).not.toContain(TOKEN);

    // Both shard processes wrote to the one database, hashing users with the one key.
    expect(readRows(feedbackDb, 'SELECT via, question FROM questions ORDER BY via')).toEqual([
      { via: 'dm', question: 'What is back office?' },
      { via: 'mention', question: 'Co to jest BPO?' },
      { via: 'slash', question: 'Co to jest BPO?' },
    ]);
    expect(readdirSync(dirname(feedbackDb)).filter((name) => name.endsWith('.secret'))).toEqual(['feedback.db.secret']);
  });

  it('with SHARD_COUNT=4 and SHARD_IDS=1,3: only this machine\'s share of the shards, each told the total and run with the manager\'s node flags', async () => {
    const server = await serve({ guilds: generateGuilds({ count: 8, channels: 1, roles: 0, emojis: 0 }), maxConcurrency: 4, identifyIntervalMs: IDENTIFY_INTERVAL_MS });
    const flags = ['--max-semi-space-size=1', '--v8-pool-size=1'];
    const run = startSharded(server, { SHARD_COUNT: '4', SHARD_IDS: '1,3' }, flags);
    await allReady(run);
    for (const started of run.lines().filter((l) => l.msg === 'shard process started')) {
      const command = readFileSync(`/proc/${started.pid as number}/cmdline`, 'utf8').split('\0');
      expect(command.slice(1, 3)).toEqual(flags);
    }
    expect(run.lines().find((l) => l.msg === 'starting shards')).toMatchObject({ shardCount: 4, countFrom: 'SHARD_COUNT', shards: [1, 3] });
    expect(server.identifyLog.map((entry) => entry.shard).sort()).toEqual([
      [1, 4],
      [3, 4],
    ]);
    expect(server.liveShards()).toEqual([1, 3]);
    // No shard 0 here: this process serves no DMs. Each shard says so once it is up, which can reach
    // the manager's output a moment after the manager's own "all shards ready".
    await vi.waitFor(
      () => expect(run.lines().filter((l) => l.msg.startsWith('serving')).map((l) => (l.serves as string[]).includes('direct messages'))).toEqual([false, false]),
      WAIT,
    );
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('a shard that cannot start (a rejected token) stops every shard, with one sentence and exit code 1', async () => {
    const server = await serve({ guilds: generateGuilds({ count: 2, channels: 1, roles: 0, emojis: 0 }), recommendedShards: 2, maxConcurrency: 2 });
    // The first shard to identify is told its token is invalid, as Discord does after a token reset.
    server.refuseNextIdentify(4004);
    const run = startSharded(server);
    const result = await run.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^A shard process stopped before it was ready .*: fix what it names and start again\.$/);
    expect(result.stderr).not.toContain(TOKEN);
  });
});

describe('two machines, one Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
    cleanups.push(() => redis.stop());
  });

  it('take turns to identify through Redis: shards 0 and 1 of 2, in one bucket, start 5 s apart with no invalid session', async () => {
    const server = await serve({ guilds: generateGuilds({ count: 4, channels: 1, roles: 0, emojis: 0 }), maxConcurrency: 1, identifyIntervalMs: IDENTIFY_INTERVAL_MS });
    const machines = ['0', '1'].map((ids) => startSharded(server, { SHARD_COUNT: '2', SHARD_IDS: ids, REDIS_URL: redis.url, FEEDBACK_SECRET: 'sharding-test-key-0123456789abcdef' }));
    await Promise.all(machines.map(allReady));
    for (const machine of machines) expect(machine.lines().find((l) => l.msg === 'starting shards')).toMatchObject({ identify: 'paced through Redis' });
    expect(server.identifyRateViolations).toBe(0);
    const [first, second] = server.identifyLog;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(IDENTIFY_INTERVAL_MS);
    expect(server.liveShards()).toEqual([0, 1]);
    for (const machine of machines) machine.child.kill('SIGTERM');
    expect((await Promise.all(machines.map((machine) => machine.exited))).map((result) => result.code)).toEqual([0, 0]);
  }, 30_000);

  it('without Redis the same two machines identify at once, and Discord refuses one (what the shared pacing prevents)', async () => {
    const server = await serve({ guilds: generateGuilds({ count: 4, channels: 1, roles: 0, emojis: 0 }), maxConcurrency: 1, identifyIntervalMs: IDENTIFY_INTERVAL_MS });
    const machines = ['0', '1'].map((ids) => startSharded(server, { SHARD_COUNT: '2', SHARD_IDS: ids }));
    await vi.waitFor(() => expect(server.identifyRateViolations).toBeGreaterThan(0), WAIT);
    for (const machine of machines) machine.child.kill('SIGTERM');
    await Promise.all(machines.map((machine) => machine.exited));
  }, 30_000);
});
