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
 * An open-addressing table from feature id to its row and the row's scale, built once per head on
 * first use. Each slot holds the id, the row (plus one: 0 marks an empty slot) and the scale side by
 * side, so finding a feature costs one memory read before its vector's, instead of one each in the
 * table, the sorted ids and the scales: in the bot, the model's arrays are rarely in the cache
 * between two questions. At most 2/3 full, 16 bytes a slot (a 40,000-row head: 1 MB).
 */
interface RowTable {
  slots: Uint32Array;
  /** The same memory, for the scales. */
  scales: Float32Array;
  mask: number;
}

const SLOT = 4;
const tables = new WeakMap<Head, RowTable>();

function tableOf(head: Head): RowTable {
  let table = tables.get(head);
  if (!table) {
    let size = 1;
    while (size * 2 < head.keys.length * 3) size *= 2;
    const slots = new Uint32Array(size * SLOT);
    const scales = new Float32Array(slots.buffer);
    const mask = size - 1;
    head.keys.forEach((key, row) => {
      let slot = key & mask;
      while (slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * SLOT] = key;
      slots[slot * SLOT + 1] = row + 1;
      scales[slot * SLOT + 2] = head.scales[row]!;
    });
    table = { slots, scales, mask };
    tables.set(head, table);
  }
  return table;
}

/** The probability of every label (in `model.labels` order) for a message's features. */
export function predict(model: Head, features: readonly number[]): Float64Array {
  const { dim, vectors, output, labels } = model;
  const { slots, scales, mask } = tableOf(model);
  const hidden = new Float64Array(dim);
  for (const feature of features) {
    let slot = (feature & mask) * SLOT;
    let row = slots[slot + 1]!;
    while (row !== 0 && slots[slot] !== feature >>> 0) {
      slot = (slot + SLOT) & (mask * SLOT + SLOT - 1);
      row = slots[slot + 1]!;
    }
    // A feature the head never kept counts as nothing.
    if (row === 0) continue;
    const scale = scales[slot + 2]!;
    const offset = (row - 1) * dim;
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
