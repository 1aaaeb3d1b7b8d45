/**
 * `npm start` and `npm run invite` as processes: configuration errors, the no-token modes, and
 * the real start-up path from the environment to answering a DM on the Discord test server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { NODE, runScript, scriptEnv, startCommand, startScript } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GsTaRt.bWFpbi10ZXN0LXRva2VuLW5vdC1hLXJlYWwtb25l';
const WAIT = { timeout: 10_000, interval: 50 };

let server: DiscordTestServer;

beforeAll(async () => {
  server = await startDiscordServer();
});
afterAll(async () => {
  await server.close();
});

describe('npm start', () => {
  it('connects with DISCORD_TOKEN, answers a DM, logs JSON to stderr without the token, and stops on SIGTERM', async () => {
    const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase }));
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"ready"'), WAIT);
      const user = makeUser();
      const sent = server.sendMessage({ dm: true, author: user, content: 'Co to jest BPO?' });
      const reply = await server.waitForRequest({ method: 'POST', path: `/channels/${sent.channel_id}/messages` }, 5000);
      expect(reply.status).toBe(200);
      expect((reply.body as { embeds: { title: string }[] }).embeds[0]!.title).toBe('Czym jest BPO?');
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"answered"'), WAIT);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['starting', 'ready', 'answered', 'stopping']));
    expect(result.stderr).not.toContain(TOKEN);
    expect(server.identifies.at(-1)).toMatchObject({ token: TOKEN });
  });

  // `script` (util-linux) gives the process a real pseudo-terminal, as a person's shell would.
  it('without a token in a terminal, says how to connect and answers in the prompt', async () => {
    const env = scriptEnv({});
    const { child, output, exited } = startCommand('script', ['-qec', `${NODE} dist/main.js`, '/dev/null'], env);
    // Type as a person would: after the prompt shows, and leave only after the answer is on screen
    // (ending the input early can hang up the terminal before the program has read it).
    await until(() => output.stdout.includes('? '));
    child.stdin!.write('Co to jest BPO?\n');
    await until(() => output.stdout.includes('według: Wikipedia'));
    child.stdin!.end('exit\n');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Running in the terminal. To connect to Discord, set DISCORD_TOKEN in .env (see README.md).');
    expect(result.stdout).toContain('Czym jest BPO?');
    expect(result.stdout).toContain('według: Wikipedia');
  });

  it('without a token and without a terminal, exits non-zero and says how to connect', async () => {
    const result = await runScript('dist/main.js', scriptEnv({}));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^DISCORD_TOKEN is not set and there is no terminal to chat in: set DISCORD_TOKEN in \.env .*\.\n$/);
  });

  it('stops on an invalid setting with one sentence naming it, no stack trace', async () => {
    const result = await runScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'loud' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^LOG_LEVEL must be one of [^\n]+\.\n$/);
  });

  it('explains a token Discord rejects, without echoing it', async () => {
    server.failNext({ method: 'GET', path: '/gateway/bot', status: 401, body: { message: '401: Unauthorized', code: 0 } });
    const result = await runScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Discord rejected DISCORD_TOKEN: reset the token [^\n]+\.\n$/);
    expect(result.stderr).not.toContain(TOKEN);
  });
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the terminal output');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('npm run invite', () => {
  it('prints the invite URL alone on stdout', async () => {
    const result = await runScript('dist/cli/invite.js', scriptEnv({ DISCORD_CLIENT_ID: '1100000000000000001' }));
    expect(result).toEqual({
      code: 0,
      stdout: 'https://discord.com/oauth2/authorize?client_id=1100000000000000001&permissions=274877991936&integration_type=0&scope=bot+applications.commands\n',
      stderr: '',
    });
  });

  it('says which variable to set when the client id is missing', async () => {
    const result = await runScript('dist/cli/invite.js', scriptEnv({}));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^DISCORD_CLIENT_ID is not set: [^\n]+\n$/);
  });
});
