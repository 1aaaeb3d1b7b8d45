/**
 * A knowledge file is trusted to describe the bot's answers, not to reach the rest of the machine:
 * the article it names must be a modest text file beside it, every field has a length a Discord
 * message can show, ids fit every button that carries them, and links are https.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase, parseKnowledgeBase } from '../src/knowledge/load.ts';
import { MAX_ARTICLE_BYTES, MAX_ENTRY_ID_LENGTH } from '../src/knowledge/schema.ts';
import { newAnswerRef, parseVoteButtonId, voteButtonId } from '../src/feedback/vote-buttons.ts';
import { parseTopicButtonId, topicButtonId } from '../src/responder/render-discord.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

const shippedText = readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8');
const article = readFileSync(new URL('../knowledge/bpo-article.txt', import.meta.url), 'utf8');
const shippedJson = () => JSON.parse(shippedText);

/** A scratch folder holding `kb/bpo.json` (its article.file set to `articleFile`), with the real article one level up. */
function layout(articleFile: string): { dir: string; kbFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-hostile-'));
  mkdirSync(join(dir, 'kb'));
  writeFileSync(join(dir, 'outside.txt'), article);
  const json = shippedJson();
  json.article.file = articleFile;
  // The corpus is tried apart (below): here only the article is read.
  delete json.corpus;
  const kbFile = join(dir, 'kb', 'bpo.json');
  writeFileSync(kbFile, JSON.stringify(json));
  return { dir, kbFile };
}

function problemsLoading(file: string): string[] {
  try {
    loadKnowledgeBase(file);
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeBaseError);
    return (error as KnowledgeBaseError).problems;
  }
  throw new Error('expected the knowledge file to be refused');
}

function problemsOf(mutate: (json: ReturnType<typeof shippedJson>) => void): string[] {
  const json = shippedJson();
  mutate(json);
  try {
    parseKnowledgeBase(json, article, 'bpo.json');
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeBaseError);
    return (error as KnowledgeBaseError).problems;
  }
  throw new Error('expected the knowledge base to be rejected');
}

describe('the article file a knowledge file names', () => {
  it('may not climb out of the knowledge file\'s folder, even to a file that would pass every check', () => {
    const { kbFile } = layout('../outside.txt');
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": must name a file inside the knowledge file's folder/)]);
  });

  it('may not be an absolute path', () => {
    const { kbFile } = layout('/etc/hostname');
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": must name a file inside the knowledge file's folder/)]);
  });

  it('may not be a link that leads outside the folder', () => {
    const { dir, kbFile } = layout('article.txt');
    symlinkSync(join(dir, 'outside.txt'), join(dir, 'kb', 'article.txt'));
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": .*leads outside the knowledge file's folder/)]);
  });

  it('may be a link to a file inside the folder', () => {
    const { dir, kbFile } = layout('article.txt');
    writeFileSync(join(dir, 'kb', 'real-article.txt'), article);
    symlinkSync(join(dir, 'kb', 'real-article.txt'), join(dir, 'kb', 'article.txt'));
    expect(loadKnowledgeBase(kbFile).entries.length).toBeGreaterThan(0);
  });

  it('must be a regular file', () => {
    const { dir, kbFile } = layout('article.txt');
    mkdirSync(join(dir, 'kb', 'article.txt'));
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": .*is not a regular file/)]);
  });

  it('must be at most 1 MB, checked before it is read', () => {
    const { dir, kbFile } = layout('article.txt');
    // The real article with blank paragraphs after it: every quote would still be found.
    writeFileSync(join(dir, 'kb', 'article.txt'), article + '\n\n'.repeat(MAX_ARTICLE_BYTES / 2));
    expect(MAX_ARTICLE_BYTES).toBe(1024 * 1024);
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": .*is larger than 1 MB/)]);
  });

  it('must be UTF-8 text', () => {
    const { dir, kbFile } = layout('article.txt');
    writeFileSync(join(dir, 'kb', 'article.txt'), Buffer.concat([Buffer.from(article), Buffer.from([0xff, 0xfe, 0x00, 0xc3])]));
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^field "article\.file": .*is not UTF-8 text/)]);
  });

  it('is checked by the same rules when the rest of the file is invalid, and its problem listed with the others', () => {
    // So that one run lists every problem; a file outside the folder is still never opened.
    const { kbFile } = layout('missing.txt');
    const json = JSON.parse(readFileSync(kbFile, 'utf8'));
    delete json.entries[0].answer;
    writeFileSync(kbFile, JSON.stringify(json));
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^entry "bpo-definition", field "answer"/), expect.stringMatching(/file not found/)]);
    json.article.file = '../outside.txt';
    writeFileSync(kbFile, JSON.stringify(json));
    expect(problemsLoading(kbFile)).toEqual([expect.stringMatching(/^entry "bpo-definition", field "answer"/), expect.stringMatching(/^field "article\.file": must name a file inside the knowledge file's folder/)]);
  });
});

