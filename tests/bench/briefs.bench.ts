/**
 * Cross-validation by brief, the way a learned reader is measured: the corpus's briefs are split
 * into folds, and each fold is answered by a reader trained without any of its briefs (out-of-scope
 * examples are spread over the folds, so that every kind of them is learned). Reports, per brief,
 * how often the answer rests on the example's entry's sentence, how often out-of-scope messages are
 * declined, yes/no verdicts (and a yes or no given to an open question), and which entry was taken
 * for which most often. Run with
 * `npm run bench:briefs [-- --folds N]`.
 */
import { parseArgs } from 'node:util';
import { answer, createAnswerer, type AnswerResult } from '../../src/answering/answer.ts';
import type { CorpusExample } from '../../src/knowledge/corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { trainingInputs } from '../../src/reader/examples.ts';
import { readerOf, trainReader } from '../../src/reader/reader.ts';
import { formatMs } from './percentiles.ts';
import { formatTable } from './table.ts';

const { values } = parseArgs({ options: { folds: { type: 'string', default: '4' } } });
const FOLDS = Number(values.folds);
/** Briefs that belong to the knowledge base itself, not to one way of asking: always trained on. */
const ALWAYS_TRAINED = new Set(['knowledge-base', 'accepted']);

interface Tally {
  inScope: number;
  right: number;
  outOfScope: number;
  declined: number;
  verdicts: number;
  verdictsRight: number;
  verdictsOpposite: number;
  /** In-scope questions with no yes or no to give (open ones) that were given one all the same. */
  openVerdicts: number;
}

function main(): void {
  const started = performance.now();
  const kb = loadKnowledgeBase();
  const examples = kb.corpus.examples;
  const briefs = [...new Set(examples.filter((example) => example.entry !== null && !ALWAYS_TRAINED.has(example.brief)).map((example) => example.brief))];
  const foldOf = (example: CorpusExample, index: number) =>
    ALWAYS_TRAINED.has(example.brief) ? -1 : example.entry === null ? index % FOLDS : briefs.indexOf(example.brief) % FOLDS;
  const byBrief = new Map<string, Tally>();
  const confusions = new Map<string, number>();
  for (let fold = 0; fold < FOLDS; fold++) {
    const training = examples.filter((example, i) => foldOf(example, i) !== fold);
    const testing = examples.filter((example, i) => foldOf(example, i) === fold);
    const base: KnowledgeBase = { ...kb, corpus: { ...kb.corpus, examples: training } };
    const answerer = createAnswerer(kb, readerOf(trainReader(trainingInputs(base)))!);
    for (const example of testing) {
      const tally = byBrief.get(example.brief) ?? { inScope: 0, right: 0, outOfScope: 0, declined: 0, verdicts: 0, verdictsRight: 0, verdictsOpposite: 0, openVerdicts: 0 };
      byBrief.set(example.brief, tally);
      const result = answer(example.text, answerer);
      if (example.entry === null) {
        tally.outOfScope++;
        if (result.kind !== 'answer') tally.declined++;
        continue;
      }
      tally.inScope++;
      const right = restsOnEntry(result, example.entry, kb);
      if (right) tally.right++;
      else if (result.kind === 'answer') confusions.set(`${example.entry} → ${result.entry.id}`, (confusions.get(`${example.entry} → ${result.entry.id}`) ?? 0) + 1);
      else confusions.set(`${example.entry} → (not found)`, (confusions.get(`${example.entry} → (not found)`) ?? 0) + 1);
      if (example.verdict && right && result.kind === 'answer') {
        tally.verdicts++;
        if (result.verdict === example.verdict) tally.verdictsRight++;
        else if (result.verdict) tally.verdictsOpposite++;
      }
      if (!example.verdict && result.kind === 'answer' && result.verdict) tally.openVerdicts++;
    }
    console.error(`fold ${fold + 1}/${FOLDS} done`);
  }
  const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((part / whole) * 100).toFixed(1)}%`);
  const rows = [...byBrief].map(([brief, t]) => [brief, String(t.inScope), percent(t.right, t.inScope), String(t.outOfScope), percent(t.declined, t.outOfScope), t.verdicts ? `${percent(t.verdictsRight, t.verdicts)} (${t.verdictsRight}/${t.verdicts}) / ${t.verdictsOpposite}` : '-', String(t.openVerdicts)]);
  const total = [...byBrief.values()].reduce((sum, t) => ({ inScope: sum.inScope + t.inScope, right: sum.right + t.right, outOfScope: sum.outOfScope + t.outOfScope, declined: sum.declined + t.declined, verdicts: sum.verdicts + t.verdicts, verdictsRight: sum.verdictsRight + t.verdictsRight, verdictsOpposite: sum.verdictsOpposite + t.verdictsOpposite, openVerdicts: sum.openVerdicts + t.openVerdicts }));
  rows.push(['all', String(total.inScope), percent(total.right, total.inScope), String(total.outOfScope), percent(total.declined, total.outOfScope), `${percent(total.verdictsRight, total.verdicts)} (${total.verdictsRight}/${total.verdicts}) / ${total.verdictsOpposite}`, String(total.openVerdicts)]);
  console.log(formatTable(['brief (held out)', 'in scope', 'answered from its entry’s sentence', 'out of scope', 'declined', 'yes/no: right first / opposite', 'yes or no to an open question'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right']));
  console.log('\nMost frequent confusions (entry asked → entry answered):');
  console.log(formatTable(['confusion', 'times'], [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, count]) => [name, String(count)]), ['left', 'right']));
  console.log(`\n${FOLDS} folds; ${formatMs(performance.now() - started)}.`);
}

/** Whether an answer rests on the sentence of the example's entry (entries quoting one sentence answer alike). */
function restsOnEntry(result: AnswerResult, entryId: string, kb: KnowledgeBase): boolean {
  if (result.kind !== 'answer') return false;
  const quotes = (id: string) => {
    const entry = kb.byId.get(id)!;
    return [entry.quote, ...(entry.moreQuotes ?? []).map((more) => more.quote)];
  };
  const wanted = new Set(quotes(entryId));
  return result.parts.some((part) => quotes(part.entry.id).some((quote) => wanted.has(quote)));
}

main();
