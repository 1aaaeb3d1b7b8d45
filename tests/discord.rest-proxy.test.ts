/**
 * One REST budget for several processes: `npm run rest-proxy` in front of the Discord test server,
 * and two bot processes (shards 0 and 1 of 2, as on two machines) pointed at it with
 * DISCORD_API_BASE. Everything they send goes through the proxy, and a global rate limit Discord
 * gives one of them holds back the other's requests too, as Discord counts them together.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dmChannelIdFor, generateGuilds, makeUser, shardOf, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { loggedId, TEST_KEY_SECRET, type LogLine } from './support/bot-harness.ts';
import { freePort } from './support/free-port.ts';
import { scriptEnv, startScript, type Started } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GpRoXy.cmVzdC1wcm94eS10ZXN0LXRva2VuLXNlY3JldC12YWx1ZQ';
const WAIT = { timeout: 15_000, interval: 50 };
const RETRY_AFTER_S = 1;
const SECRET = 'rest-proxy-test-secret-0123456789abcdef';

let server: DiscordTestServer;
let proxy: Started;
let bots: Started[];
const guilds = generateGuilds({ count: 4, channels: 1, roles: 0, emojis: 0 });
const lines = (started: Started) =>
  started.output.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

beforeAll(async () => {
  server = await startDiscordServer({ guilds, maxConcurrency: 2, heartbeatIntervalMs: 5000 });
  const port = await freePort();
  proxy = startScript('dist/rest-proxy.js', scriptEnv({ REST_PROXY_UPSTREAM: server.apiBase, REST_PROXY_PORT: String(port), REST_PROXY_SECRET: SECRET }));
  await vi.waitFor(() => expect(lines(proxy).some((l) => l.msg === 'REST proxy listening')).toBe(true), WAIT);
  // The bots are told only the proxy's address.
  const apiBase = `http://127.0.0.1:${port}/api`;
  bots = ['0', '1'].map((ids) => startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: apiBase, SHARD_COUNT: '2', SHARD_IDS: ids, REST_PROXY_SECRET: SECRET, FEEDBACK_SECRET: TEST_KEY_SECRET })));
  await vi.waitFor(() => expect(bots.map((bot) => lines(bot).some((l) => l.msg === 'ready'))).toEqual([true, true]), WAIT);
}, 30_000);

afterAll(async () => {
  for (const started of [...(bots ?? []), proxy]) started?.child.kill('SIGTERM');
  await Promise.all([...(bots ?? []), proxy].map((started) => started?.exited));
  await server?.close();
});

describe('two bot processes through one REST proxy', () => {
  it('send every request through the proxy, and each answers its own shard', async () => {
    const onShard1 = guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const [dmUser, asker] = [makeUser(), makeUser()];
    const dm = server.sendMessage({ dm: true, author: dmUser, content: 'Co to jest BPO?' });
    server.sendMessage({ guild_id: onShard1.id, channel_id: onShard1.channels[0]!.id, author: asker, content: `<@${server.botUser.id}> What is back office?` });
    await server.waitForRequest({ method: 'POST', path: `/channels/${dm.channel_id}/messages` }, 10_000);
    await server.waitForRequest({ method: 'POST', path: `/channels/${onShard1.channels[0]!.id}/messages` }, 10_000);
    await vi.waitFor(() => {
      expect(lines(bots[0]!).find((l) => l.msg === 'answered' && l.userId === loggedId(dmUser.id))).toMatchObject({ shard: 0, via: 'dm' });
      expect(lines(bots[1]!).find((l) => l.msg === 'answered' && l.userId === loggedId(asker.id))).toMatchObject({ shard: 1, via: 'mention' });
    }, WAIT);
    // Gateway discovery, the application, the replies: all of it came from the proxy's REST client.
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
    expect(server.requests.filter((r) => !r.headers['user-agent']?.includes('bpo-bot REST proxy'))).toEqual([]);
    // Each bot's own token went along with its requests, through the proxy; the proxy's secret did not.
    expect(server.requests.every((r) => r.headers.authorization === `Bot ${TOKEN}`)).toBe(true);
    expect(server.requests.filter((r) => 'x-rest-proxy-secret' in r.headers)).toEqual([]);
  });

  it('share one global limit: after Discord limits one process, the other\'s next request waits for the same reset', async () => {
    const dmUser = makeUser();
    const dmMessages = `/channels/${dmChannelIdFor(dmUser.id)}/messages`;
    server.failNext({ method: 'POST', path: dmMessages, status: 429, body: { retry_after: RETRY_AFTER_S, global: true } });
    server.sendMessage({ dm: true, author: dmUser, content: 'Co to jest BPO?' });
    const limited = await server.waitForRequest((r) => r.path === dmMessages && r.status === 429, 10_000);

    // Shard 1's process knows nothing of that limit; its reply reaches Discord only after the reset.
    const onShard1 = guilds.find((g) => shardOf(g.id, 2) === 1)!;
    const channelMessages = `/channels/${onShard1.channels[0]!.id}/messages`;
    const since = server.requests.length;
    server.sendMessage({ guild_id: onShard1.id, channel_id: onShard1.channels[0]!.id, author: makeUser(), content: `<@${server.botUser.id}> Czym jest front office?` });
    const other = await server.waitForRequest((r) => r.path === channelMessages && server.requests.indexOf(r) >= since, 10_000);
    const retried = await server.waitForRequest((r) => r.path === dmMessages && r.status === 200, 10_000);
    expect(other.status).toBe(200);
    expect(other.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 100);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 100);
    await vi.waitFor(() => expect(lines(proxy).some((l) => l.msg === 'rate limited by Discord; the sender waits, then sends again' && l.global === true)).toBe(true), WAIT);
  });

  it('answers /health itself, and never logs the token or the secret', async () => {
    const address = lines(proxy).find((l) => l.msg === 'REST proxy listening')!;
    const response = await fetch(`http://127.0.0.1:${address.port as number}/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
    for (const started of [proxy, ...bots]) {
      expect(started.output.stderr).not.toContain(TOKEN);
      expect(started.output.stderr).not.toContain(SECRET);
    }
  });
});

describe('the REST proxy as a target', () => {
  const proxyUrl = () => `http://127.0.0.1:${lines(proxy).find((l) => l.msg === 'REST proxy listening')!.port as number}`;

  it('refuses a request without the secret with 401 and closes the connection, and Discord never sees it', async () => {
    const since = server.requests.length;
    for (const headers of [{}, { 'x-rest-proxy-secret': 'wrong' }, { 'x-rest-proxy-secret': `${SECRET}x` }] as Record<string, string>[]) {
      const response = await fetch(`${proxyUrl()}/api/v10/channels/1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"content":"junk"}' });
      expect(response.status).toBe(401);
      expect(response.headers.get('connection')).toBe('close');
    }
    expect(server.requests.slice(since)).toEqual([]);
    await vi.waitFor(() => expect(lines(proxy).filter((l) => l.msg === 'refused a request without the REST proxy secret')).toHaveLength(3), WAIT);
  });

  it('answers 502 when Discord cannot be reached, and stays up', async () => {
    const port = await freePort();
    const cut = startScript('dist/rest-proxy.js', scriptEnv({ REST_PROXY_UPSTREAM: 'http://127.0.0.1:1/api', REST_PROXY_PORT: String(port), REST_PROXY_SECRET: SECRET }));
    try {
      await vi.waitFor(() => expect(lines(cut).some((l) => l.msg === 'REST proxy listening')).toBe(true), WAIT);
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/api/v10/channels/1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bot ${TOKEN}`, 'x-rest-proxy-secret': SECRET },
          body: '{"content":"hello"}',
        });
        expect(response.status).toBe(502);
      }
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect(lines(cut).filter((l) => l.msg === 'could not reach Discord: answered 502')).toHaveLength(2);
      expect(cut.child.exitCode).toBeNull();
    } finally {
      cut.child.kill('SIGTERM');
      await cut.exited;
    }
    expect(cut.output.stderr).not.toContain('write after end');
    expect(cut.output.stderr).not.toContain(TOKEN);
  });

  it('will not start without a secret, and says how to make one', async () => {
    const result = await startScript('dist/rest-proxy.js', scriptEnv({ REST_PROXY_PORT: String(await freePort()) })).exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('REST_PROXY_SECRET');
    expect(result.stderr).toContain('openssl rand -hex 32');
  });
});
