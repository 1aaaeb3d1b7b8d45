/**
 * `npm run kb:learn` on a copy of the shipped knowledge base: the phrasing lands in the entry, the
 * question it came from is now answered, `git diff` shows one line, and what it must refuse it
 * refuses with one sentence, leaving the file as it was.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer, createAnswerer } from '../src/answering/answer.ts';
import { addPhrasing, LearnError } from '../src/knowledge/learn.ts';
import { DEFAULT_KNOWLEDGE_FILE, loadKnowledgeBase } from '../src/knowledge/load.ts';
import { search } from '../src/search/search.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

const ARTICLE = new URL('../knowledge/bpo-article.txt', import.meta.url);
const shipped = readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8');

function copy(text = shipped): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-learn-'));
  const file = join(dir, 'bpo.json');
  writeFileSync(file, text);
  copyFileSync(ARTICLE, join(dir, 'bpo-article.txt'));
  return { dir, file };
}

function learn(file: string, args: string[], env: Parameters<typeof scriptEnv>[0] = {}) {
  return runScript('dist/cli/kb-learn.js', scriptEnv(env), { args: ['--file', file, ...args] });
}

/** `git diff --no-index --numstat`: lines added and removed between two files. */
function numstat(before: string, after: string): string {
  try {
    return execFileSync('git', ['diff', '--no-index', '--numstat', before, after], { encoding: 'utf8' });
  } catch (error) {
    // git diff exits 1 when the files differ; its output is still the answer.
    return (error as { stdout: string }).stdout;
  }
}

