/**
 * The report's figures on a seeded database: written through the real recorder into a real SQLite
 * file, read back by `buildReport` and by `npm run report` as text, JSON and HTML.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerById, type AnswerResult } from '../src/answering/answer.ts';
import { createFeedback } from '../src/feedback/recorder.ts';
import { buildReport, groupQuestions, knownPhrasings, questionGroupKey, type Report } from '../src/feedback/report.ts';
import { foldText, messageWords } from '../src/reader/words.ts';
import { readMessage, readTopics } from '../src/reader/reader.ts';
import { ANSWER_CONFIG } from '../src/answering/config.ts';
import { escapeHtml, renderReportHtml } from '../src/feedback/report-html.ts';
import { renderReportText, shellQuote } from '../src/feedback/report-text.ts';
import { openFeedbackReader } from '../src/feedback/store.ts';
import type { Lang } from '../src/knowledge/schema.ts';
import { loadAnswerer } from '../src/answering/load.ts';
import { captureLogger } from './support/capture-log.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

const answerer = loadAnswerer(undefined, { withExamples: true });
const DAY = 24 * 60 * 60 * 1000;
const [A, B, C] = ['312345678901234567', '412345678901234568', '512345678901234569'];
const HOSTILE = '<script>alert("x")</script> & \u001b[2J';

/**
 * The seeded questions and what became of them. The results are made here (an entry's answer, or
 * not found) rather than by the reader, so the figures do not move when it is retrained;
 * only the suggestions, which the report asks the reader for, depend on it.
 */
const SEED: { via: string; user: string; text: string; lang: Lang; entry?: string; kind?: 'small-talk'; daysAgo?: number }[] = [
  { via: 'slash', user: A, text: 'Co to jest back office?', lang: 'pl', entry: 'back-office' },
  { via: 'slash', user: B, text: 'Co to jest back office?', lang: 'pl', entry: 'back-office' },
  { via: 'slash', user: C, text: 'Co to jest back office?', lang: 'pl', entry: 'back-office' },
  { via: 'dm', user: A, text: 'What is front office?', lang: 'en', entry: 'front-office' },
  { via: 'dm', user: B, text: 'What is front office?', lang: 'en', entry: 'front-office' },
  { via: 'dm', user: A, text: 'Jaka będzie pogoda?', lang: 'pl' },
  { via: 'dm', user: B, text: 'Jaka będzie pogoda?', lang: 'pl' },
  { via: 'mention', user: C, text: 'jaka bedzie pogoda', lang: 'pl' },
  { via: 'dm', user: A, text: 'Kol senter?', lang: 'pl' },
  { via: 'dm', user: B, text: 'kol senter', lang: 'pl' },
  { via: 'dm', user: C, text: 'Ile kosztuje outsourcing księgowości w Krakowie?', lang: 'pl' },
  { via: 'mention', user: C, text: 'cześć', lang: 'pl', kind: 'small-talk' },
  { via: 'dm', user: C, text: 'co robi call center w nocy', lang: 'pl', entry: 'call-centers' },
  { via: 'dm', user: B, text: 'co robi back office w banku', lang: 'pl', entry: 'back-office' },
  { via: 'dm', user: A, text: 'Kto wygrał mundial?', lang: 'pl', daysAgo: 40 },
];

function resultOf({ text, lang, entry, kind }: (typeof SEED)[number]): AnswerResult {
  if (entry) return { ...answerById(entry, answerer, lang), question: text };
  if (kind === 'small-talk') return { kind, question: text, lang, intent: 'greeting', suggestions: [] };
  return { kind: 'not-found', question: text, lang, suggestions: [] };
}

let path: string;
let now: number;

beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), 'feedback-report-')), 'feedback.db');
  now = Date.now();
  let clock = now;
  const feedback = createFeedback({ path, secret: 's'.repeat(64), retentionDays: 90 }, captureLogger().logger, { now: () => clock });
  const refs: string[] = [];
  for (const seed of SEED) {
    clock = now - (seed.daysAgo ?? 1) * DAY;
    refs.push(feedback.recordQuestion({ via: seed.via, userId: seed.user, result: resultOf(seed) })!);
  }
  clock = now - DAY;
  const vote = (user: string, vote: 'up' | 'down', entryId: string, ref: string) => feedback.recordVote({ userId: user, vote, entryId, answerRef: ref });
  await vote(A, 'up', 'back-office', refs[0]!);
  await vote(B, 'down', 'back-office', refs[1]!);
  await vote(C, 'down', 'back-office', refs[2]!);
  await vote(C, 'up', 'back-office', refs[2]!); // changed: counts as 👍 only
  await vote(A, 'down', 'front-office', refs[3]!);
  await vote(C, 'down', 'call-centers', refs[12]!);
  await vote(B, 'down', 'back-office', refs[13]!);
  // A hostile text, in the oldest part of the period, to check the renderers escape it.
  clock = now - 29 * DAY;
  feedback.recordQuestion({ via: 'dm', userId: A, result: { kind: 'not-found', question: HOSTILE, lang: 'pl', suggestions: [] } });
  feedback.close();
});

