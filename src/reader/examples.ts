import { createHash } from 'node:crypto';
import { SOCIAL_KINDS, type CorpusExample, type FollowUpExample, type OutOfScopeKind } from '../knowledge/corpus.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { READER_CONFIG } from './config.ts';
import { featuresOf, QUESTION_MARK_WORD, saltOf, withSalted } from './features.ts';
import { readClaim } from './negation.ts';
import { seededRandom, type TrainingExample, type TrainingOptions } from './train.ts';
import { messageWords } from './words.ts';

/** The topic labels besides the entry ids: small talk, thanks, and everything else no entry answers. */
export const SMALL_TALK_LABEL = '(small talk)';
/** Thanks and the like ("dzięki!", "that helped"): small talk too, answered with a "you're welcome" rather than a greeting. */
export const THANKS_LABEL = '(thanks)';
export const NONE_LABEL = '(none)';
/** The topic labels that are no entry. */
export const NOT_ENTRIES: ReadonlySet<string> = new Set([SMALL_TALK_LABEL, THANKS_LABEL, NONE_LABEL]);
/**
 * The follow head's label for "the entry just answered" ("przykłady?", "can you elaborate?"):
 * learned once for every entry, rather than entry by entry from a few examples each.
 */
export const SAME_LABEL = '(the same)';
/** The follow head's label for a message that needs no context: what the topic head reads in it stands. */
export const OWN_LABEL = '(its own)';
/**
 * The follow head's label for a request for more than the answer gave ("can you elaborate?",
 * "rozwiń", "is that all?"): the same entry, and the answer goes on to what it links to.
 */
export const MORE_LABEL = '(more)';
/** Whether a message is a yes/no question the article settles. */
export const ASKS_LABELS = ['yes-or-no', 'open'] as const;
/** Whether the claim of such a question holds. */
export const TRUTH_LABELS = ['true', 'false'] as const;

/** What one head of the reader learns: its labels, examples and options. */
export interface HeadData {
  labels: string[];
  examples: TrainingExample[];
  options: TrainingOptions;
}

/** Out-of-scope kinds that are not questions: small talk and what askers say about themselves. */
const STATEMENT_KINDS: ReadonlySet<OutOfScopeKind> = new Set(['chit-chat', 'thanks', 'about-asker']);

/** One message to learn from: from the corpus, or an entry's own title or statement. */
export interface Sample {
  text: string;
  lang: Lang;
  entry: string | null;
  also?: readonly string[];
  verdict?: 'yes' | 'no';
  /** Out-of-scope small talk: greeted (or thanked back) rather than declined. */
  social?: 'chit-chat' | 'thanks';
  /** Out-of-scope, and a question: see asksExample. */
  declinedQuestion?: boolean;
}

/** What the reader is trained from, read from a knowledge base and its corpus in a fixed order. */
export interface TrainingInputs {
  samples: Sample[];
  followUps: readonly FollowUpExample[];
  topicLabels: string[];
  /** See trainingDigest. */
  digest: string;
}

function samplesOf(kb: KnowledgeBase, corpus: readonly CorpusExample[]): Sample[] {
  const samples: Sample[] = [];
  for (const entry of kb.entries) {
    for (const lang of LANGS) {
      samples.push({ text: entry.title[lang], lang, entry: entry.id });
      // A statement asked back ("Klienci widzą procesy back-office?") is a yes/no question the article settles.
      for (const statement of entry.statements ?? []) samples.push({ text: `${statement[lang]}?`, lang, entry: entry.id, verdict: statement.true ? 'yes' : 'no' });
    }
  }
  for (const example of corpus) {
    samples.push({
      text: example.text,
      lang: example.lang,
      entry: example.entry,
      ...(example.also ? { also: example.also } : {}),
      ...(example.verdict ? { verdict: example.verdict } : {}),
      ...(example.kind && SOCIAL_KINDS.has(example.kind) ? { social: example.kind === 'thanks' ? 'thanks' : 'chit-chat' } : {}),
      ...(example.kind && !STATEMENT_KINDS.has(example.kind) ? { declinedQuestion: true } : {}),
    });
  }
  return samples;
}

function topicLabelsOf(kb: KnowledgeBase): string[] {
  return [...kb.entries.map((entry) => entry.id), SMALL_TALK_LABEL, THANKS_LABEL, NONE_LABEL];
}

