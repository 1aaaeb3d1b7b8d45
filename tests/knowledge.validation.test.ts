import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyKnowledge } from './support/knowledge-copy.ts';
import { runScript, scriptEnv } from './support/run-script.ts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_FILE, howQuoteIsCut, KnowledgeBaseError, loadKnowledgeBase, parseKnowledgeBase } from '../src/knowledge/load.ts';

const shippedJson = () => JSON.parse(readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8'));
const article = readFileSync(new URL('../knowledge/bpo-article.txt', import.meta.url), 'utf8');
// The SHA-256 of the article as published; any edit to the copy, a "fixed" typo included, changes it.
const PUBLISHED_ARTICLE_SHA256 = 'a2598846db08fc9b5ace02879dc41f6faa1058d07617193a6094ada0cb07475f';

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

describe('the shipped knowledge base', () => {
  const kb = loadKnowledgeBase();

  it('keeps the article byte for byte as published, typos included', () => {
    const bytes = readFileSync(new URL('../knowledge/bpo-article.txt', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(PUBLISHED_ARTICLE_SHA256);
    expect(article).toContain('kadrrowo'); // the article's own typo, kept
  });

  it('has unique ids, verbatim quotes in their stated paragraphs, and existing related ids', () => {
    const ids = kb.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of kb.entries) {
      expect(kb.article.paragraphs[entry.paragraph - 1], entry.id).toContain(entry.quote);
      for (const id of entry.related) expect(kb.byId.has(id), `${entry.id} -> ${id}`).toBe(true);
    }
  });

  it('quotes a sentence or two, never a whole long paragraph', () => {
    for (const entry of kb.entries) expect(entry.quote.length, entry.id).toBeLessThanOrEqual(500);
  });

  it('covers every sentence of the article body with at least one quote', () => {
    const body = kb.article.paragraphs.slice(2, 6).join(' ');
    const sentences = body.split(/(?<=[.;])\s+(?=[A-ZŻŹĆŚŁÓ])/u).map((s) => s.replace(/^Jak podaje Wikipedia/, '').trim());
    const quotes = kb.entries.map((e) => e.quote).join('\n');
    for (const sentence of sentences) expect(quotes, sentence).toContain(sentence);
  });

  it('has main topics for empty autocomplete', () => {
    expect(kb.entries.filter((e) => e.pinned).length).toBeGreaterThanOrEqual(3);
  });
});

describe('validation errors name the file, the entry and the field', () => {
  it('missing field', () => {
    const problems = problemsOf((json) => delete json.entries[0].answer);
    expect(problems.join('\n')).toMatch(/entry "bpo-definition", field "answer"/);
  });
  it('empty text', () => {
    const problems = problemsOf((json) => (json.entries[1].title.en = '  '));
    expect(problems.join('\n')).toMatch(/field "title\.en": must not be empty/);
  });
  it('unknown related id', () => {
    const problems = problemsOf((json) => (json.entries[0].related[0] = 'no-such-topic'));
    expect(problems).toContainEqual(expect.stringMatching(/entry "bpo-definition", field "related": unknown entry id "no-such-topic"/));
  });
  it('quote that is not verbatim (spelling "fixed")', () => {
    const problems = problemsOf((json) => {
      const entry = json.entries.find((e: { quote: string }) => e.quote.includes('kadrrowo'));
      entry.quote = entry.quote.replace('kadrrowo', 'kadrowo');
    });
    expect(problems.join('\n')).toMatch(/field "quote": not an exact substring of the article/);
  });
  it('quote that is verbatim but cut inside a word, or after a negation that reverses it', () => {
    const cutNegation = problemsOf((json) => {
      const entry = json.entries.find((e: { id: string }) => e.id === 'back-office');
      entry.quote = 'jest zauważalna przez klientów';
    });
    expect(cutNegation).toContainEqual(expect.stringMatching(/entry "back-office", field "quote": leaves out the "nie" right before it, which turns its meaning round/));
    const cutWord = problemsOf((json) => {
      const entry = json.entries.find((e: { id: string }) => e.id === 'back-office');
      entry.quote = 'ack-office to część procesów';
    });
    expect(cutWord).toContainEqual(expect.stringMatching(/entry "back-office", field "quote": starts or ends inside a word of the article/));
    expect(howQuoteIsCut('To nie jest proste. Jest zauważalna przez klientów.', 'Jest zauważalna przez klientów.')).toBeNull();
    expect(howQuoteIsCut('Procesy, które nie są widoczne. Widoczne są inne.', 'są widoczne')).toMatch(/"nie"/);
  });
  it('quote in another paragraph than stated', () => {
    const problems = problemsOf((json) => (json.entries[0].paragraph = 5));
    expect(problems.join('\n')).toMatch(/field "paragraph": the quote is in paragraph 3, not 5/);
  });
  it('duplicate id', () => {
    const problems = problemsOf((json) => (json.entries[1].id = json.entries[0].id));
    expect(problems.join('\n')).toMatch(/duplicate id/);
  });
  it('malformed JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeFileSync(join(dir, 'bpo.json'), '{"article": ');
    copyFileSync(new URL('../knowledge/bpo-article.txt', import.meta.url), join(dir, 'bpo-article.txt'));
    expect(() => loadKnowledgeBase(join(dir, 'bpo.json'))).toThrow(/bpo\.json: .*\n.*not valid JSON/);
  });
  it('missing file', () => {
    expect(() => loadKnowledgeBase(join(tmpdir(), 'does-not-exist.json'))).toThrow(/file not found/);
  });
  it('a JSON syntax error names its line and column and shows the line', () => {
    const { file } = copyKnowledge('kb-json-');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"paragraph": 4,'));
    lines[at] = lines[at]!.replace(',', '');
    writeFileSync(file, lines.join('\n'));
    expect(() => loadKnowledgeBase(file)).toThrow(new RegExp(`not valid JSON at line ${at + 2}, column \\d+ \\(Expected ',' or '}' after property value\\): "`));
  });

  it('so does one for which JSON.parse gives no position, only an excerpt (a misspelt true)', () => {
    const { file } = copyKnowledge('kb-json-');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"pinned": true'));
    lines[at] = lines[at]!.replace('true', 'tru');
    writeFileSync(file, lines.join('\n'));
    const column = lines[at]!.length + 1;
    expect(() => loadKnowledgeBase(file)).toThrow(`not valid JSON at line ${at + 1}, column ${column} (Unexpected token '\\n'): "pinned": tru`);
  });
});

describe('npm run kb:check lists every problem in one run', () => {
  it('a bad id, broken quotes and a bad corpus line together, each with where it is', async () => {
    const { file, corpus } = copyKnowledge('kb-check-');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.entries[0].id = 'Bad Id';
    for (const entry of json.entries.slice(3, 7)) entry.quote += ' X';
    writeFileSync(file, JSON.stringify(json, null, 2));
    writeFileSync(join(corpus, 'front-office.jsonl'), `${readFileSync(join(corpus, 'front-office.jsonl'), 'utf8')}{"text": "front?", "lang": "de", "brief": "accepted"}\n`);
    const result = await runScript('dist/cli/kb-check.js', scriptEnv({}), { args: [file] });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/entry "Bad Id", field "id": must be kebab-case/);
    expect(result.stderr.match(/field "quote": not an exact substring of the article/g)).toHaveLength(4);
    expect(result.stderr).toMatch(/corpus\/front-office\.jsonl line \d+, field "lang"/);
    // An id renamed leaves every line naming the old one: counted once, with the first place.
    expect(result.stderr).toMatch(/\d+ corpus lines, field "also": unknown entry id "bpo-definition" \(the first: corpus\/\S+ line \d+\)/);
  });
  it('honours KNOWLEDGE_FILE', async () => {
    const { file } = copyKnowledge('kb-check-');
    const result = await runScript('dist/cli/kb-check.js', scriptEnv({ KNOWLEDGE_FILE: file }));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Knowledge base OK: ${file}`);
  });
});
