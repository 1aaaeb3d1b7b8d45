/**
 * Search benchmark: answer quality against a plain fuse.js baseline, time per question on the
 * shipped and on a 10,000-entry synthetic knowledge base, and start-up time. Run with
 * `npm run bench`; it exits 1 when a target is missed. The held-out question sets are only ever
 * reported in totals, never question by question.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { answer, createAnswerer, type Answerer } from '../../src/answering/answer.ts';
import { splitParagraphs } from '../../src/knowledge/article.ts';
import { DEFAULT_KNOWLEDGE_FILE, loadKnowledgeBase, parseKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { toReply } from '../../src/responder/reply.ts';
import { setup as buildOnce } from '../support/build.ts';
import {
  CATEGORIES,
  DEVELOPMENT_SETS,
  HELD_OUT_SETS,
  loadQuestionSet,
  scoreForms,
  scoreQuestionSet,
  type Answered,
  type CategoryScore,
  type FormScore,
  type Question,
} from '../support/question-sets.ts';
import { formatMs, median, summarize, type Summary } from './percentiles.ts';
import { buildSyntheticKnowledgeFile, seededRandom, sizeStats, SYNTHETIC_DEFAULTS } from './synthetic-kb.ts';
import { formatTable } from './table.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every development set, then all of them together, then the held-out sets. */
const ALL_DEVELOPMENT = 'development (all)';
const SETS = [...DEVELOPMENT_SETS, ALL_DEVELOPMENT, ...HELD_OUT_SETS] as const;
type SetName = (typeof SETS)[number];
/**
 * `--development-only` leaves the held-out sets out entirely, for runs while the search is being
 * changed: it is meant to be measured before a change and once after it, not in between.
 */
const DEVELOPMENT_ONLY = process.argv.includes('--development-only');
const MEASURED_SETS: readonly SetName[] = DEVELOPMENT_ONLY ? SETS.filter((name) => !(HELD_OUT_SETS as readonly string[]).includes(name)) : SETS;
/** The sets the quality targets apply to: the development sets together, and each held-out one. */
const TARGET_SETS: readonly SetName[] = DEVELOPMENT_ONLY ? [ALL_DEVELOPMENT] : [ALL_DEVELOPMENT, ...HELD_OUT_SETS];
const TIMED_SETS: readonly SetName[] = DEVELOPMENT_ONLY ? DEVELOPMENT_SETS : [...DEVELOPMENT_SETS, ...HELD_OUT_SETS];

/**
 * `BENCH_TARGETS` (JSON) overrides targets, and `BENCH_SYNTHETIC_ENTRIES` the synthetic base's size:
 * the test of this bench's exit code uses both to run it small, with a target it must miss.
 */
const TARGETS = { shippedP99Ms: 1, syntheticP99Ms: 20, inScope: 0.95, perCategory: 0.9, declined: 0.95, ...(JSON.parse(process.env.BENCH_TARGETS ?? '{}') as object) };
const SYNTHETIC_ENTRIES = Number(process.env.BENCH_SYNTHETIC_ENTRIES ?? 10_000);
/** Timed passes after the warm-up pass: more samples make p99 less hostage to a single GC pause. */
const TIMED_PASSES = { shipped: 5, synthetic: 3 };
/**
 * Wall-time budget per knowledge base, so the whole bench stays near a minute even when the search is
 * slow: the warm-up pass gets half of it, and the timed passes repeat only the questions it reached.
 * At least one full timed pass of those questions always runs.
 */
const BUDGET_MS = { shipped: 10_000, synthetic: 12_000 };
const STARTUP_RUNS = { inProcess: Number(process.env.BENCH_STARTUP_RUNS ?? 20), process: Math.min(5, Number(process.env.BENCH_STARTUP_RUNS ?? 5)) };
const CLI_QUESTION = 'Co to jest BPO?';

type Ask = (question: string) => Answered | null;