/**
 * A digest of everything a model is trained from: the training options, the entries' ids, titles
 * and statements, and the corpus files' bytes. A model carries the digest it was trained from, so a
 * stale one is told apart; it is cheap, so a model's freshness is checked at every start without
 * reading the corpus's examples. An answer edited in the knowledge file changes nothing of it.
 */
export function trainingDigest(kb: KnowledgeBase): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ config: READER_CONFIG, topicLabels: topicLabelsOf(kb), entries: kb.entries.map((entry) => [entry.id, entry.title, entry.statements ?? []]) }));
  hash.update(kb.corpus.digest);
  return hash.digest('hex');
}

/** The samples, labels and digest of a knowledge base whose corpus was read with its examples. */
export function trainingInputs(kb: KnowledgeBase): TrainingInputs {
  if (!kb.corpus.read) throw new Error('the corpus was only fingerprinted: load the knowledge base with its examples to train');
  return { samples: samplesOf(kb, kb.corpus.examples), followUps: kb.corpus.followUps, topicLabels: topicLabelsOf(kb), digest: trainingDigest(kb) };
}

export type HeadName = 'topic' | 'asks' | 'truth' | 'lang' | 'follow';

export const HEAD_NAMES: readonly HeadName[] = ['topic', 'asks', 'truth', 'lang', 'follow'];

/**
 * The labels and examples of the named heads (every head by default), features computed: the
 * costly part, done only to train, and only for the heads asked for.
 */
export function headData<Name extends HeadName>(inputs: TrainingInputs, names: readonly Name[] = HEAD_NAMES as readonly Name[]): Record<Name, HeadData> {
  const { samples, followUps, topicLabels } = inputs;
  const topicIndex = new Map(topicLabels.map((label, i) => [label, i]));
  const words = samples.map((sample) => messageWords(sample.text));
  const { topic, asks, truth, lang } = READER_CONFIG;
  const followWords = followUps.map((example) => messageWords(example.text));
  const build: Record<HeadName, () => HeadData> = {
    topic: () => ({
      labels: topicLabels,
      options: topic,
      examples: [
        ...samples.map((sample, i) => ({ features: featuresOf(words[i]!, topic), labels: topicLabelsOfSample(sample, topicIndex) })),
        // A bare request about an answer ("przykłady?", "more detail?", "po polsku?") says nothing on its own: alone, no entry answers it.
        ...followUps.flatMap((example, i) =>
          example.entry !== null && example.entry === example.after && isBareRequest(followWords[i]!) ? [{ features: featuresOf(followWords[i]!, topic), labels: [topicIndex.get(NONE_LABEL)!] }] : [],
        ),
      ],
    }),
    asks: () => ({
      labels: [...ASKS_LABELS],
      options: asks,
      // Out-of-scope statements and small talk are "open" too: a statement the topic head takes for
      // an entry ("Pracuję w back-office w banku.") is no yes/no question. A declined question
      // ("czy to dotyczy też małych firm?") has no verdict because nothing answers it, whatever its
      // form, so it teaches this head nothing and is left out.
      examples: [
        ...samples.flatMap((sample, i) => (sample.declinedQuestion ? [] : [{ features: featuresOf(words[i]!, asks), labels: [sample.verdict ? 0 : 1] }])),
        ...followUps.flatMap((example, i) =>
          example.entry === null && example.kind && !STATEMENT_KINDS.has(example.kind) ? [] : [{ features: featuresOf(followWords[i]!, asks), labels: [example.verdict ? 0 : 1] }],
        ),
      ],
    }),
    truth: () => ({
      labels: [...TRUTH_LABELS],
      options: truth,
      // The claim, its negations taken out: "czy klienci nie widzą…" teaches what "klienci widzą…" is worth.
      examples: [
        ...samples.flatMap((sample, i) => (sample.entry !== null && sample.verdict ? [truthExample(words[i]!, sample.lang, sample.entry, sample.verdict)] : [])),
        ...followUps.flatMap((example, i) => (example.verdict && example.entry ? [truthExample(followWords[i]!, example.lang, example.entry, example.verdict)] : [])),
      ],
    }),
    lang: () => ({
      labels: [...LANGS],
      options: lang,
      // Follow-ups too: "a front?", "a po ang?" are Polish however English their words look.
      examples: [
        ...samples.map((sample, i) => ({ features: featuresOf(words[i]!, lang), labels: [LANGS.indexOf(sample.lang)] })),
        ...followUps.map((example, i) => ({ features: featuresOf(followWords[i]!, lang), labels: [LANGS.indexOf(example.lang)] })),
      ],
    }),
    follow: () => followHeadData(inputs, words, topicIndex),
  };
  return Object.fromEntries(names.map((name) => [name, build[name]()])) as Record<Name, HeadData>;
}

