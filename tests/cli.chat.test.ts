/**
 * The terminal chat as a newcomer meets it: `npm start` without a token, in a real terminal (a
 * pseudo-terminal from util-linux's `script`), several questions pasted at once, then the report
 * of what was asked there, with no Discord at all.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { NODE, runScript, scriptEnv } from './support/run-script.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WAIT = { timeout: 20_000, interval: 50 };

/** `node dist/main.js` in a pseudo-terminal: what it prints, and a way to type into it. */
function startInTerminal(env: NodeJS.ProcessEnv) {
  const child = spawn('script', ['-qfec', `${NODE} ${ROOT}dist/main.js`, '/dev/null'], { cwd: ROOT, env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { text: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output, exited };
}

const count = (text: string, title: string) => text.split(title).length - 1;

describe('npm start without a token, in a terminal', () => {
  it('answers three questions pasted at once, in order, then stores them for the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-'));
    const env = scriptEnv({ FEEDBACK_DB: join(dir, 'feedback.db'), FEEDBACK_SECRET: 'c'.repeat(64) });
    const chat = startInTerminal(env);
    await vi.waitFor(() => expect(chat.output.text).toContain('Zapytaj o BPO'), WAIT);
    chat.child.stdin.write('Co to jest BPO?\nCzym jest back office?\nWhat is front office?\n');
    await vi.waitFor(() => {
      expect(count(chat.output.text, 'Czym jest BPO?')).toBeGreaterThanOrEqual(1);
      expect(count(chat.output.text, 'Czym jest back-office?')).toBeGreaterThanOrEqual(1);
      expect(count(chat.output.text, 'What is front-office?')).toBeGreaterThanOrEqual(1);
    }, WAIT);
    const order = ['Czym jest BPO?', 'Czym jest back-office?', 'What is front-office?'].map((title) => chat.output.text.lastIndexOf(title));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // A line ending in a backslash goes on on the next: one question, one answer.
    chat.child.stdin.write('Czym różni się back office \\\nod front office?\n');
    await vi.waitFor(() => expect(chat.output.text).toContain('Back-office a front-office'), WAIT);
    chat.child.stdin.write('exit\n');
    expect(await chat.exited).toBe(0);

    const report = await runScript('dist/cli/report.js', env, { args: ['--json'] });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(json.totals).toMatchObject({ questions: 4, answered: 4, askers: 1 });
    expect(json.rates.byVia).toEqual([expect.objectContaining({ key: 'terminal', questions: 4 })]);
  }, 60_000);

  it('says how to ask here for "help" and for a greeting, not how to ask on Discord, and thanks back for thanks', async () => {
    const chat = startInTerminal(scriptEnv({}));
    await vi.waitFor(() => expect(chat.output.text).toContain('Zapytaj o BPO'), WAIT);
    chat.child.stdin.write('pomoc\nCześć!\ndzięki!\nexit\n');
    expect(await chat.exited).toBe(0);
    expect(count(chat.output.text, 'jedno w wierszu')).toBe(2);
    expect(count(chat.output.text, 'Nie ma za co!')).toBe(1);
    expect(chat.output.text).not.toContain('/zapytaj');
  }, 60_000);
});
