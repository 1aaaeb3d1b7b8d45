/**
 * Feedback storage as the entry points set it up: `npm start` and `npm run start:http` with
 * FEEDBACK_DB create and migrate the database at start-up, put 👍/👎 under their answers, store the
 * questions, and write what is queued before they exit on SIGTERM.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeChatInputInteraction, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { freePort } from './support/free-port.ts';
import { makeSigningKeys, post, signatureHeaders } from './support/http-interactions.ts';
import { scriptEnv, startScript } from './support/run-script.ts';
import { readRows } from './support/feedback-db.ts';
import Database from 'better-sqlite3';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfEeDb.ZmVlZGJhY2stdGVzdC10b2tlbi1ub3QtcmVhbA';
const WAIT = { timeout: 15_000, interval: 50 };

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await startDiscordServer();
});
afterAll(async () => {
  await discord.close();
});

function questions(path: string): { via: string; kind: string; entry_id: string | null; question: string }[] {
  return readRows(path, 'SELECT via, kind, entry_id, question FROM questions ORDER BY id');
}

const voteRow = (data: { components?: { components: { custom_id: string }[] }[] }) =>
  data.components?.find((row) => row.components.some((button) => button.custom_id.startsWith('vote:')));

describe('feedback storage in the entry points', () => {
  it('npm start: creates the database and its key, answers with 👍/👎, stores the question, and has written it when it stops', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fb-start-')), 'feedback.db');
    const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase, FEEDBACK_DB: path }));
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"ready"'), WAIT);
      const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest back-office?' }, locale: 'pl' });
      discord.sendInteraction(interaction);
      const callback = await discord.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
      expect(voteRow((callback.body as { data: Parameters<typeof voteRow>[0] }).data)).toBeDefined();
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"answered"'), WAIT);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    // Only supported configurations: not one warning from Node or a library on the way.
    expect(output.stderr).not.toMatch(/Warning|"msg":"process warning"/);
    expect(questions(path)).toEqual([{ via: 'slash', kind: 'answer', entry_id: 'back-office', question: 'Co to jest back-office?' }]);
    // The generated key users are hashed with is readable by its owner alone.
    expect(statSync(`${path}.secret`).mode & 0o777).toBe(0o600);
  });

  it('npm run start:http: answers with 👍/👎 in the HTTP response and stores the question', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fb-http-')), 'feedback.db');
    const keys = makeSigningKeys();
    const port = await freePort();
    const { child, output, exited } = startScript(
      'dist/http/main.js',
      scriptEnv({ DISCORD_API_BASE: discord.apiBase, DISCORD_PUBLIC_KEY: keys.publicKeyHex, PORT: String(port), HOST: '127.0.0.1', FEEDBACK_DB: path }),
    );
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('listening for interactions'), WAIT);
      const body = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest front-office?' }, locale: 'pl' }));
      const answered = await post(`http://127.0.0.1:${port}/interactions`, body, signatureHeaders(keys, body));
      expect(answered.status).toBe(200);
      expect(voteRow((answered.json() as { data: Parameters<typeof voteRow>[0] }).data)).toBeDefined();
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    expect(questions(path)).toEqual([{ via: 'slash', kind: 'answer', entry_id: 'front-office', question: 'Czym jest front-office?' }]);
  });

  it('a database that cannot be opened: the bot answers all the same, with feedback off and one error line saying why', async () => {
    const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase, FEEDBACK_DB: '/proc/feedback.db' }));
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"ready"'), WAIT);
      const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest back-office?' }, locale: 'pl' });
      discord.sendInteraction(interaction);
      const callback = await discord.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
      // Answered, without 👍/👎: there is nowhere to keep the votes.
      expect((callback.body as { data: { embeds: unknown[] } }).data.embeds).toHaveLength(1);
      expect(voteRow((callback.body as { data: Parameters<typeof voteRow>[0] }).data)).toBeUndefined();
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    const lines = logLines(output.stderr);
    const off = lines.filter((l) => l.level === 50);
    expect(off).toHaveLength(1);
    expect(off[0]!.msg).toMatch(/^feedback is off until a restart: The feedback database \/proc\/feedback\.db cannot be opened .*: check that the file and its folder are writable by this user, or set FEEDBACK_DB=off\.$/);
    expect(lines.find((l) => l.msg === 'starting')!.feedback).toBe('off');
    expect(output.stderr).not.toContain(TOKEN);
  });

  it('a database another process holds at start-up is waited for, then used', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fb-busy-')), 'feedback.db');
    // Another process in the middle of a long write: no one else may open the database until it ends.
    const holder = new Database(path);
    holder.pragma('journal_mode = DELETE');
    holder.exec('CREATE TABLE held (x); BEGIN EXCLUSIVE; INSERT INTO held VALUES (1);');
    const { child, output, exited } = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase, FEEDBACK_DB: path }));
    try {
      await vi.waitFor(() => expect(output.stderr).toContain('feedback: the database is busy; trying again'), WAIT);
      expect(output.stderr).not.toContain('"msg":"ready"');
      holder.exec('COMMIT');
      holder.close();
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"ready"'), WAIT);
      const interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Czym jest front-office?' }, locale: 'pl' });
      discord.sendInteraction(interaction);
      await vi.waitFor(() => expect(output.stderr).toContain('"msg":"answered"'), WAIT);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    expect(logLines(output.stderr).find((l) => l.msg === 'starting')!.feedback).toBe(path);
    expect(questions(path)).toEqual([{ via: 'slash', kind: 'answer', entry_id: 'front-office', question: 'Czym jest front-office?' }]);
  });
});

function logLines(stderr: string): { level: number; msg: string; feedback?: string }[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; feedback?: string });
}