function main(): void {
  const benchStart = performance.now();
  // Read once: the knowledge file may be edited while the bench runs, and every measurement should
  // see the same snapshot.
  const kb = loadKnowledgeBase();
  const shippedFile = JSON.parse(readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8')) as Record<string, unknown>;
  const development = DEVELOPMENT_SETS.map((name) => [name, loadQuestionSet(name)] as const);
  const questionSets = new Map<SetName, Question[]>([...development, [ALL_DEVELOPMENT, development.flatMap(([, set]) => set)]]);
  if (!DEVELOPMENT_ONLY) for (const name of HELD_OUT_SETS) questionSets.set(name, loadQuestionSet(name));

  section('1. Quality (in-domain: top-1 accuracy; oos: rejection rate)');
  const quality = measureQuality(kb, questionSets);
  console.log(qualityTable(quality, questionSets));
  console.log(formsTable(quality));
  console.log(
    '\n"this bot": right when an answer quote covers an expected sentence; oos right when nothing is answered.\n' +
      '"plain fuse.js": new Fuse(paragraphs, { includeScore: true }) over the article paragraphs (title line skipped);\n' +
      'the top paragraph is the answer and its whole text the quote (lenient: a paragraph holds several sentences).',
  );

  section('2. Speed (time per question)');
  // Shuffled once, the same order for both bases: if a budget cuts a run short, the questions it
  // reached are still a fair mix of both sets and all categories.
  const questions = shuffle(TIMED_SETS.flatMap((name) => questionSets.get(name)!.map((question) => question.q)));
  const shippedRun = timeQuestions(createAnswerer(kb), questions, TIMED_PASSES.shipped, BUDGET_MS.shipped);

  const synthetic = buildSynthetic(kb, shippedFile);
  const syntheticRun = timeQuestions(synthetic.answerer, questions, TIMED_PASSES.synthetic, BUDGET_MS.synthetic);

  console.log(
    formatTable(
      ['knowledge base', 'entries', 'pass', 'questions', 'samples', 'p50', 'p99', 'max'],
      [
        speedRow('shipped', kb.entries.length, 'warm', shippedRun, shippedRun.warm),
        speedRow('shipped', kb.entries.length, 'first (cold cache)', shippedRun, shippedRun.first),
        speedRow('synthetic', synthetic.answerer.kb.entries.length, 'warm', syntheticRun, syntheticRun.warm),
        speedRow('synthetic', synthetic.answerer.kb.entries.length, 'first (cold cache)', syntheticRun, syntheticRun.first),
      ],
      ['left', 'right', 'left'],
    ),
  );
  console.log(
    `\n${questions.length} questions (${TIMED_SETS.join(" + ")}). "warm": up to ${TIMED_PASSES.shipped} (shipped) / ${TIMED_PASSES.synthetic} (synthetic) timed passes after a warm-up pass;\n` +
      '"first": that warm-up pass on a freshly built index, before the fuzzy-match cache holds any typo (JIT already warm).',
  );
  for (const [name, run] of [['shipped', shippedRun], ['synthetic', syntheticRun]] as const) {
    if (run.covered < questions.length) {
      console.log(`NOTE: ${name}: time budget (${formatMs(run.budgetMs)}) reached; timed only the first ${run.covered} of ${questions.length} (shuffled) questions.`);
    }
  }

  console.log('\nSynthetic knowledge base');
  console.log(
    formatTable(
      ['step', 'time'],
      [
        ['generate JSON', formatMs(synthetic.generateMs)],
        ['parseKnowledgeBase (validate)', formatMs(synthetic.parseMs)],
        ['createAnswerer (index build)', formatMs(synthetic.buildMs)],
      ],
    ),
  );
  console.log('');
  const shippedSize = sizeStats(kb.entries);
  const generatedSize = sizeStats(synthetic.answerer.kb.entries.slice(kb.entries.length));
  console.log(
    formatTable(
      ['entries', 'count', 'questions/entry', 'keywords/entry', 'chars/entry', 'distinct words'],
      [
        ['shipped', String(shippedSize.entries), shippedSize.questionsPerEntry.toFixed(1), shippedSize.keywordsPerEntry.toFixed(1), shippedSize.charsPerEntry.toFixed(0), String(shippedSize.distinctWords)],
        ['generated', String(generatedSize.entries), generatedSize.questionsPerEntry.toFixed(1), generatedSize.keywordsPerEntry.toFixed(1), generatedSize.charsPerEntry.toFixed(0), String(generatedSize.distinctWords)],
      ],
    ),
  );
  console.log(
    `\nThe synthetic base holds the ${kb.entries.length} shipped entries plus ${generatedSize.entries} generated from them as templates: ` +
      `${Math.round((1 - SYNTHETIC_DEFAULTS.keepShare) * 100)}% of words\nreplaced from a ${SYNTHETIC_DEFAULTS.vocabularySize.toLocaleString('en')}-word pseudo-Polish vocabulary ` +
      '(Zipf-like frequencies), real quotes reused, ids unique.',
  );

  section('3. Start-up time');
  const inProcess = startupInProcess();
  const wholeProcess = startupProcess();
  const startupRow = (what: string, times: number[]) =>
    times.length === 0 ? [what, '0', 'n/a', 'n/a', 'n/a'] : [what, String(times.length), formatMs(median(times)), formatMs(Math.min(...times)), formatMs(Math.max(...times))];
  console.log(
    formatTable(
      ['what', 'runs', 'median', 'min', 'max'],
      [startupRow('in-process: loadKnowledgeBase + createAnswerer (shipped)', inProcess.times), startupRow(`whole process: node dist/cli/ask.js --json "${CLI_QUESTION}"`, wholeProcess.times)],
      ['left'],
    ),
  );
  const problems = [...inProcess.problems.map((p) => `in-process: ${p}`), ...wholeProcess.problems.map((p) => `CLI: ${p}`)];
  if (problems.length > 0) console.log(`\nProblems (the knowledge file may have changed during the run):\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  section('4. Targets');
  const rows: string[][] = [
    target(`p99 per question, shipped (${kb.entries.length} entries), warm`, formatMs(shippedRun.warm.p99), `< ${TARGETS.shippedP99Ms} ms`, shippedRun.warm.p99 < TARGETS.shippedP99Ms),
    target(
      `p99 per question, synthetic (${synthetic.answerer.kb.entries.length.toLocaleString('en')} entries), warm`,
      formatMs(syntheticRun.warm.p99),
      `< ${TARGETS.syntheticP99Ms} ms`,
      syntheticRun.warm.p99 < TARGETS.syntheticP99Ms,
    ),
  ];
  for (const name of TARGET_SETS) {
    const { bot } = quality.get(name)!;
    const inScope = combine(bot.filter((score) => score.category !== 'oos'));
    rows.push(target(`quality, ${name}, in scope overall`, percent(inScope), `>= ${TARGETS.inScope * 100}%`, inScope.rate >= TARGETS.inScope));
    for (const score of bot) {
      const goal = score.category === 'oos' ? TARGETS.declined : TARGETS.perCategory;
      rows.push(target(`quality, ${name}, ${score.category === 'oos' ? 'out of scope declined' : score.category}`, percent(score), `>= ${goal * 100}%`, score.rate >= goal));
    }
  }
  console.log(formatTable(['target', 'measured', 'goal', 'result'], rows, ['left', 'right', 'left', 'left']));
  const failed = rows.filter((row) => row[3] === 'FAIL').length;
  console.log(`\n${rows.length - failed}/${rows.length} targets met. Total bench time ${formatMs(performance.now() - benchStart)}.`);
  // A missed target fails the run, so scripts and people notice.
  process.exitCode = failed > 0 ? 1 : 0;
}

function section(title: string): void {
  console.log(`\n=== ${title} ===\n`);
}

// ---- Quality ----

interface SetQuality {
  bot: CategoryScore[];
  fuse: CategoryScore[];
  forms: FormScore;
}

function measureQuality(kb: KnowledgeBase, questionSets: Map<SetName, Question[]>): Map<SetName, SetQuality> {
  const answerer = createAnswerer(kb);
  const bot: Ask = (question) => {
    const result = answer(question, answerer);
    if (result.kind !== 'answer') return null;
    const reply = toReply(result, kb);
    return { id: result.entry.id, quotes: reply.attribution!.quotes.map((q) => q.quote), text: reply.body };
  };
  const fuse = plainFuse(kb.article.text);
  return new Map(
    MEASURED_SETS.map((name) => {
      const questions = questionSets.get(name)!;
      return [name, { bot: scoreQuestionSet(questions, bot), fuse: scoreQuestionSet(questions, fuse), forms: scoreForms(questions, bot) }];
    }),
  );
}

function formsTable(quality: Map<SetName, SetQuality>): string {
  const ratio = ({ correct, total }: { correct: number; total: number }) => (total === 0 ? 'n/a' : `${((correct / total) * 100).toFixed(1)}% (${correct}/${total})`);
  return `\n${formatTable(
    ['set', 'yes/no questions answered right: yes or no first', 'compound questions and comparisons answered: every part quoted'],
    MEASURED_SETS.map((name) => [name, ratio(quality.get(name)!.forms.verdicts), ratio(quality.get(name)!.forms.parts)]),
  )}`;
}

/** The baseline a first attempt would ship: fuse.js with its defaults over the article's paragraphs. */
function plainFuse(articleText: string): Ask {
  const withoutTitle = articleText.slice(articleText.indexOf('\n') + 1);
  const paragraphs = splitParagraphs(withoutTitle);
  const fuse = new Fuse(paragraphs, { includeScore: true });
  return (question) => {
    const top = fuse.search(question)[0];
    return top ? { quotes: [top.item], id: `paragraph ${top.refIndex + 1}`, text: top.item } : null;
  };
}

function qualityTable(quality: Map<SetName, SetQuality>, questionSets: Map<SetName, Question[]>): string {
  const headers = ['category'];
  for (const name of MEASURED_SETS) headers.push(`${name} n`, `${name}: this bot`, `${name}: plain fuse.js`);
  const rows = CATEGORIES.map((category) => {
    const row = [category === 'oos' ? 'oos (rejected)' : category];
    for (const name of MEASURED_SETS) {
      const { bot, fuse } = quality.get(name)!;
      const b = bot.find((score) => score.category === category)!;
      const f = fuse.find((score) => score.category === category)!;
      row.push(String(b.total), percent(b), percent(f));
    }
    return row;
  });
  const overall = ['all'];
  for (const name of MEASURED_SETS) {
    const { bot, fuse } = quality.get(name)!;
    overall.push(String(questionSets.get(name)!.length), percent(combine(bot)), percent(combine(fuse)));
  }
  rows.push(overall);
  return formatTable(headers, rows);
}

function combine(scores: CategoryScore[]): Pick<CategoryScore, 'correct' | 'total' | 'rate'> {
  const correct = scores.reduce((sum, score) => sum + score.correct, 0);
  const total = scores.reduce((sum, score) => sum + score.total, 0);
  return { correct, total, rate: total === 0 ? 1 : correct / total };
}

function percent(score: Pick<CategoryScore, 'correct' | 'total' | 'rate'>): string {
  return `${(score.rate * 100).toFixed(1)}% (${score.correct}/${score.total})`;
}

// ---- Speed ----

interface TimedRun {
  first: Summary;
  warm: Summary;
  /** Questions reached by the warm-up pass within the budget, and so timed. */
  covered: number;
  total: number;
  budgetMs: number;
}

function timeQuestions(answerer: Answerer, questions: readonly string[], passes: number, budgetMs: number): TimedRun {
  const started = performance.now();
  const timeOne = (question: string) => {
    const start = performance.now();
    answer(question, answerer);
    return performance.now() - start;
  };
  const first: number[] = [];
  for (const question of questions) {
    if (first.length > 0 && performance.now() - started > budgetMs / 2) break;
    first.push(timeOne(question));
  }
  const covered = questions.slice(0, first.length);
  const warm: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const question of covered) {
      if (pass > 0 && performance.now() - started > budgetMs) break;
      warm.push(timeOne(question));
    }
  }
  return { first: summarize(first), warm: summarize(warm), covered: covered.length, total: questions.length, budgetMs };
}

function speedRow(name: string, entries: number, pass: string, run: TimedRun, summary: Summary): string[] {
  return [name, entries.toLocaleString('en'), pass, `${run.covered}/${run.total}`, String(summary.count), formatMs(summary.p50), formatMs(summary.p99), formatMs(summary.max)];
}

function shuffle<T>(items: readonly T[]): T[] {
  const random = seededRandom(7);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

function buildSynthetic(kb: KnowledgeBase, shippedFile: Record<string, unknown>): { answerer: Answerer; generateMs: number; parseMs: number; buildMs: number } {
  let start = performance.now();
  const json = buildSyntheticKnowledgeFile(shippedFile, kb.entries, { total: SYNTHETIC_ENTRIES });
  const generateMs = performance.now() - start;
  start = performance.now();
  const syntheticKb = parseKnowledgeBase(json, kb.article.text, 'synthetic knowledge');
  const parseMs = performance.now() - start;
  start = performance.now();
  const answerer = createAnswerer(syntheticKb);
  const buildMs = performance.now() - start;
  return { answerer, generateMs, parseMs, buildMs };
}

// ---- Start-up ----

/** Loads from disk on every run, as start-up does; a failed load is reported instead of ending the bench. */
function startupInProcess(): { times: number[]; problems: string[] } {
  const times: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < STARTUP_RUNS.inProcess; i++) {
    const start = performance.now();
    try {
      createAnswerer(loadKnowledgeBase());
      times.push(performance.now() - start);
    } catch (error) {
      problems.push(`run ${i + 1}: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`);
    }
  }
  return { times, problems };
}

/** Wall time from spawn to exit of the real CLI as `npm run ask` runs it (compiled): module loading and the knowledge base included. */
function startupProcess(): { times: number[]; problems: string[] } {
  buildOnce();
  const times: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < STARTUP_RUNS.process; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, ['dist/cli/ask.js', '--json', CLI_QUESTION], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (run.error) problems.push(`run ${i + 1}: ${run.error.message}`);
    else if (run.status !== 0) problems.push(`run ${i + 1}: exit code ${run.status}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    else if (!isJson(run.stdout)) problems.push(`run ${i + 1}: output is not JSON: ${run.stdout.slice(0, 80)}`);
  }
  return { times, problems };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---- Targets ----

function target(name: string, measured: string, goal: string, met: boolean): string[] {
  return [name, measured, goal, met ? 'PASS' : 'FAIL'];
}

main();