describe('npm run kb:learn, a round trip', () => {
  const QUESTION = 'kol center';
  const callCentersConfidence = (file: string) => search(QUESTION, createAnswerer(loadKnowledgeBase(file)).index).hits.find((hit) => hit.entry.id === 'call-centers')?.confidence ?? 0;

  it('adds the phrasing, the question is then answered by that entry, and git diff shows one line', async () => {
    const { dir, file } = copy();
    const before = join(dir, 'before.json');
    copyFileSync(file, before);
    // Before: not answered (the report suggests it for call-centers, the closest entry).
    const confidenceBefore = callCentersConfidence(file);
    expect(answer(QUESTION, createAnswerer(loadKnowledgeBase(file))).kind).toBe('not-found');

    const result = await learn(file, ['--entry', 'call-centers', '--lang', 'pl', '--question', QUESTION]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Added "${QUESTION.replace('?', '\\?')}" to the Polish alternate questions of "call-centers" in \\S*bpo\\.json\\.\\n$`));

    expect(numstat(before, file)).toMatch(/^1\t0\t/);
    const beforeLines = readFileSync(before, 'utf8').split('\n');
    const afterLines = readFileSync(file, 'utf8').split('\n');
    const at = afterLines.findIndex((line, i) => line !== beforeLines[i]);
    expect(afterLines[at]).toBe(`          "${QUESTION}",`);
    expect([...afterLines.slice(0, at), ...afterLines.slice(at + 1)]).toEqual(beforeLines);

    const kb = loadKnowledgeBase(file);
    expect(kb.byId.get('call-centers')!.questions.pl).toContain(QUESTION);
    const after = answer(QUESTION, createAnswerer(kb));
    expect(after.kind === 'answer' && after.entry.id).toBe('call-centers');
    expect(callCentersConfidence(file)).toBeGreaterThan(confidenceBefore);
    // No temporary file is left beside it.
    expect(readdirSync(dir).sort()).toEqual(['before.json', 'bpo-article.txt', 'bpo.json']);
  });

  it('takes the language from the question, or from --lang', async () => {
    const { file } = copy();
    expect((await learn(file, ['--entry', 'call-centers', '--question', 'How do I become a call center agent?'])).code).toBe(0);
    expect((await learn(file, ['--entry', 'call-centers', '--question', 'call center praca nocna', '--lang', 'en'])).code).toBe(0);
    const entry = loadKnowledgeBase(file).byId.get('call-centers')!;
    expect(entry.questions.en).toEqual(expect.arrayContaining(['How do I become a call center agent?', 'call center praca nocna']));
  });

  it('uses KNOWLEDGE_FILE when no --file is given', async () => {
    const { file } = copy();
    const result = await runScript('dist/cli/kb-learn.js', scriptEnv({ KNOWLEDGE_FILE: file }), { args: ['--entry', 'call-centers', '--lang', 'pl', '--question', QUESTION] });
    expect(result.code).toBe(0);
    expect(loadKnowledgeBase(file).byId.get('call-centers')!.questions.pl).toContain(QUESTION);
  });
});

describe('npm run kb:learn refuses, with one sentence, and leaves the file alone', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown entry', ['--entry', 'no-such-entry', '--question', 'Co to jest XYZ?'], /^There is no entry "no-such-entry" in .*bpo\.json: use the id of an existing entry, as the report prints it\.\n$/],
    ['a phrasing the entry has', ['--entry', 'bpo-definition', '--question', 'co to jest bpo'], /^"co to jest bpo" is already a Polish phrasing of entry "bpo-definition" in .*: there is nothing to add\.\n$/],
    ['a phrasing of another entry', ['--entry', 'back-office', '--question', 'Czym jest BPO?'], /^"Czym jest BPO\?" is already the Polish title of entry "bpo-definition" in /],
    ['an empty question', ['--entry', 'back-office', '--question', '  '], /^The question is empty/],
    ['punctuation only', ['--entry', 'back-office', '--question', '???'], /^The question has no words/],
    ['a question over 300 characters', ['--entry', 'back-office', '--question', 'a'.repeat(301)], /^The question has 301 characters, more than the 300/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const { file } = copy();
      const result = await learn(file, args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(readFileSync(file, 'utf8')).toBe(shipped);
    });
  }

  it('a result that would not pass the start-up check (here: a quote already broken in the copy)', async () => {
    const broken = shipped.replace('kadrrowo', 'kadrowo');
    const { dir, file } = copy(broken);
    const result = await learn(file, ['--entry', 'call-centers', '--question', 'kol center']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Not added: with it, .*bpo\.json would not pass the start-up check \(entry "[a-z-]+", field "quote": not an exact substring of the article .*\); run "npm run kb:check -- .*bpo\.json" to see every problem\.\n$/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(readdirSync(dir).sort()).toEqual(['bpo-article.txt', 'bpo.json']);
  });

  it('missing options: the usage, exit code 2', async () => {
    const { file } = copy();
    const result = await learn(file, ['--question', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--entry is missing: .*\nUsage: npm run kb:learn/);
  });
});

describe('addPhrasing keeps every other byte', () => {
  const request = { entryId: 'back-office', question: 'Gdzie jest zaplecze firmy?', lang: 'pl' as const };

  it('in a file written on one line: only that line changes, and the result parses with the phrasing in it', () => {
    const compact = JSON.stringify(JSON.parse(shipped));
    const updated = addPhrasing(compact, request, 'kb.json');
    expect(updated.split('\n')).toHaveLength(1);
    expect(JSON.parse(updated).entries.find((e: { id: string }) => e.id === 'back-office').questions.pl).toContain(request.question);
    expect(updated.length - compact.length).toBe(JSON.stringify(request.question).length + 2);
  });

  it('with Windows line ends: the new line has them too', () => {
    const crlf = shipped.replace(/\n/g, '\r\n');
    const updated = addPhrasing(crlf, request, 'kb.json');
    expect(updated.replace(`          "${request.question}",\r\n`, '')).toBe(crlf);
  });

  it('escapes what JSON must escape', () => {
    const updated = addPhrasing(shipped, { ...request, question: 'Co znaczy "zaplecze" \\ back office?' }, 'kb.json');
    expect(JSON.parse(updated).entries.find((e: { id: string }) => e.id === 'back-office').questions.pl).toContain('Co znaczy "zaplecze" \\ back office?');
  });

  it('refuses a file that is not JSON', () => {
    expect(() => addPhrasing('{"entries": [', request, 'kb.json')).toThrow(LearnError);
    expect(() => addPhrasing('{"entries": [', request, 'kb.json')).toThrow(/^kb\.json is not valid JSON/);
  });
});
