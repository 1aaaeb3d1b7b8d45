/**
 * Live reload in the running bot: `npm start` (compiled, as a real process) connected to the
 * Discord test server, answering DMs from a copy of the knowledge base that the test edits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_KNOWLEDGE_FILE } from '../src/knowledge/load.ts';
import { dmChannelIdFor, makeUser, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { copyKnowledge, copySmallKnowledge } from './support/knowledge-copy.ts';
import { runScript, scriptEnv, startScript, type Started } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GlIvE0.bGl2ZS1yZWxvYWQtdGVzdC10b2tlbi12YWx1ZQ';
const WAIT = { timeout: 15_000, interval: 25 };
const shipped = readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8');
const oldAnswer = (JSON.parse(shipped).entries as { id: string; answer: { pl: string } }[]).find((e) => e.id === 'back-office')!.answer.pl;
const withAnswer = (text: string) => shipped.replace(JSON.stringify(oldAnswer), JSON.stringify(text));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

/** The bot on a copy of the shipped knowledge base, or (`small`) of a smaller corpus that retrains in seconds. */
async function startBotProcess(small = false): Promise<{ server: DiscordTestServer; started: Started; file: string }> {
  const { file } = small ? copySmallKnowledge('kb-live-bot-') : copyKnowledge('kb-live-bot-');
  const server = await startDiscordServer();
  const started = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase, KNOWLEDGE_FILE: file }));
  cleanups.push(async () => {
    started.child.kill('SIGKILL');
    await server.close();
  });
  await vi.waitFor(() => expect(started.output.stderr).toContain('"msg":"ready"'), WAIT);
  return { server, started, file };
}

/** Sends a DM and returns the text of the bot's reply to it. */
async function ask(server: DiscordTestServer, question: string): Promise<string> {
  const user = makeUser();
  server.sendMessage({ dm: true, author: user, content: question });
  const reply = await server.waitForRequest({ method: 'POST', path: `/channels/${dmChannelIdFor(user.id)}/messages` });
  return JSON.stringify(reply.body);
}

describe('npm start with a knowledge file edited while it runs', () => {
  it('answers from the new version after a valid edit, and from the last good one after a broken edit', async () => {
    const { server, started, file } = await startBotProcess();
    expect(await ask(server, 'Co to jest back office?')).toContain(JSON.stringify(oldAnswer).slice(1, -1));

    writeFileSync(file, withAnswer('Odpowiedź zmieniona w czasie pracy bota.'));
    await vi.waitFor(() => expect(started.output.stderr).toContain('"msg":"knowledge reloaded"'), WAIT);
    expect(await ask(server, 'Co to jest back office?')).toContain('Odpowiedź zmieniona w czasie pracy bota.');

    writeFileSync(file, withAnswer('Zepsute').replace('"quote":', '"quot":'));
    await vi.waitFor(() => expect(started.output.stderr).toMatch(/"level":50,.*"msg":"knowledge file changed but cannot be used \(.*field \\"quote\\"/), WAIT);
    expect(await ask(server, 'Co to jest back office?')).toContain('Odpowiedź zmieniona w czasie pracy bota.');
    expect(started.child.exitCode).toBeNull();
  });

  it('learns a question accepted with kb:learn while it runs: it retrains in a worker and then answers it', async () => {
    const { server, started, file } = await startBotProcess(true);
    const QUESTION = 'kolcentrowka';
    expect(await ask(server, QUESTION)).not.toContain('Call center jako przykład BPO');
    const learned = await runScript('dist/cli/kb-learn.js', scriptEnv({}), { args: ['--file', file, '--entry', 'call-centers', '--lang', 'pl', '--no-train', '--question', QUESTION] });
    expect(learned.code).toBe(0);
    await vi.waitFor(() => expect(started.output.stderr).toContain('Training the reader'), WAIT);
    await vi.waitFor(() => expect(started.output.stderr).toContain('"msg":"knowledge reloaded"'), { timeout: 360_000, interval: 100 });
    expect(await ask(server, QUESTION)).toContain('Call center jako przykład BPO');
    expect(started.child.exitCode).toBeNull();
  }, 400_000);
});
