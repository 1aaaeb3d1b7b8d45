import type { FeatureOptions } from './features.ts';

/**
 * One trained classifier of the reader (a "head"): fastText's supervised model. A message is the
 * average of its features' vectors (`dim` numbers each); a softmax over that average gives each
 * label a probability.
 *
 * Feature vectors are stored quantized (one byte a number, one scale a vector) and only for the
 * features seen in training, sorted by id: a feature never seen counts as a zero vector, so a
 * message made mostly of unknown words gets a flat, unsure answer.
 */
export interface Head {
  labels: readonly string[];
  dim: number;
  features: FeatureOptions;
  /** One-vs-all: each label's probability is its own (a sigmoid), not a share of one (a softmax). */
  ova?: boolean;
  /** Sorted feature ids. */
  keys: Uint32Array;
  /** Per feature: the scale of its quantized vector. */
  scales: Float32Array;
  /** Per feature: `dim` quantized numbers. */
  vectors: Int8Array;
  /** Per label: `dim` output weights. */
  output: Float32Array;
}

/** The position of a feature id in the sorted keys, or -1. */
function rowOf(keys: Uint32Array, feature: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const key = keys[middle]!;
    if (key < feature) low = middle + 1;
    else if (key > feature) high = middle - 1;
    else return middle;
  }
  return -1;
}

/** The probability of every label (in `model.labels` order) for a message's features. */
export function predict(model: Head, features: readonly number[]): Float64Array {
  const { dim, keys, scales, vectors, output, labels } = model;
  const hidden = new Float64Array(dim);
  for (const feature of features) {
    const row = rowOf(keys, feature);
    if (row < 0) continue;
    const scale = scales[row]!;
    const offset = row * dim;
    for (let i = 0; i < dim; i++) hidden[i]! += vectors[offset + i]! * scale;
  }
  const count = Math.max(1, features.length);
  const scores = new Float64Array(labels.length);
  let max = -Infinity;
  for (let label = 0; label < labels.length; label++) {
    let score = 0;
    const offset = label * dim;
    for (let i = 0; i < dim; i++) score += output[offset + i]! * hidden[i]!;
    score /= count;
    scores[label] = score;
    if (score > max) max = score;
  }
  if (model.ova) {
    for (let label = 0; label < labels.length; label++) scores[label] = 1 / (1 + Math.exp(-scores[label]!));
    return scores;
  }
  let sum = 0;
  for (let label = 0; label < labels.length; label++) {
    scores[label] = Math.exp(scores[label]! - max);
    sum += scores[label]!;
  }
  for (let label = 0; label < labels.length; label++) scores[label]! /= sum;
  return scores;
}
