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
 * An open-addressing table from feature id to its quantized vector, built once per head on first
 * use. Each slot holds the id, the vector's scale and the vector itself side by side, so finding a
 * feature and reading its vector cost one memory read: in the bot, the model's arrays are rarely in
 * the cache between two questions, and a separate table and vector array took two reads a feature
 * (answering with a cold cache: 0.21 ms at p50, against 0.14 ms with one). A slot is a power of two
 * in bytes, so it never straddles a cache line. At most 2/3 full; a 40,000-row head of 24 numbers a
 * vector: 2 MB.
 */
interface SlotTable {
  /** The slots as 32-bit words: id, then scale. */
  words: Uint32Array;
  scales: Float32Array;
  /** The same memory as bytes, for the vectors, which start 8 bytes into a slot. */
  bytes: Int8Array;
  /** Slots minus one. */
  mask: number;
  /** Bytes per slot, as a shift. */
  shift: number;
}

const HEADER_BYTES = 8;
const tables = new WeakMap<Head, SlotTable>();

function tableOf(head: Head): SlotTable {
  let table = tables.get(head);
  if (!table) {
    let size = 1;
    while (size * 2 < head.keys.length * 3) size *= 2;
    let shift = 3;
    while (1 << shift < HEADER_BYTES + head.dim) shift++;
    const buffer = new ArrayBuffer(size << shift);
    const words = new Uint32Array(buffer);
    const scales = new Float32Array(buffer);
    const bytes = new Int8Array(buffer);
    const mask = size - 1;
    head.keys.forEach((key, row) => {
      const scale = head.scales[row]!;
      // A zero scale marks an empty slot; a vector of zeros counts as nothing anyway.
      if (scale === 0) return;
      let slot = key & mask;
      while (scales[((slot << shift) >> 2) + 1] !== 0) slot = (slot + 1) & mask;
      const word = (slot << shift) >> 2;
      words[word] = key;
      scales[word + 1] = scale;
      bytes.set(head.vectors.subarray(row * head.dim, (row + 1) * head.dim), (slot << shift) + HEADER_BYTES);
    });
    table = { words, scales, bytes, mask, shift };
    tables.set(head, table);
  }
  return table;
}

/** The running sum of one message's feature vectors: one buffer for every call, as answering is synchronous. */
let hiddenScratch = new Float64Array(64);

/** The probability of every label (in `model.labels` order) for a message's features. */
export function predict(model: Head, features: readonly number[]): Float64Array {
  const { dim, output, labels } = model;
  const { words, scales, bytes, mask, shift } = tableOf(model);
  if (hiddenScratch.length < dim) hiddenScratch = new Float64Array(dim);
  const hidden = hiddenScratch;
  hidden.fill(0, 0, dim);
  // Eight numbers a step: the heads' sizes are multiples of eight, and the sum runs about twice as
  // fast unrolled (the largest single part of reading a question).
  const unrolled = dim - (dim % 8);
  for (let f = 0; f < features.length; f++) {
    const id = features[f]! >>> 0;
    let slot = id & mask;
    let word = (slot << shift) >> 2;
    // A feature the head never kept counts as nothing: its probe ends at an empty slot.
    while (scales[word + 1] !== 0 && words[word] !== id) {
      slot = (slot + 1) & mask;
      word = (slot << shift) >> 2;
    }
    const scale = scales[word + 1]!;
    if (scale === 0) continue;
    const offset = (slot << shift) + HEADER_BYTES;
    let i = 0;
    for (; i < unrolled; i += 8) {
      const at = offset + i;
      hidden[i]! += bytes[at]! * scale;
      hidden[i + 1]! += bytes[at + 1]! * scale;
      hidden[i + 2]! += bytes[at + 2]! * scale;
      hidden[i + 3]! += bytes[at + 3]! * scale;
      hidden[i + 4]! += bytes[at + 4]! * scale;
      hidden[i + 5]! += bytes[at + 5]! * scale;
      hidden[i + 6]! += bytes[at + 6]! * scale;
      hidden[i + 7]! += bytes[at + 7]! * scale;
    }
    for (; i < dim; i++) hidden[i]! += bytes[offset + i]! * scale;
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