async function report(days = 30): Promise<Report> {
  const reader = openFeedbackReader(path);
  try {
    return await buildReport(reader, answerer, { days, now });
  } finally {
    await reader.close();
  }
}

const closest = (question: string, except?: string) => {
  const topic = readTopics(answerer.reader, readMessage(answerer.reader, messageWords(question))).find((t) => t.label !== except && answerer.kb.byId.has(t.label));
  return topic && { entryId: topic.label, confidence: Math.round(topic.probability * 1000) / 1000 };
};

describe('the report on seeded data', () => {
  it('totals: questions, answered, not found, 👍 and 👎, within the period only', async () => {
    expect((await report()).totals).toEqual({ questions: 15, answered: 7, answeredByServers: 0, notFound: 7, up: 2, down: 4, askers: 3 });
    // The 40-day-old question is in a 60-day report.
    expect((await report(60)).totals).toMatchObject({ questions: 16, notFound: 8 });
  });

  it('answer rates per language and per entry point: answered of answered + not found', async () => {
    const { rates } = await report();
    expect(rates.byLang).toEqual([
      { key: 'pl', questions: 13, answered: 5, notFound: 7, answerRate: 5 / 12 },
      { key: 'en', questions: 2, answered: 2, notFound: 0, answerRate: 1 },
    ]);
    expect(rates.byVia).toEqual([
      { key: 'dm', questions: 10, answered: 4, notFound: 6, answerRate: 4 / 10 },
      { key: 'slash', questions: 3, answered: 3, notFound: 0, answerRate: 1 },
      { key: 'mention', questions: 2, answered: 0, notFound: 1, answerRate: 0 },
    ]);
  });

  it('unanswered questions grouped by their folded words, most frequent first', async () => {
    expect((await report()).unanswered).toEqual([
      { question: 'Jaka będzie pogoda?', count: 3, variants: 2, lang: 'pl' },
      // Each spelling asked once: the shorter one represents the group.
      { question: 'kol senter', count: 2, variants: 2, lang: 'pl' },
      { question: expect.stringContaining('alert'), count: 1, variants: 1, lang: 'pl' },
      { question: 'Ile kosztuje outsourcing księgowości w Krakowie?', count: 1, variants: 1, lang: 'pl' },
    ]);
  });

  it('entries with their votes, most 👎 first, with the questions behind the 👎', async () => {
    expect((await report()).entries).toEqual([
      {
        id: 'back-office',
        title: answerer.kb.byId.get('back-office')!.title.pl,
        up: 2,
        down: 2,
        downQuestions: [
          { question: 'co robi back office w banku', count: 1, variants: 1, lang: 'pl' },
          { question: 'Co to jest back office?', count: 1, variants: 1, lang: 'pl' },
        ],
      },
      {
        id: 'call-centers',
        title: answerer.kb.byId.get('call-centers')!.title.pl,
        up: 0,
        down: 1,
        downQuestions: [{ question: 'co robi call center w nocy', count: 1, variants: 1, lang: 'pl' }],
      },
      { id: 'front-office', title: answerer.kb.byId.get('front-office')!.title.pl, up: 0, down: 1, downQuestions: [{ question: 'What is front office?', count: 1, variants: 1, lang: 'en' }] },
    ]);
  });

  it('suggestions: each group with the entry the reader ranks closest (another one after a 👎), most asked first', async () => {
    const { suggestions, unanswered } = await report();
    const floor = ANSWER_CONFIG.minConfidence / 2;
    const known = knownPhrasings(answerer);
    // What the report may suggest: the unanswered groups, and the 👎 questions (closest other entry).
    const downVoted: [string, string][] = [
      ['Co to jest back office?', 'back-office'],
      ['What is front office?', 'front-office'],
      ['co robi call center w nocy', 'call-centers'],
      ['co robi back office w banku', 'back-office'],
    ];
    const candidates = [
      ...unanswered.map((group) => ({ question: group.question, count: group.count, hit: closest(group.question), from: 'unanswered' })),
      ...downVoted.map(([question, entryId]) => ({ question, count: 1, hit: closest(question, entryId), from: 'down' })),
    ];
    const expected = candidates
      .filter(({ question, hit }) => hit !== undefined && hit.confidence >= floor && !known.has(foldText(question)))
      .map(({ question, count, hit, from }) => ({ question, count, ...hit!, from }))
      .sort((a, b) => b.count - a.count || b.confidence - a.confidence || a.question.localeCompare(b.question));
    expect(suggestions.map(({ question, count, entryId, confidence, from }) => ({ question, count, entryId, confidence, from }))).toEqual(expected);
    for (const s of suggestions) expect(s.entryTitle).toBe(answerer.kb.byId.get(s.entryId)!.title.pl);

    // Whatever the reader learned: a misspelt topic is suggested for its entry, the weather for nothing,
    // and a question that already is a phrasing (the title "What is front office?") is never suggested.
    expect(suggestions[0]).toMatchObject({ question: 'kol senter', count: 2, entryId: 'call-centers', from: 'unanswered' });
    expect(closest('Jaka będzie pogoda?')!.confidence).toBeLessThan(floor);
    expect(suggestions.map((s) => s.question)).not.toContain('Jaka będzie pogoda?');
    expect(suggestions.map((s) => s.question)).not.toContain('What is front office?');
    expect(suggestions.map((s) => s.question)).not.toContain('Co to jest back office?');
  });

  it('leaves out a suggestion whose closest entry is less than half-way to the answer threshold', async () => {
    const floor = ANSWER_CONFIG.minConfidence / 2;
    const weak = ['How do I center a div in CSS?', 'how to install python on windows', 'Jak upiec sernik z centrum miasta?']
      .map((question) => ({ question, hit: closest(question) }))
      .find(({ hit }) => hit !== undefined && hit.confidence < floor);
    expect(weak, 'a question with a weak closest entry').toBeDefined();
    const weakPath = join(mkdtempSync(join(tmpdir(), 'feedback-report-')), 'feedback.db');
    const feedback = createFeedback({ path: weakPath, secret: 's'.repeat(64), retentionDays: 90 }, captureLogger().logger);
    for (let i = 0; i < 5; i++) feedback.recordQuestion({ via: 'dm', userId: A, result: { kind: 'not-found', question: weak!.question, lang: 'en', suggestions: [] } });
    await feedback.settled();
    feedback.close();
    const reader = openFeedbackReader(weakPath);
    const built = await buildReport(reader, answerer, { days: 30 });
    await reader.close();
    expect(built.unanswered).toEqual([expect.objectContaining({ question: weak!.question, count: 5 })]);
    expect(built.suggestions).toEqual([]);
  });

  it('as text: every figure, and the kb:learn command for each suggestion', async () => {
    const text = renderReportText(await report());
    expect(text).toMatch(/^Feedback report: the last 30 days \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)\n/);
    expect(text).toContain('  questions      15  from 3 askers');
    expect(text).toContain('  answered        7');
    expect(text).toContain('  not found       7');
    expect(text).toContain('  other           1  (greetings, help, too long)');
    expect(text).toContain('  👍 2   👎 4');
    expect(text).toContain('    pl        42%  (5 of 12; 13 questions)');
    expect(text).toContain('    mention    0%  (0 of 1; 2 questions)');
    expect(text).toContain('       3  "Jaka będzie pogoda?" [pl]  (2 spellings)');
    expect(text).toContain('  back-office (Czym jest back-office?): 👍 2  👎 2');
    expect(text).toContain(`npm run kb:learn -- --entry call-centers --lang pl --question='kol senter'`);
    expect(text).not.toContain('\u001b');
  });

  it('as HTML: one self-contained page with bar charts in HTML, every user text escaped', async () => {
    const html = renderReportHtml(await report());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html.match(/<div class="chart"/g)?.length).toBe(4);
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain(escapeHtml('„Jaka będzie pogoda?” [pl] (2 spellings)'));
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).not.toContain('\u001b');
    // The answer-rate bar of "pl" is 5/12 of the track.
    expect(html).toContain(`width:${((5 / 12) * 100).toFixed(1)}%`);
  });
});

