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

/**
 * An open-addressing table from feature id to row, built once per head on first use: a lookup is
 * one or two probes instead of a binary search over tens of thousands of keys. Half full at most,
 * it costs 4 bytes a slot (a 40,000-row head: 512 KB).
 */
const tables = new WeakMap<Head, { slots: Int32Array; mask: number }>();

function tableOf(head: Head): { slots: Int32Array; mask: number } {
  let table = tables.get(head);
  if (!table) {
    let size = 1;
    while (size < head.keys.length * 2) size *= 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    head.keys.forEach((key, row) => {
      let slot = key & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = row;
    });
    table = { slots, mask };
    tables.set(head, table);
  }
  return table;
}

/** The row of a feature id, or -1 when the head has no vector for it. */
function rowOf(head: Head, feature: number): number {
  const { slots, mask } = tableOf(head);
  let slot = feature & mask;
  for (;;) {
    const row = slots[slot]!;
    if (row === -1 || head.keys[row] === feature) return row;
    slot = (slot + 1) & mask;
  }
}

/** The probability of every label (in `model.labels` order) for a message's features. */
export function predict(model: Head, features: readonly number[]): Float64Array {
  const { dim, scales, vectors, output, labels } = model;
  const hidden = new Float64Array(dim);
  for (const feature of features) {
    const row = rowOf(model, feature);
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
