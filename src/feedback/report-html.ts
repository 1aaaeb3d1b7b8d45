/**
 * The report as one self-contained HTML page: inline CSS, bar charts in inline SVG, no script and
 * no external asset (its Content-Security-Policy forbids both), readable on a phone. Every text
 * from the database is escaped: the questions are whatever users typed.
 */
import type { QuestionGroup, Rate, Report } from './report.ts';
import { shellQuote } from './report-text.ts';

const COLORS = { bar: '#2f6fdd', up: '#2e9d5b', down: '#d64545', track: '#e8ecf3' };

export function renderReportHtml(report: Report): string {
  const { totals } = report;
  const other = totals.questions - totals.answered - totals.notFound;
  const period = `the last ${report.period.days} day${report.period.days === 1 ? '' : 's'} (${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)})`;
  const cards = [
    ['questions', totals.questions],
    ['answered', totals.answered],
    ['not found', totals.notFound],
    ['other', other],
    ['👍', totals.up],
    ['👎', totals.down],
  ] as const;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Feedback report: ${escapeHtml(period)}</title>
<style>
  body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; background: #f7f8fb; }
  main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: .5rem 0 0; } h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
  .period { color: #5b6475; margin: .25rem 0 1rem; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: .5rem; }
  .card { background: #fff; border-radius: .5rem; padding: .6rem .75rem; box-shadow: 0 1px 2px #0001; }
  .card b { display: block; font-size: 1.4rem; } .card span { color: #5b6475; font-size: .85rem; }
  svg { display: block; width: 100%; max-width: 30rem; height: auto; background: #fff; border-radius: .5rem; }
  svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
  .none { color: #5b6475; font-style: italic; }
  ol { padding-left: 1.2rem; } li { margin: .6rem 0; overflow-wrap: anywhere; }
  code { display: block; font-size: .8rem; background: #eef1f6; padding: .3rem .4rem; border-radius: .3rem; overflow-x: auto; white-space: pre; }
  .meta { color: #5b6475; font-size: .85rem; }
</style>
</head>
<body>
<main>
<h1>Feedback report</h1>
<p class="period">${escapeHtml(period)}; ${totals.askers} asker${totals.askers === 1 ? '' : 's'}</p>
<div class="cards">${cards.map(([label, value]) => `<div class="card"><b>${value}</b><span>${escapeHtml(label)}</span></div>`).join('')}</div>
<h2>Answer rate by language</h2>
${rateChart(report.rates.byLang)}
<h2>Answer rate by entry point</h2>
${rateChart(report.rates.byVia)}
<h2>Most frequent unanswered questions</h2>
${countChart(report.unanswered)}
<h2>Entries with the most 👎</h2>
${voteChart(report)}
${downQuestions(report)}
<h2>Suggested alternate questions</h2>
<p class="meta">Each with the entry the reader ranks closest and its confidence (an answer needs ${report.minConfidence}). Accept one with the command under it.</p>
${suggestions(report)}
</main>
</body>
</html>
`;
}

interface Bar {
  label: string;
  /** Segments drawn one after the other, each a share of the chart's width (0..1). */
  segments: { share: number; color: string }[];
  value: string;
}

const WIDTH = 340;
const ROW = 36;
const LABEL_CHARS = 52;

/** Horizontal bars, each labelled above, in a viewBox that scales to the screen. */
function barChart(bars: Bar[], description: string): string {
  if (bars.length === 0) return '<p class="none">none</p>';
  const height = bars.length * ROW + 8;
  const rows = bars.map((bar, i) => {
    const y = i * ROW + 8;
    let x = 0;
    const rects = bar.segments.map((segment) => {
      const width = Math.max(0, Math.min(1, segment.share)) * (WIDTH - 60);
      const rect = `<rect x="${(8 + x).toFixed(1)}" y="${y + 16}" width="${width.toFixed(1)}" height="12" rx="2" fill="${segment.color}"/>`;
      x += width;
      return rect;
    });
    return `<g><title>${escapeHtml(bar.label)}</title><text x="8" y="${y + 11}">${escapeHtml(shorten(bar.label))}</text><rect x="8" y="${y + 16}" width="${WIDTH - 60}" height="12" rx="2" fill="${COLORS.track}"/>${rects.join('')}<text x="${WIDTH - 46}" y="${y + 26}">${escapeHtml(bar.value)}</text></g>`;
  });
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(description)}">${rows.join('')}</svg>`;
}

function rateChart(rates: Rate[]): string {
  return barChart(
    rates.map((rate) => ({
      label: `${rate.key}: ${rate.answered} of ${rate.answered + rate.notFound} (${rate.questions} questions)`,
      segments: [{ share: rate.answerRate ?? 0, color: COLORS.bar }],
      value: rate.answerRate === null ? '–' : `${Math.round(rate.answerRate * 100)}%`,
    })),
    'answer rate',
  );
}

function countChart(groups: QuestionGroup[]): string {
  const max = Math.max(1, ...groups.map((group) => group.count));
  return barChart(
    groups.map((group) => ({ label: groupLabel(group), segments: [{ share: group.count / max, color: COLORS.bar }], value: String(group.count) })),
    'unanswered questions by count',
  );
}

function voteChart(report: Report): string {
  const voted = report.entries.filter((entry) => entry.down > 0);
  const max = Math.max(1, ...voted.map((entry) => entry.up + entry.down));
  return barChart(
    voted.map((entry) => ({
      label: `${entry.id}${entry.title ? `: ${entry.title}` : ' (no longer in the knowledge base)'}`,
      segments: [
        { share: entry.down / max, color: COLORS.down },
        { share: entry.up / max, color: COLORS.up },
      ],
      value: `${entry.down}👎 ${entry.up}👍`,
    })),
    'votes per entry, 👎 in red, 👍 in green',
  );
}

function downQuestions(report: Report): string {
  const voted = report.entries.filter((entry) => entry.downQuestions.length > 0);
  if (voted.length === 0) return '';
  const items = voted.map(
    (entry) => `<li><b>${escapeHtml(entry.id)}</b>: ${entry.downQuestions.map((group) => `${escapeHtml(groupLabel(group))} ×${group.count}`).join('; ')}</li>`,
  );
  return `<p class="meta">The questions behind the 👎:</p><ol>${items.join('')}</ol>`;
}

function suggestions(report: Report): string {
  if (report.suggestions.length === 0) return '<p class="none">none</p>';
  const items = report.suggestions.map(
    (s) =>
      `<li>${escapeHtml(groupLabel(s))} ×${s.count} → <b>${escapeHtml(s.entryId)}</b> (${escapeHtml(s.entryTitle)}), confidence ${s.confidence.toFixed(2)}${s.from === 'down' ? ', after a 👎 on another entry' : ''}` +
      `<code>${escapeHtml(`npm run kb:learn -- --entry ${s.entryId} --lang ${s.lang} --question ${shellQuote(s.question)}`)}</code></li>`,
  );
  return `<ol>${items.join('')}</ol>`;
}

function groupLabel(group: QuestionGroup): string {
  return `„${group.question}” [${group.lang}]${group.variants > 1 ? ` (${group.variants} spellings)` : ''}`;
}

function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= LABEL_CHARS ? text : `${chars.slice(0, LABEL_CHARS - 1).join('')}…`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/\p{Cc}/gu, ' ');
}