describe('npm run report', () => {
  const env = () => scriptEnv({ FEEDBACK_DB: path });

  it('prints the text report', async () => {
    const result = await runScript('dist/cli/report.js', env());
    expect(result.code).toBe(0);
    // The same text as rendered here, but for the first line's dates (the process has its own clock).
    const withoutPeriod = (text: string) => text.split('\n').slice(1).join('\n');
    expect(result.stdout).toMatch(/^Feedback report: the last 30 days/);
    expect(withoutPeriod(result.stdout)).toBe(withoutPeriod(renderReportText(await report())));
  });

  it('--json prints one JSON object with the documented fields', async () => {
    const result = await runScript('dist/cli/report.js', env(), { args: ['--json', '--days', '60'] });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(result.stdout);
    expect(json.totals).toMatchObject({ questions: 16, answered: 7, notFound: 8, up: 2, down: 4 });
    expect(json.unanswered[0]).toMatchObject({ question: 'Jaka będzie pogoda?', count: 3 });
    expect(json.unanswered.map((u: { question: string }) => u.question)).toContain('Kto wygrał mundial?');
    expect(json.entries).toEqual([
      expect.objectContaining({ id: 'back-office', up: 2, down: 2 }),
      expect.objectContaining({ id: 'call-centers', up: 0, down: 1 }),
      expect.objectContaining({ id: 'front-office', up: 0, down: 1 }),
    ]);
    expect(json.suggestions[0]).toMatchObject({ question: 'kol senter', count: 2, entryId: 'call-centers', confidence: expect.any(Number) });
    const { period: _period, ...rest } = json;
    const { period: _expected, ...expected } = await report(60);
    expect(rest).toEqual(expected);
  });

  it('--html FILE writes the page, owner-only like the database (also over a file others could read)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'report-html-')), 'report.html');
    writeFileSync(file, 'old', { mode: 0o644 });
    chmodSync(file, 0o644);
    const result = await runScript('dist/cli/report.js', env(), { args: ['--html', file] });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`HTML report written to ${file}\n`);
    expect(result.stdout).toBe('');
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>[\s\S]*<div class="chart"[\s\S]*<\/html>\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('says in one sentence when there is no database, or storage is off, and rejects bad options', async () => {
    const missing = await runScript('dist/cli/report.js', scriptEnv({ FEEDBACK_DB: join(tmpdir(), 'no-such-dir', 'feedback.db') }));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^There is no feedback database at .*feedback\.db yet: .*\.\n$/);
    const off = await runScript('dist/cli/report.js', scriptEnv({ FEEDBACK_DB: 'off' }));
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/^FEEDBACK_DB is off/);
    const days = await runScript('dist/cli/report.js', env(), { args: ['--days', 'ten'] });
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/^--days must be a whole number of days from 1 to 3650\nUsage:/);
  });
});

