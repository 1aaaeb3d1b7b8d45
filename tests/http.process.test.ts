/**
 * `npm run start:http` as a process: it needs DISCORD_PUBLIC_KEY, answers signed requests, and on
 * SIGTERM stops accepting, finishes the request in flight and exits 0 within 5 seconds.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHUTDOWN_DEADLINE_MS } from '../src/cli/shutdown.ts';
import { makeChatInputInteraction, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { freePort } from './support/free-port.ts';
import { makeSigningKeys, post, signatureHeaders } from './support/http-interactions.ts';
import { runScript, scriptEnv, startScript } from './support/run-script.ts';

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await startDiscordServer();
});
afterAll(async () => {
  await discord.close();
});

describe('npm run start:http', () => {
  it('without DISCORD_PUBLIC_KEY stops with one sentence naming it', async () => {
    const result = await runScript('dist/http/main.js', scriptEnv({}));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^DISCORD_PUBLIC_KEY is not set: [^\n]+\.\n$/);
  });

  it('answers signed interactions; on SIGTERM finishes the request in flight, refuses new connections and exits 0 within 5 s', async () => {
    const keys = makeSigningKeys();
    const port = await freePort();
    const { child, output, exited } = startScript(
      'dist/http/main.js',
      scriptEnv({ DISCORD_API_BASE: discord.apiBase, DISCORD_PUBLIC_KEY: keys.publicKeyHex, PORT: String(port), HOST: '127.0.0.1' }),
    );
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('listening for interactions'), { timeout: 15_000, interval: 50 });
      const endpoint = `http://127.0.0.1:${port}/interactions`;
      const body = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' }));
      const answered = await post(endpoint, body, signatureHeaders(keys, body));
      expect(answered.status).toBe(200);
      expect(answered.json()).toMatchObject({ type: 4, data: { embeds: [{ title: 'Czym jest BPO?' }] } });

      // A request in flight: its headers are in, half of its body is still to come.
      const inFlight = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest back office?' }, locale: 'pl' });
      const slowBody = JSON.stringify(inFlight);
      const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(endpoint, { method: 'POST', headers: { ...signatureHeaders(keys, slowBody), 'content-type': 'application/json', 'content-length': Buffer.byteLength(slowBody) }, agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(slowBody.slice(0, 100));
        setTimeout(() => req.end(slowBody.slice(100)), 700);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const signalledAt = performance.now();
      child.kill('SIGTERM');
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"stopping"'), { timeout: 5000, interval: 20 });
      await expect(post(`http://127.0.0.1:${port}/health`, '', {}, 'GET')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      const late = await reply;
      expect(late.status).toBe(200);
      expect(JSON.parse(late.text)).toMatchObject({ type: 4, data: { embeds: [{ title: 'Czym jest back-office?' }] } });
      const result = await exited;
      expect(result.code).toBe(0);
      expect(performance.now() - signalledAt).toBeLessThan(SHUTDOWN_DEADLINE_MS);
      expect(result.stderr.trim().split('\n').at(-1)).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
