import { createHash } from 'node:crypto';
import { SOCIAL_KINDS, type CorpusExample } from '../knowledge/corpus.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { READER_CONFIG } from './config.ts';
import { featuresOf, saltOf } from './features.ts';
import { readClaim } from './negation.ts';
import type { TrainingExample, TrainingOptions } from './train.ts';
import { messageWords } from './words.ts';

/** The topic labels besides the entry ids: small talk, and everything else no entry answers. */
export const SMALL_TALK_LABEL = '(small talk)';
export const NONE_LABEL = '(none)';
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

/** One message to learn from: from the corpus, or an entry's own title or statement. */
export interface Sample {
  text: string;
  lang: Lang;
  entry: string | null;
  also?: readonly string[];
  verdict?: 'yes' | 'no';
  /** Out-of-scope small talk: greeted rather than declined. */
  social?: boolean;
}

/** What the reader is trained from, read from a knowledge base and its corpus in a fixed order. */
export interface TrainingInputs {
  samples: Sample[];
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
      ...(example.kind && SOCIAL_KINDS.has(example.kind) ? { social: true } : {}),
    });
  }
  return samples;
}

function topicLabelsOf(kb: KnowledgeBase): string[] {
  return [...kb.entries.map((entry) => entry.id), SMALL_TALK_LABEL, NONE_LABEL];
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
  return { samples: samplesOf(kb, kb.corpus.examples), topicLabels: topicLabelsOf(kb), digest: trainingDigest(kb) };
}

export type HeadName = 'topic' | 'asks' | 'truth' | 'lang';

/** Each head's labels and examples, features computed: the costly part, done only to train. */
export function headData({ samples, topicLabels }: TrainingInputs): Record<HeadName, HeadData> {
  const topicIndex = new Map(topicLabels.map((label, i) => [label, i]));
  const words = samples.map((sample) => messageWords(sample.text));
  const { topic, asks, truth, lang } = READER_CONFIG;
  const inScope = samples.map((sample, i) => ({ sample, words: words[i]! })).filter(({ sample }) => sample.entry !== null);
  return {
    topic: {
      labels: topicLabels,
      options: topic,
      examples: samples.map((sample, i) => ({
        features: featuresOf(words[i]!, topic),
        labels: sample.entry === null ? [topicIndex.get(sample.social ? SMALL_TALK_LABEL : NONE_LABEL)!] : [sample.entry, ...(sample.also ?? [])].map((id) => topicIndex.get(id)!),
      })),
    },
    asks: {
      labels: [...ASKS_LABELS],
      options: asks,
      // Out-of-scope messages are "open" too: a statement the topic head takes for an entry
      // ("Pracuję w back-office w banku.") is no yes/no question.
      examples: samples.map((sample, i) => ({ features: featuresOf(words[i]!, asks), labels: [sample.verdict ? 0 : 1] })),
    },
    truth: {
      labels: [...TRUTH_LABELS],
      options: truth,
      // The claim, its negations taken out: "czy klienci nie widzą…" teaches what "klienci widzą…" is worth.
      examples: inScope.flatMap(({ sample, words }) => {
        if (!sample.verdict) return [];
        const { claim, negated } = readClaim(words, sample.lang);
        return [{ features: claimFeatures(claim, sample.entry!), labels: [(sample.verdict === 'yes') !== negated ? 0 : 1] }];
      }),
    },
    lang: {
      labels: [...LANGS],
      options: lang,
      examples: samples.map((sample, i) => ({ features: featuresOf(words[i]!, lang), labels: [LANGS.indexOf(sample.lang)] })),
    },
  };
}

/** A claim is read both in general ("tylko", "never") and as said of one entry ("widzą" of back-office). */
export function claimFeatures(claim: readonly string[], entryId: string): number[] {
  const options = READER_CONFIG.truth;
  return [...featuresOf(claim, options), ...featuresOf(claim, options, saltOf(entryId))];
}
