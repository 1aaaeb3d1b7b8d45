import type { Lang } from '../knowledge/schema.ts';
import { claimFeatures, followFeatures, HEAD_NAMES, headData, MORE_LABEL, NONE_LABEL, NOT_ENTRIES, OWN_LABEL, SAME_LABEL, SMALL_TALK_LABEL, THANKS_LABEL, type HeadName, type TrainingInputs } from './examples.ts';
import { distantPairsOf, featuresOf } from './features.ts';
import type { ModelFile } from './model-file.ts';
import { predict, type Head } from './model.ts';
import { readClaim } from './negation.ts';
import { trainModel } from './train.ts';

/**
 * The learned reader, five heads trained from the knowledge base and its corpus:
 * - topic: which entry a message asks for, or small talk, or nothing the knowledge base answers;
 * - asks: whether it is a yes/no question the article settles;
 * - truth: for such a question about a given entry, whether its claim holds;
 * - lang: Polish or English;
 * - follow: which entry a follow-up asks for, read in the light of the entry just answered.
 */
export type Reader = Record<HeadName, Head> & { trainedFrom: string };

export interface TopicScore {
  /** An entry id, SMALL_TALK_LABEL, THANKS_LABEL or NONE_LABEL. */
  label: string;
  probability: number;
}

export { NONE_LABEL, NOT_ENTRIES, SMALL_TALK_LABEL, THANKS_LABEL };

/** Trains every head on this thread: deterministic, and about a second per thousand examples. */
export function trainReader(inputs: TrainingInputs): ModelFile {
  return { trainedFrom: inputs.digest, heads: trainHeads(inputs, HEAD_NAMES) };
}

/** Trains the named heads: each from its own examples and seed, so heads trained apart are the same as trained together. */
export function trainHeads(inputs: TrainingInputs, names: readonly HeadName[]): Record<string, Head> {
  const data = headData(inputs, names);
  return Object.fromEntries(names.map((name) => [name, trainModel(data[name].examples, data[name].labels, data[name].options)]));
}

/** The reader in a model file; undefined when the file lacks a head (it is then retrained). */
export function readerOf(model: ModelFile): Reader | undefined {
  if (!HEAD_NAMES.every((name) => model.heads[name] !== undefined)) return undefined;
  return { trainedFrom: model.trainedFrom, ...(model.heads as Record<HeadName, Head>) };
}

/** A message as the heads read it: its words, and their features, computed once for every head that reads the words whole. */
export interface Message {
  words: readonly string[];
  features: readonly number[];
}

export function readMessage(reader: Reader, words: readonly string[]): Message {
  return { words, features: featuresOf(words, reader.topic.features) };
}

/**
 * The features a head reads: the message's own when the head shares the topic head's options, with
 * the distant word pairs it reads besides (which `featuresOf` puts last, as here).
 */
function featuresFor(head: Head, reader: Reader, message: Message): readonly number[] {
  const { minn, maxn, wordNgrams, pairReach = 0 } = head.features;
  const shared = reader.topic.features;
  if (minn !== shared.minn || maxn !== shared.maxn || wordNgrams !== shared.wordNgrams || (shared.pairReach ?? 0) !== 0) return featuresOf(message.words, head.features);
  return pairReach >= 2 ? message.features.concat(distantPairsOf(message.words, pairReach)) : message.features;
}

/** Every topic label with its probability, most likely first. */
export function readTopics(reader: Reader, message: Message): TopicScore[] {
  const probabilities = predict(reader.topic, message.features);
  return reader.topic.labels.map((label, i) => ({ label, probability: probabilities[i]! })).sort((a, b) => b.probability - a.probability);
}

/**
 * How much the reading of a follow-up alone weighs on its reading in context (an exponent): chosen by
 * cross-validation over the follow-ups' briefs, where 0.3 answered 84.3% of follow-ups against 83.6%
 * without it, and declined 90.8% against 91.4%; on the corpus grown since, 85.1% against 84.8% at
 * 0.5 and 84.2% at 0.7.
 */
const ALONE_WEIGHT = 0.3;
/** So that a label the message alone gives no chance keeps some: the follow head may know better ("who does it?"). */
const ALONE_FLOOR = 0.01;

/** A follow-up as the follow head reads it. */
export interface FollowUpReading {
  /** Every topic label with its probability, most likely first. */
  topics: TopicScore[];
  /** Whether, as a message about the answer it follows, it asks for more than that answer gave rather than for the same ("can you elaborate?" against "in English?"). */
  asksForMore: boolean;
  /** Whether it is more likely a request about that answer ("the same" or "more") than a question of its own. */
  aboutTheAnswer: boolean;
}

/**
 * Every topic label with its probability for a message that follows an answer from `afterEntryId`:
 * "the same" and "more" count for that entry, and "its own" (a message that needs no context) is shared out
 * as the topic head reads the message alone. The result is then weighed, gently, by that reading
 * alone (a product of the two, renormalized): "co ona zlecała na zewnątrz?" after the Coca-Cola
 * answer names what it asks about, however the follow head reads "zlecała".
 */
export function readFollowUp(reader: Reader, message: Message, afterEntryId: string): FollowUpReading {
  const probabilities = predict(reader.follow, followFeatures(message.words, afterEntryId, featuresFor(reader.follow, reader, message)));
  const labels = reader.follow.labels;
  const same = probabilities[labels.indexOf(SAME_LABEL)] ?? 0;
  const more = probabilities[labels.indexOf(MORE_LABEL)] ?? 0;
  const own = probabilities[labels.indexOf(OWN_LABEL)] ?? 0;
  const alone = new Map(readTopics(reader, message).map((score) => [score.label, score.probability]));
  const scores = labels.flatMap((label, i) => {
    if (label === SAME_LABEL || label === OWN_LABEL || label === MORE_LABEL) return [];
    const inContext = probabilities[i]! + (label === afterEntryId ? same + more : 0) + own * (alone.get(label) ?? 0);
    return [{ label, probability: inContext * ((alone.get(label) ?? 0) + ALONE_FLOOR) ** ALONE_WEIGHT }];
  });
  const total = scores.reduce((sum, score) => sum + score.probability, 0);
  const topics = scores.map((score) => ({ label: score.label, probability: score.probability / total })).sort((a, b) => b.probability - a.probability);
  return { topics, asksForMore: more > same, aboutTheAnswer: same + more >= 0.5 };
}

/** How likely a message is a yes/no question the article settles. */
export function asksYesOrNo(reader: Reader, message: Message): number {
  return predict(reader.asks, featuresFor(reader.asks, reader, message))[0]!;
}

/**
 * How likely the answer to a yes/no question about one entry is "yes": the truth of its claim,
 * turned round when the question negates the claim.
 */
export function yesProbability(reader: Reader, message: Message, lang: Lang, entryId: string): number {
  const { claim, negated } = readClaim(message.words, lang);
  const holds = predict(reader.truth, claimFeatures(claim, entryId))[0]!;
  return negated ? 1 - holds : holds;
}

/** The probability that a message is English. */
export function englishProbability(reader: Reader, message: Message): number {
  const probabilities = predict(reader.lang, featuresFor(reader.lang, reader, message));
  return probabilities[reader.lang.labels.indexOf('en' satisfies Lang)] ?? 0;
}