/**
 * The share of the corpus's other examples the follow head also learns, each after a random answer:
 * one in STANDALONE_EVERY as needing no context, and besides one in OUT_OF_SCOPE_EVERY out-of-scope
 * examples as what they are. All of them would double the training time for a point or two.
 */
const STANDALONE_EVERY = 3;
const OUT_OF_SCOPE_EVERY = 2;

/**
 * The follow head's examples: every follow-up after its answer, and a share of the corpus's other
 * examples after a random answer. A complete question is labelled as needing no context, so it
 * keeps the topic the topic head reads in it, whatever came before; out-of-scope examples keep
 * their label, so that declining does not hang on the topic head alone. The draws are seeded: the
 * same at every training.
 */
function followHeadData({ samples, followUps, topicLabels }: TrainingInputs, words: readonly (readonly string[])[], topicIndex: ReadonlyMap<string, number>): HeadData {
  const { follow } = READER_CONFIG;
  const sameLabel = topicLabels.length;
  const entryIds = topicLabels.filter((label) => !NOT_ENTRIES.has(label));
  const pick = seededRandom(follow.seed);
  const ownLabel = sameLabel + 1;
  const moreLabel = sameLabel + 2;
  const examples: TrainingExample[] = followUps.map((example) => {
    const label = example.more ? moreLabel : example.entry === example.after ? sameLabel : topicIndex.get(example.entry ?? outOfScopeLabel(example.kind))!;
    return { features: followFeatures(messageWords(example.text), example.after), labels: [label] };
  });
  samples.forEach((sample, i) => {
    const explicit = sample.entry === null && i % OUT_OF_SCOPE_EVERY === 0;
    if (!explicit && i % STANDALONE_EVERY !== 0) return;
    const after = entryIds[Math.floor(pick() * entryIds.length)]!;
    examples.push({ features: followFeatures(words[i]!, after), labels: explicit ? topicLabelsOfSample(sample, topicIndex) : [ownLabel] });
  });
  return { labels: [...topicLabels, SAME_LABEL, OWN_LABEL, MORE_LABEL], options: follow, examples };
}

/** At most this many words, and it is a bare request: longer ones name what they ask about ("a czemu back office jest niewidoczny?"). */
const BARE_REQUEST_WORDS = 2;

function isBareRequest(words: readonly string[]): boolean {
  return words.filter((word) => word !== QUESTION_MARK_WORD).length <= BARE_REQUEST_WORDS;
}

function topicLabelsOfSample(sample: Sample, topicIndex: ReadonlyMap<string, number>): number[] {
  return sample.entry === null ? [topicIndex.get(outOfScopeLabel(sample.social))!] : [sample.entry, ...(sample.also ?? [])].map((id) => topicIndex.get(id)!);
}

/** The topic label of a message no entry answers, by its kind: thanks, other small talk, or none. */
function outOfScopeLabel(kind: OutOfScopeKind | undefined): string {
  return kind === 'thanks' ? THANKS_LABEL : kind && SOCIAL_KINDS.has(kind) ? SMALL_TALK_LABEL : NONE_LABEL;
}

function truthExample(words: readonly string[], lang: Lang, entryId: string, verdict: 'yes' | 'no'): TrainingExample {
  const { claim, negated } = readClaim(words, lang);
  return { features: claimFeatures(claim, entryId), labels: [(verdict === 'yes') !== negated ? 0 : 1] };
}

/**
 * A follow-up is read both as words of its own and as said after one entry's answer ("a front?"
 * after back-office). `base`: its features in the follow head's shape, when already computed.
 */
export function followFeatures(words: readonly string[], afterEntryId: string, base: readonly number[] = featuresOf(words, READER_CONFIG.follow)): number[] {
  return withSalted(base, saltOf(`after:${afterEntryId}`));
}

/** A claim is read both in general ("tylko", "never") and as said of one entry ("widzą" of back-office). */
export function claimFeatures(claim: readonly string[], entryId: string): number[] {
  return withSalted(featuresOf(claim, READER_CONFIG.truth), saltOf(entryId));
}