describe('field lengths', () => {
  it('a 5,000,000-character title is refused by the schema, naming the field', () => {
    const problems = problemsOf((json) => (json.entries[0].title.pl = 'a'.repeat(5_000_000)));
    expect(problems).toEqual([expect.stringMatching(/^entry "bpo-definition", field "title\.pl": must be at most \d+ characters/)]);
  });

  it('kb:check on such a file ends with one sentence, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-hostile-'));
    const json = shippedJson();
    json.entries[0].title.pl = 'B'.repeat(5_000_000);
    writeFileSync(join(dir, 'bpo.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'bpo-article.txt'), article);
    const result = await runScript('dist/cli/kb-check.js', scriptEnv({}), { args: [join(dir, 'bpo.json')] });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/field "title\.pl": must be at most \d+ characters/);
    expect(result.stderr).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
  });

  const longValues: [string, (json: ReturnType<typeof shippedJson>) => void][] = [
    ['title.en', (json) => (json.entries[0].title.en = 'x'.repeat(201))],
    ['answer.pl', (json) => (json.entries[0].answer.pl = 'x'.repeat(2001))],
    ['answer.en', (json) => (json.entries[0].answer.en = 'x'.repeat(2001))],
    ['statements.0.pl', (json) => (json.entries[0].statements = [{ pl: 'x'.repeat(5_000_000), en: 'BPO is outsourcing.', true: true }])],
    ['moreQuotes.0.quote', (json) => (json.entries[0].moreQuotes = [{ quote: 'x'.repeat(501), paragraph: 3 }])],
  ];
  for (const [field, mutate] of longValues) {
    it(`an entry's ${field} has a cap`, () => {
      expect(problemsOf(mutate)).toEqual([expect.stringMatching(new RegExp(`field "${field.replace(/\./g, '\\.')}": must be at most \\d+ characters`))]);
    });
  }

  it('the article fields have caps too', () => {
    expect(problemsOf((json) => (json.article.title = 'x'.repeat(201)))).toEqual([expect.stringMatching(/^field "article\.title": must be at most/)]);
    expect(problemsOf((json) => (json.article.source = 'x'.repeat(201)))).toEqual([expect.stringMatching(/^field "article\.source": must be at most/)]);
  });

  it('lists have caps: statements, more quotes', () => {
    expect(problemsOf((json) => (json.entries[0].statements = Array.from({ length: 51 }, (_, i) => ({ pl: `zdanie ${i}`, en: `claim ${i}`, true: true }))))).toEqual([
      expect.stringMatching(/field "statements": at most 50/),
    ]);
  });

  it('the shipped knowledge base is well inside every cap', () => {
    expect(() => parseKnowledgeBase(shippedJson(), article)).not.toThrow();
  });
});

