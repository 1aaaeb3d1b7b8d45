/**
 * After start-up, a gateway close that discord.js will not recover from (4004: the token was reset
 * while the bot ran) must not leave a process that looks alive but answers nothing: the bot reports
 * it, and `npm start` exits with one sentence so a process manager restarts it.
 * Also: no DM channel is kept in memory, however many people write, and DMs are still answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser } from './support/discord-server/index.ts';
import { startDiscordServer } from './support/discord-server/index.ts';
import { startTestBot, type TestBot } from './support/bot-harness.ts';
import { scriptEnv, startScript } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GlOsT0.Z2F0ZXdheS1sb3N0LXRlc3QtdG9rZW4tc2VjcmV0';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the gateway closed for good after start-up', () => {
  it('is reported to the caller with its close code and logged as an error', async () => {
    const lost: number[] = [];
    t = await startTestBot({ onGatewayLost: (code) => lost.push(code) });
    t.server.closeGateway(4004);
    await expect.poll(() => lost).toEqual([4004]);
    expect(t.logLines().find((line) => line.msg === 'gateway disconnected for good')).toMatchObject({ level: 50, code: 4004 });
  });

  it('a recoverable close (4000) is not reported: the bot resumes', async () => {
    const lost: number[] = [];
    t = await startTestBot({ onGatewayLost: (code) => lost.push(code) });
    t.server.closeGateway(4000);
    await expect.poll(() => t!.logLines().some((line) => line.msg === 'gateway session resumed')).toBe(true);
    expect(lost).toEqual([]);
  });

  it('npm start exits 1 with one sentence saying to reset the token', async () => {
    const server = await startDiscordServer();
    try {
      const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase }));
      child.stdin!.end();
      await expect.poll(() => output.stderr.includes('"msg":"ready"'), { timeout: 20_000 }).toBe(true);
      server.closeGateway(4004);
      const result = await exited;
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/^Discord rejected DISCORD_TOKEN: reset the token .*\.$/);
      expect(result.stderr).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});

describe('DM channels', () => {
  it('are not cached, however many people write, and every DM is answered', async () => {
    t = await startTestBot();
    for (let i = 0; i < 3; i++) {
      const since = t.server.requests.length;
      const dm = t.server.sendMessage({ dm: true, author: makeUser(), content: i === 2 ? 'What is back office?' : 'Co to jest BPO?' });
      const reply = await t.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages`);
      if (i === 2) expect((reply.body as { embeds: { title: string }[] }).embeds[0]!.title).toBe('What is back-office?');
    }
  });
});
