/**
 * `npm run kb:learn` on a copy of the shipped knowledge base: the question lands in the entry's
 * corpus file as one line, the reader is retrained, the question is then answered, and what it
 * must refuse it refuses with one sentence, leaving every file as it was.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../src/answering/answer.ts';
import { learnCommand } from '../src/feedback/report-text.ts';
import { acceptedExample, LearnError } from '../src/knowledge/learn.ts';
import { loadKnowledgeBase } from '../src/knowledge/load.ts';
import { hasCurrentModel } from '../src/reader/load.ts';
import { buildAnswerer, copyKnowledge, copySmallKnowledge } from './support/knowledge-copy.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

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

const QUESTION = 'kolcentrowka';

describe('npm run kb:learn, a round trip', () => {
  it('adds one line to the entry\'s corpus file, retrains, and the question is then answered by that entry', async () => {
    const { dir, file, corpus } = copySmallKnowledge('kb-learn-');
    const corpusFile = join(corpus, 'call-centers.jsonl');
    const before = join(dir, 'before.jsonl');
    copyFileSync(corpusFile, before);
    expect(answer(QUESTION, buildAnswerer(loadKnowledgeBase(file))).kind).not.toBe('answer');

    const result = await learn(file, ['--entry', 'call-centers', '--lang', 'pl', '--question', QUESTION]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Added "${QUESTION}" \\(Polish\\) to the examples of "call-centers" in \\S*call-centers\\.jsonl\\.\\nTraining the reader from \\d+ examples[^\\n]*\\nRetrained the reader in [\\d.]+ s\\.`));

    expect(numstat(before, corpusFile)).toMatch(/^1\t0\t/);
    expect(readFileSync(corpusFile, 'utf8').split('\n').at(-2)).toBe(JSON.stringify({ text: QUESTION, lang: 'pl', brief: 'accepted' }));
    const kb = loadKnowledgeBase(file);
    expect(hasCurrentModel(kb)).toBe(true);
    const after = answer(QUESTION, buildAnswerer(kb));
    expect(after.kind === 'answer' && after.entry.id).toBe('call-centers');
    // Learned as Polish, it is answered in Polish: the language head learned it too.
    expect(after.lang).toBe('pl');
    // No temporary file is left beside it.
    expect(readdirSync(corpus).filter((name) => name.includes('tmp'))).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.includes('tmp'))).toEqual([]);
  }, 400_000);

  it('takes the language from the question, or from --lang; --no-train leaves the model to the next start', async () => {
    const { file } = copyKnowledge('kb-learn-');
    expect((await learn(file, ['--entry', 'call-centers', '--no-train', '--question', 'How do I reach the outsourced hotline people?'])).code).toBe(0);
    expect((await learn(file, ['--entry', 'call-centers', '--no-train', '--question', 'infolinia robiona przez obcych ludzi', '--lang', 'en'])).code).toBe(0);
    const kb = loadKnowledgeBase(file);
    const added = kb.corpus.examples.filter((example) => example.brief === 'accepted');
    expect(added.map((example) => [example.text, example.lang, example.entry])).toEqual([
      ['How do I reach the outsourced hotline people?', 'en', 'call-centers'],
      ['infolinia robiona przez obcych ludzi', 'en', 'call-centers'],
    ]);
    expect(hasCurrentModel(kb)).toBe(false);
  });

  it('runs the command the report suggests as it is, also for a question that starts with "-"; refuses invisible characters', async () => {
    const { file } = copyKnowledge('kb-learn-');
    const command = learnCommand('call-centers', 'pl', "-kol senter, czyli 'infolinia'");
    // The words after "npm run kb:learn --", as a shell would split them.
    const args = JSON.parse(execFileSync('sh', ['-c', `node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- ${command.replace(/^npm run kb:learn -- /, '')}`], { encoding: 'utf8' })) as string[];
    expect(args).toContain("--question=-kol senter, czyli 'infolinia'");
    expect((await learn(file, [...args, '--no-train'])).code).toBe(0);
    expect(loadKnowledgeBase(file).corpus.examples.filter((example) => example.brief === 'accepted').map((example) => example.text)).toEqual(["-kol senter, czyli 'infolinia'"]);
    const hidden = await learn(file, ['--entry', 'call-centers', '--lang', 'pl', '--no-train', '--question', 'kol \u202Ecenter']);
    expect(hidden.code).not.toBe(0);
    expect(hidden.stderr).toMatch(/invisible control or formatting characters/);
  });

  it('uses KNOWLEDGE_FILE when no --file is given', async () => {
    const { file } = copyKnowledge('kb-learn-');
    const result = await runScript('dist/cli/kb-learn.js', scriptEnv({ KNOWLEDGE_FILE: file }), { args: ['--entry', 'call-centers', '--lang', 'pl', '--no-train', '--question', QUESTION] });
    expect(result.code).toBe(0);
    expect(loadKnowledgeBase(file).corpus.examples.some((example) => example.text === QUESTION && example.entry === 'call-centers')).toBe(true);
  });
});

describe('npm run kb:learn refuses, with one sentence, and leaves the files alone', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown entry', ['--entry', 'no-such-entry', '--question', 'Co to jest XYZ?'], /^There is no entry "no-such-entry" in .*bpo\.json: use the id of an existing entry, as the report prints it\.\n$/],
    ['an example the corpus has', ['--entry', 'bpo-definition', '--question', 'co to jest bpo'], /^"co to jest bpo" is already an example of entry "bpo-definition" in the corpus: there is nothing to add\.\n$/],
    ['an out-of-scope example', ['--entry', 'bpo-definition', '--question', 'jaka jutro pogoda w Krakowie?'], /^"jaka jutro pogoda w Krakowie\?" is already an out-of-scope example in the corpus/],
    ['the title of another entry', ['--entry', 'back-office', '--question', 'Czym jest BPO?'], /^"Czym jest BPO\?" is already the title of entry "bpo-definition": there is nothing to add\.\n$/],
    ['an empty question', ['--entry', 'back-office', '--question', '  '], /^The question is empty/],
    ['punctuation only', ['--entry', 'back-office', '--question', '???'], /^The question has no words/],
    ['a question over 300 characters', ['--entry', 'back-office', '--question', 'a'.repeat(301)], /^The question has 301 characters, more than the 300/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const { file, corpus } = copyKnowledge('kb-learn-');
      const before = readdirSync(corpus).map((name) => readFileSync(join(corpus, name), 'utf8'));
      const result = await learn(file, args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(readdirSync(corpus).map((name) => readFileSync(join(corpus, name), 'utf8'))).toEqual(before);
    });
  }

  it('a knowledge base that does not pass the start-up check (here: a quote already broken in the copy)', async () => {
    const { file, corpus } = copyKnowledge('kb-learn-');
    writeFileSync(file, readFileSync(file, 'utf8').replace('kadrrowo', 'kadrowo'));
    const before = readFileSync(join(corpus, 'call-centers.jsonl'), 'utf8');
    const result = await learn(file, ['--entry', 'call-centers', '--question', QUESTION]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^The knowledge file .*bpo\.json cannot be used \(entry "[a-z-]+", field "quote": not an exact substring of the article/);
    expect(readFileSync(join(corpus, 'call-centers.jsonl'), 'utf8')).toBe(before);
  });

  it('missing options: the usage, exit code 2', async () => {
    const { file } = copyKnowledge('kb-learn-');
    const result = await learn(file, ['--question', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--entry is missing: .*\nUsage: npm run kb:learn/);
  });
});

describe('acceptedExample', () => {
  const kb = loadKnowledgeBase();
  it('is one JSON line, escaped as JSON must be, for the entry\'s own file', () => {
    const { file, line } = acceptedExample(kb, { entryId: 'back-office', question: '  Co znaczy "zaplecze" \\ back office?  ', lang: 'pl' }, 'kb.json');
    expect(file).toMatch(/corpus\/back-office\.jsonl$/);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ text: 'Co znaczy "zaplecze" \\ back office?', lang: 'pl', brief: 'accepted' });
  });
  it('refuses a question on several lines', () => {
    expect(() => acceptedExample(kb, { entryId: 'back-office', question: 'a\nb', lang: 'pl' }, 'kb.json')).toThrow(LearnError);
  });
});
