/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser: `npm run report -- --html` on a seeded database, opened in
 * headless Chromium (Debian's, driven by playwright-core) at a desktop and a phone width. No text
 * may be clipped, nothing may overflow sideways, and the charts use the column's width. The pages
 * are kept as screenshots (REPORT_SCREENSHOTS names the folder; a scratch folder otherwise).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerById, type AnswerResult } from '../src/answering/answer.ts';
import { loadAnswerer } from '../src/answering/load.ts';
import { createFeedback } from '../src/feedback/recorder.ts';
import { captureLogger } from './support/capture-log.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

const CHROMIUM = '/usr/bin/chromium';
const WIDTHS = [1280, 390] as const;

let browser: Browser;
let page: string;
const shots = process.env.REPORT_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'report-shots-'));

/** A database with long questions, many votes on one entry, and suggestions whose commands are long. */
async function seed(path: string): Promise<void> {
  const answerer = loadAnswerer();
  const feedback = createFeedback({ path, secret: 'r'.repeat(64), retentionDays: 90 }, captureLogger().logger);
  const notFound = (question: string): AnswerResult => ({ kind: 'not-found', question, lang: 'pl', suggestions: [] });
  const asked: [string, AnswerResult][] = [
    ...Array.from({ length: 17 }, (_, i) => [`co to jest back office w banku numer ${i}`, answerById('back-office', answerer, 'pl')] as [string, AnswerResult]),
    ...Array.from({ length: 9 }, () => ['kol senter', notFound('kol senter')] as [string, AnswerResult]),
    ['Czy firma, która od lat prowadzi dla nas całą obsługę infolinii i reklamacji w trzech językach, to już pełnoprawne BPO?', notFound('Czy firma, która od lat prowadzi dla nas całą obsługę infolinii i reklamacji w trzech językach, to już pełnoprawne BPO?')],
    ['jaka będzie pogoda w Krakowie w weekend?', notFound('jaka będzie pogoda w Krakowie w weekend?')],
  ];
  const refs: string[] = [];
  for (const [text, result] of asked) refs.push(feedback.recordQuestion({ via: 'dm', userId: `u${refs.length % 7}`, result: { ...result, question: text } })!);
  for (const [i, ref] of refs.slice(0, 17).entries()) await feedback.recordVote({ userId: `v${i}`, vote: i < 12 ? 'down' : 'up', entryId: 'back-office', answerRef: ref });
  await feedback.settled();
  feedback.close();
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  const db = join(dir, 'feedback.db');
  await seed(db);
  page = join(dir, 'report.html');
  const result = await runScript('dist/cli/report.js', scriptEnv({ FEEDBACK_DB: db }), { args: ['--html', page] });
  expect(result.code).toBe(0);
  expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian's chromium; .ci/run installs it)`).toBe(true);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(WIDTHS)('the HTML report at %i px', (width) => {
  it('clips no text, overflows nothing sideways, and its charts use the column', async () => {
    const view = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      await view.goto(pathToFileURL(page).href);
      const layout = await view.evaluate(() => {
        const clipped: string[] = [];
        for (const element of document.querySelectorAll<HTMLElement>('main *')) {
          if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible') clipped.push(`${element.tagName}: ${element.textContent?.slice(0, 60)}`);
        }
        // A chart's label and value must stay inside its row ("17👍" once lost its "👍" at the edge).
        const outside: string[] = [];
        const charts = [...document.querySelectorAll<HTMLElement>('.chart')];
        for (const head of document.querySelectorAll<HTMLElement>('.bar-head')) {
          const row = head.getBoundingClientRect();
          for (const part of head.children) {
            const box = part.getBoundingClientRect();
            if (box.left < row.left - 0.5 || box.right > row.right + 0.5) outside.push(part.textContent ?? '');
          }
        }
        const column = document.querySelector('main')!;
        const style = getComputedStyle(column);
        const columnWidth = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return {
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          clipped,
          outside,
          chartShares: charts.map((chart) => chart.getBoundingClientRect().width / columnWidth),
          // Text in a chart keeps the page's size instead of growing with the screen.
          chartFontPixels: charts.map((chart) => parseFloat(getComputedStyle(chart.querySelector('.bar-head')!).fontSize)),
        };
      });
      await view.screenshot({ path: join(shots, `report-${width}.png`), fullPage: true });
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(layout.clipped).toEqual([]);
      expect(layout.outside).toEqual([]);
      for (const pixels of layout.chartFontPixels) expect(pixels).toBeLessThanOrEqual(16);
      expect(layout.chartShares.length).toBeGreaterThanOrEqual(3);
      for (const share of layout.chartShares) expect(share).toBeGreaterThanOrEqual(0.98);
    } finally {
      await view.close();
    }
  }, 60_000);
});