describe('the corpus a knowledge file names', () => {
  /** A copy of the shipped knowledge folder in which `mutate` may change the corpus. */
  function corpusCopy(mutate: (corpus: string, dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'kb-hostile-'));
    cpSync(new URL('../knowledge/', import.meta.url), dir, { recursive: true });
    mutate(join(dir, 'corpus'), dir);
    return join(dir, 'bpo.json');
  }

  it('may not be a folder outside the knowledge file\'s folder', () => {
    const file = corpusCopy((_, dir) => writeFileSync(join(dir, 'bpo.json'), JSON.stringify({ ...shippedJson(), corpus: '../elsewhere' })));
    expect(problemsLoading(file)).toEqual([expect.stringMatching(/^field "corpus": must name a folder inside the knowledge file's folder/)]);
  });

  it('a corpus file linked to a file outside is refused, naming it', () => {
    const file = corpusCopy((corpus, dir) => {
      writeFileSync(join(dir, '..', `outside-${process.pid}.jsonl`), '');
      rmSync(join(corpus, 'source.jsonl'));
      symlinkSync(join(dir, '..', `outside-${process.pid}.jsonl`), join(corpus, 'source.jsonl'));
    });
    expect(problemsLoading(file).join('\n')).toMatch(/field "corpus": "corpus\/source\.jsonl" leads outside the knowledge file's folder/);
  });

  it('every problem of every line is listed, by file and line: an over-long text, a wrong field, an unknown brief, a line that is not JSON', () => {
    const file = corpusCopy((corpus) => {
      appendFileSync(join(corpus, 'source.jsonl'), `${JSON.stringify({ text: 'x'.repeat(301), lang: 'pl', brief: 'accepted' })}\n`);
      appendFileSync(join(corpus, 'front-office.jsonl'), `${JSON.stringify({ text: 'front?', lang: 'de', brief: 'accepted' })}\n{"text": "half\n`);
      appendFileSync(join(corpus, 'out-of-scope.jsonl'), `${JSON.stringify({ text: 'hello there my friend', lang: 'en', brief: 'no-such-brief', kind: 'chit-chat' })}\n`);
    });
    const problems = problemsLoading(file);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^corpus\/source\.jsonl line \d+, field "text": must be at most 300 characters/),
        expect.stringMatching(/^corpus\/front-office\.jsonl line \d+, field "lang": /),
        expect.stringMatching(/^corpus\/front-office\.jsonl line \d+: not valid JSON/),
        expect.stringMatching(/^corpus\/out-of-scope\.jsonl line \d+, field "brief": "no-such-brief" is not described in briefs\.json/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('the same message under two labels is refused: the reader could not learn both', () => {
    const file = corpusCopy((corpus) => appendFileSync(join(corpus, 'front-office.jsonl'), `${JSON.stringify({ text: 'Co to jest BPO?', lang: 'pl', brief: 'accepted' })}\n`));
    expect(problemsLoading(file)).toEqual([expect.stringMatching(/^corpus\/front-office\.jsonl line \d+: the same text as corpus\/bpo-definition\.jsonl line \d+, under another label/)]);
  });

  it('a follow-up that asks for more is about the entry just answered', () => {
    const file = corpusCopy((corpus) =>
      appendFileSync(join(corpus, 'follow-ups.jsonl'), `${JSON.stringify({ after: 'back-office', entry: 'front-office', text: 'i co jeszcze o tym?', lang: 'pl', brief: 'accepted', more: true })}\n`),
    );
    expect(problemsLoading(file)).toEqual([expect.stringMatching(/^corpus\/follow-ups\.jsonl line \d+, field "more": a follow-up that asks for more is about the entry just answered/)]);
  });

  it('a corpus file larger than 16 MB is refused before it is read', () => {
    const file = corpusCopy((corpus) => writeFileSync(join(corpus, 'source.jsonl'), 'x'.repeat(16 * 1024 * 1024 + 1)));
    expect(problemsLoading(file)).toEqual([expect.stringMatching(/field "corpus": "corpus\/source\.jsonl" is larger than 16 MB/)]);
  });
});

describe('entry ids fit every custom id that carries them', () => {
  it(`an id of ${MAX_ENTRY_ID_LENGTH} characters is accepted, one more is refused`, () => {
    const id = 'a'.repeat(MAX_ENTRY_ID_LENGTH);
    expect(() => parseKnowledgeBase(withFirstId(id), article)).not.toThrow();
    expect(problemsOf((json) => (json.entries[0].id = `${id}b`))).toEqual([expect.stringMatching(/field "id": must be at most 64 characters/)]);
  });

  it('a 92-character id, which used to make its topic buttons say "no longer available", is refused', () => {
    expect(problemsOf((json) => (json.entries[0].id = 'a'.repeat(92))).join('\n')).toMatch(/field "id": must be at most/);
  });

  it('the topic and vote buttons of the longest id keep the whole id', () => {
    const id = `${'a-'.repeat(MAX_ENTRY_ID_LENGTH / 2 - 1)}ab`;
    expect(id.length).toBe(MAX_ENTRY_ID_LENGTH);
    const topic = topicButtonId(id, 'pl');
    expect(topic.length).toBeLessThanOrEqual(100);
    expect(parseTopicButtonId(topic)).toEqual({ entryId: id, lang: 'pl' });
    const vote = voteButtonId('down', id, newAnswerRef());
    expect(vote.length).toBeLessThanOrEqual(100);
    expect(parseVoteButtonId(vote)?.entryId).toBe(id);
  });
});

describe('links', () => {
  it('only https: javascript: and plain http are refused', () => {
    for (const url of ['javascript:alert(1)', 'http://pl.wikipedia.org/wiki/BPO', 'data:text/html,hi', 'file:///etc/passwd']) {
      expect(problemsOf((json) => (json.article.url = url)), url).toEqual([expect.stringMatching(/^field "article\.url": must be an https:\/\/ address/)]);
    }
  });

  it('an https address is accepted', () => {
    const json = shippedJson();
    json.article.url = 'https://pl.wikipedia.org/wiki/Business_Process_Outsourcing';
    expect(parseKnowledgeBase(json, article).article.url).toBe('https://pl.wikipedia.org/wiki/Business_Process_Outsourcing');
  });
});

function withFirstId(id: string) {
  const json = shippedJson();
  const old = json.entries[0].id;
  json.entries[0].id = id;
  for (const entry of json.entries) entry.related = entry.related.map((r: string) => (r === old ? id : r));
  return json;
}