describe('grouping', () => {
  it('groups by folded words: diacritics, case, punctuation, repeats and word order do not split a group', () => {
    expect(questionGroupKey('Jaka będzie pogoda?')).toBe(questionGroupKey('jaka bedzie pogoda'));
    expect(questionGroupKey('Pogoda, jaka będzie?')).toBe(questionGroupKey('jaka bedzie pogoda'));
    expect(questionGroupKey('Co to jest back office?')).toBe(questionGroupKey('co to jest BACK-OFFICE'));
    expect(questionGroupKey('Co to jest back office?')).toBe(questionGroupKey('co to jest back office office'));
    expect(questionGroupKey('Jaka będzie pogoda?')).not.toBe(questionGroupKey('Kto wygrał mundial?'));
    expect(questionGroupKey('co to jest?')).not.toBe(questionGroupKey('a to co?'));
  });

  it('represents a group by its most frequent text, ties to the shorter', () => {
    expect(
      groupQuestions([
        { question: 'jaka bedzie pogoda', lang: 'pl', count: 2 },
        { question: 'Jaka będzie pogoda?', lang: 'pl', count: 2 },
        { question: 'JAKA BĘDZIE POGODA???', lang: 'pl', count: 1 },
      ]),
    ).toEqual([{ question: 'jaka bedzie pogoda', count: 5, variants: 3, lang: 'pl' }]);
  });

  it('quotes a suggested question for the shell, whatever it holds', () => {
    expect(shellQuote(`it's $(rm -rf /) "x"`)).toBe(`'it'\\''s $(rm -rf /) "x"'`);
  });
});
