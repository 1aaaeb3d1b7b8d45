/**
 * The report as one self-contained HTML page: inline CSS, bar charts drawn in HTML, no script and
 * no external asset (its Content-Security-Policy forbids both), readable on a phone. Every text
 * from the database is escaped: the questions are whatever users typed.
 */
import type { QuestionGroup, Rate, Report } from './report.ts';
import { learnCommand } from './report-text.ts';

const COLORS = { bar: '#2f6fdd', up: '#2e9d5b', down: '#d64545', track: '#e8ecf3' };

export function renderReportHtml(report: Report): string {
  const { totals } = report;
  const other = totals.questions - totals.answered - totals.notFound;
  const period = `the last ${report.period.days} day${report.period.days === 1 ? '' : 's'} (${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)})`;
  const cards = [
    ['questions', totals.questions],
    ['answered', totals.answered],
    ["by servers' own entries", totals.answeredByServers],
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
  .chart { background: #fff; border-radius: .5rem; padding: .5rem .75rem; box-shadow: 0 1px 2px #0001; }
  .bar { margin: .35rem 0 .6rem; }
  .bar-head { display: flex; gap: .75rem; justify-content: space-between; font-size: .85rem; }
  .bar-head span { overflow-wrap: anywhere; } .bar-head b { white-space: nowrap; font-weight: 600; }
  .track { display: flex; height: .75rem; margin-top: .2rem; background: ${COLORS.track}; border-radius: .2rem; overflow: hidden; }
  .track span { display: block; height: 100%; }
  .none { color: #5b6475; font-style: italic; }
  ol { padding-left: 1.2rem; } li { margin: .6rem 0; overflow-wrap: anywhere; }
  code { display: block; font-size: .8rem; background: #eef1f6; padding: .3rem .4rem; border-radius: .3rem; white-space: pre-wrap; overflow-wrap: anywhere; }
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
<h2>Servers' own entries answering most</h2>
${serverEntryChart(report)}
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

/**
 * Horizontal bars in HTML, each with its label on the left and its value on the right above it:
 * they take the column's width at any screen size, and their text keeps the page's size and wraps
 * rather than being cut.
 */
function barChart(bars: Bar[], description: string): string {
  if (bars.length === 0) return '<p class="none">none</p>';
  const rows = bars.map((bar) => {
    const segments = bar.segments.map((segment) => `<span style="width:${(Math.max(0, Math.min(1, segment.share)) * 100).toFixed(1)}%;background:${segment.color}"></span>`);
    return `<div class="bar" title="${escapeHtml(bar.label)}"><div class="bar-head"><span>${escapeHtml(bar.label)}</span><b>${escapeHtml(bar.value)}</b></div><div class="track">${segments.join('')}</div></div>`;
  });
  return `<div class="chart" role="img" aria-label="${escapeHtml(description)}">${rows.join('')}</div>`;
}

function rateChart(rates: Rate[]): string {
  return barChart(
    rates.map((rate) => ({
      // "211 answered of 317", and the greetings and the like only when there are some.
      label: `${rate.key}: ${rate.answered} answered of ${rate.answered + rate.notFound}${rate.questions > rate.answered + rate.notFound ? `, ${rate.questions - rate.answered - rate.notFound} other` : ''}`,
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

function serverEntryChart(report: Report): string {
  const max = Math.max(1, ...report.serverEntries.map((entry) => entry.count));
  return barChart(
    report.serverEntries.map((entry) => ({
      label: `${entry.id}: ${entry.questions.map((group) => group.question).join(' · ')}`,
      segments: [{ share: entry.count / max, color: COLORS.bar }],
      value: String(entry.count),
    })),
    "questions answered by servers' own entries",
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
      `<code>${escapeHtml(learnCommand(s.entryId, s.lang, s.question))}</code></li>`,
  );
  return `<ol>${items.join('')}</ol>`;
}

function groupLabel(group: QuestionGroup): string {
  return `„${group.question}” [${group.lang}]${group.variants > 1 ? ` (${group.variants} spellings)` : ''}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/[\p{Cc}\p{Cf}]/gu, ' ');
}
