/** The report as plain text for a terminal. */
import type { QuestionGroup, Rate, Report } from './report.ts';

export function renderReportText(report: Report): string {
  const { totals } = report;
  const other = totals.questions - totals.answered - totals.notFound;
  const lines: string[] = [
    `Feedback report: the last ${report.period.days} day${report.period.days === 1 ? '' : 's'} (${day(report.period.from)} to ${day(report.period.to)})`,
    '',
    'Totals',
    `  questions  ${num(totals.questions)}  from ${totals.askers} asker${totals.askers === 1 ? '' : 's'}`,
    `  answered   ${num(totals.answered)}${totals.answeredByServers > 0 ? `  (${totals.answeredByServers} by servers' own entries)` : ''}`,
    `  not found  ${num(totals.notFound)}`,
    `  other      ${num(other)}  (greetings, help, too long)`,
    `  👍 ${totals.up}   👎 ${totals.down}`,
    '',
    'Answer rate (answered of answered + not found)',
    ...rateLines('by language', report.rates.byLang),
    ...rateLines('by entry point', report.rates.byVia),
    '',
    'Most frequent unanswered questions',
    ...orNone(report.unanswered.map((group) => `  ${num(group.count)}  ${groupText(group)}`)),
    '',
    'Entries with the most 👎',
    ...orNone(
      report.entries
        .filter((entry) => entry.down > 0)
        .flatMap((entry) => [
          `  ${entry.id}${entry.title ? ` (${clean(entry.title)})` : ' (no longer in the knowledge base)'}: 👍 ${entry.up}  👎 ${entry.down}`,
          ...entry.downQuestions.map((group) => `    ${num(group.count)}  ${groupText(group)}`),
        ]),
    ),
    '',
    "Servers' own entries (/wiedza) answering most",
    ...orNone(
      report.serverEntries.flatMap((entry) => [
        `  ${num(entry.count)}  ${entry.id}`,
        ...entry.questions.map((group) => `    ${num(group.count)}  ${groupText(group)}`),
      ]),
    ),
    '',
    `Suggested alternate questions (closest entry and its confidence; the answer threshold is ${report.minConfidence})`,
    ...orNone(
      report.suggestions.flatMap((s) => [
        `  ${num(s.count)}  ${groupText(s)}  →  ${s.entryId} (${clean(s.entryTitle)}), ${s.confidence.toFixed(2)}${s.from === 'down' ? ', after a 👎 on another entry' : ''}`,
        `        ${learnCommand(s.entryId, s.lang, s.question)}`,
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function rateLines(label: string, rates: Rate[]): string[] {
  if (rates.length === 0) return [`  ${label}: no questions`];
  return [`  ${label}:`, ...rates.map((rate) => `    ${rate.key.padEnd(8)} ${percent(rate.answerRate).padStart(4)}  (${rate.answered} of ${rate.answered + rate.notFound}; ${rate.questions} question${rate.questions === 1 ? '' : 's'})`)];
}

function groupText(group: QuestionGroup): string {
  const variants = group.variants > 1 ? `  (${group.variants} spellings)` : '';
  return `"${clean(group.question)}" [${group.lang}]${variants}`;
}

function orNone(lines: string[]): string[] {
  return lines.length > 0 ? lines : ['  none'];
}

/** Stored text is the users': no control or invisible formatting character reaches the keeper's terminal. */
function clean(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, ' ');
}

/**
 * The command that accepts a suggested question. `--question=…` keeps a question that starts with
 * "-" from being read as an option.
 */
export function learnCommand(entryId: string, lang: string, question: string): string {
  return `npm run kb:learn -- --entry ${entryId} --lang ${lang} --question=${shellQuote(question)}`;
}

function num(n: number): string {
  return String(n).padStart(6);
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** One shell word: single quotes, with any single quote inside closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${clean(text).replace(/'/g, `'\\''`)}'`;
}
