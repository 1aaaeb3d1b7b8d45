import type { Lang } from '../knowledge/schema.ts';
import { claimFeatures, headData, NONE_LABEL, SMALL_TALK_LABEL, type HeadName, type TrainingInputs } from './examples.ts';
import { featuresOf } from './features.ts';
import type { ModelFile } from './model-file.ts';
import { predict, type Head } from './model.ts';
import { readClaim } from './negation.ts';
import { trainModel } from './train.ts';

/**
 * The learned reader, four heads trained from the knowledge base and its corpus:
 * - topic: which entry a message asks for, or small talk, or nothing the knowledge base answers;
 * - asks: whether it is a yes/no question the article settles;
 * - truth: for such a question about a given entry, whether its claim holds;
 * - lang: Polish or English.
 */
export type Reader = Record<HeadName, Head> & { trainedFrom: string };

export interface TopicScore {
  /** An entry id, SMALL_TALK_LABEL or NONE_LABEL. */
  label: string;
  probability: number;
}

export { NONE_LABEL, SMALL_TALK_LABEL };

const HEADS: readonly HeadName[] = ['topic', 'asks', 'truth', 'lang'];

/** Trains every head: deterministic, and about a second per thousand examples on one core. */
export function trainReader(inputs: TrainingInputs): ModelFile {
  const data = headData(inputs);
  return { trainedFrom: inputs.digest, heads: Object.fromEntries(HEADS.map((name) => [name, trainModel(data[name].examples, data[name].labels, data[name].options)])) };
}

/** The reader in a model file; undefined when the file lacks a head (it is then retrained). */
export function readerOf(model: ModelFile): Reader | undefined {
  if (!HEADS.every((name) => model.heads[name] !== undefined)) return undefined;
  return { trainedFrom: model.trainedFrom, ...(model.heads as Record<HeadName, Head>) };
}

/** Every topic label with its probability, most likely first. */
export function readTopics(reader: Reader, words: readonly string[]): TopicScore[] {
  const probabilities = predict(reader.topic, featuresOf(words, reader.topic.features));
  return reader.topic.labels.map((label, i) => ({ label, probability: probabilities[i]! })).sort((a, b) => b.probability - a.probability);
}

export interface VerdictScore {
  /** How likely it is a yes/no question the article settles. */
  asks: number;
  /** How likely the answer is "yes", and "no" (they add up to 1): the truth of the claim, turned round when the question negates it. */
  yes: number;
  no: number;
}

/** How a message about one entry reads as a yes/no question. */
export function readVerdict(reader: Reader, words: readonly string[], lang: Lang, entryId: string): VerdictScore {
  const asks = predict(reader.asks, featuresOf(words, reader.asks.features))[0]!;
  const { claim, negated } = readClaim(words, lang);
  const holds = predict(reader.truth, claimFeatures(claim, entryId))[0]!;
  return { asks, yes: negated ? 1 - holds : holds, no: negated ? holds : 1 - holds };
}

/** The probability that a message is English. */
export function englishProbability(reader: Reader, words: readonly string[]): number {
  const probabilities = predict(reader.lang, featuresOf(words, reader.lang.features));
  return probabilities[reader.lang.labels.indexOf('en' satisfies Lang)] ?? 0;
}
