import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { copyKnowledge } from './support/knowledge-copy.ts';
import { NODE, runScript, scriptEnv, startCommand, startScript } from './support/run-script.ts';

const ASK = fileURLToPath(new URL('../dist/cli/ask.js', import.meta.url));

async function ask(args: string[], input?: string) {
  const { child, exited } = startCommand(NODE, [ASK, ...args], scriptEnv({}));
  child.stdin!.end(input ?? '');
  return exited;
}

describe('npm run ask', () => {
  it('prints one JSON object with the documented fields for a question', async () => {
    const result = await ask(['--json', 'Co to jest BPO?']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(Object.keys(json)).toEqual(['question', 'found', 'lang', 'id', 'title', 'answer', 'score', 'source', 'related', 'suggestions']);
    expect(json).toMatchObject({ question: 'Co to jest BPO?', found: true, lang: 'pl', id: 'bpo-definition' });
    expect(json.source.title).toBe('BPO (ang. Business Process Outsourcing)');
    expect(json.source.quote).toContain('BPO jest rodzajem');
  });

  it('answers one JSON line per input line, in order, in batch mode', async () => {
    const result = await ask(['--json'], 'back ofis\n\nJaka jest pogoda?\nWhat is front office?\n');
    expect(result.code).toBe(0);
    const answers = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((a) => [a.question, a.found, a.id])).toEqual([
      ['back ofis', true, 'back-office'],
      ['Jaka jest pogoda?', false, null],
      ['What is front office?', true, 'front-office'],
    ]);
    expect(answers[1]).toMatchObject({ answer: null, source: null });
    expect(answers[1].suggestions.length).toBeGreaterThan(0);
    expect(answers[2].lang).toBe('en');
  });

  it('reads each line in the light of the earlier lines of its conversation with --conversation; a blank line starts a new one', async () => {
    const input = 'Co to jest back office?\na front office?\ndzięki!\n\nWhat is BPO?\nexamples?\n\nprzykłady?\n';
    const withContext = await ask(['--json', '--conversation'], input);
    expect(withContext.code).toBe(0);
    const answers = withContext.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((a) => [a.question, a.found, a.id, a.lang])).toEqual([
      ['Co to jest back office?', true, 'back-office', 'pl'],
      ['a front office?', true, 'front-office', 'pl'],
      ['dzięki!', false, null, 'pl'],
      ['What is BPO?', true, 'bpo-definition', 'en'],
      ['examples?', true, expect.any(String), 'en'],
      ['przykłady?', false, null, 'pl'],
    ]);
    // The same shape as --json; without --conversation every line stands alone.
    expect(Object.keys(answers[1])).toEqual(['question', 'found', 'lang', 'id', 'title', 'answer', 'score', 'source', 'related', 'suggestions']);
    const alone = (await ask(['--json'], 'What is BPO?\nexamples?\n')).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(alone.map((a) => a.found)).toEqual([true, false]);
  });

  it('answers from KNOWLEDGE_FILE when it is set', async () => {
    const { file } = copyKnowledge('ask-kb-');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Źródłem informacji w artykule jest Wikipedia.', 'Źródło tej kopii: Wikipedia.'));
    const { child, exited } = startScript('dist/cli/ask.js', scriptEnv({ KNOWLEDGE_FILE: file }), { args: ['--json', 'Skąd pochodzą te informacje?'] });
    child.stdin!.end();
    const result = await exited;
    expect(JSON.parse(result.stdout).answer).toBe('Źródło tej kopii: Wikipedia.');
  });

  it('prints a readable answer with its source without --json', async () => {
    const result = await ask(['Czym', 'jest', 'front', 'office?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Czym jest front-office?');
    expect(result.stdout).toContain('według: Wikipedia');
  });

  it('rejects an unknown option with the usage and exit code 2', async () => {
    const result = await ask(['--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run --silent ask');
  });

  it('rejects an unknown language', async () => {
    const result = await ask(['--lang', 'de', 'bpo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--lang must be one of: pl, en');
  });
});

describe('npm run kb:check', () => {
  it('validates the shipped knowledge base and prints a summary', async () => {
    const result = await runScript('dist/cli/kb-check.js', scriptEnv({}));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Knowledge base OK/);
    expect(result.stdout).toMatch(/entries: \d+/);
  });
});
