import type { FeatureOptions } from './features.ts';
import type { Head } from './model.ts';

/** How a model is trained; every value is part of what makes a model, so it is stored in its digest. */
export interface TrainingOptions extends FeatureOptions {
  dim: number;
  epochs: number;
  /** The learning rate at the start; it falls linearly to 0 over the run. */
  learningRate: number;
  /** The seed of the initial vectors and of the order examples are read in: same seed, same model. */
  seed: number;
  /** One-vs-all (an independent probability per label) instead of the default softmax. */
  ova?: boolean;
  /**
   * Keep only this many feature vectors, the longest (fastText's quantize -cutoff): the rest
   * weigh little in any average, and the model is smaller by their bytes.
   */
  maxRows?: number;
}

/** One example: a message's features (see featuresOf) and the labels (indices into the label list) it stands for. */
export interface TrainingExample {
  features: readonly number[];
  labels: readonly number[];
}

/** mulberry32: a small seeded generator, so a training run (and every draw for it) is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains the model by stochastic gradient descent on the softmax loss, one example at a time in a
 * seeded order, on one thread: the same examples and options give the same model, byte for byte.
 * An example with several labels spreads its target evenly over them.
 */
export function trainModel(examples: readonly TrainingExample[], labels: readonly string[], options: TrainingOptions): Head {
  const { dim, epochs, learningRate, seed } = options;
  const featureOptions: FeatureOptions = { minn: options.minn, maxn: options.maxn, wordNgrams: options.wordNgrams, ...(options.pairReach ? { pairReach: options.pairReach } : {}) };
  // Features become rows in the order they are first seen, which is fixed by the examples' order.
  const rowOfFeature = new FeatureRows();
  const rowsOfExample = examples.map((example) => {
    const rows = new Int32Array(example.features.length);
    for (let i = 0; i < rows.length; i++) rows[i] = rowOfFeature.add(example.features[i]!);
    return rows;
  });
  const random = seededRandom(seed);
  // The feature vectors in single precision, as fastText keeps them: most of the training time is
  // spent reading and writing their rows, and at half the bytes the heads train 4–26% faster, with
  // the same results in cross-validation (a fraction of the differences two seeds make). The sums
  // a step reads and writes (hidden, gradient) stay in double precision. Stored in bytes.
  const input = new Float32Array(rowOfFeature.size * dim);
  for (let i = 0; i < input.length; i++) input[i] = (random() * 2 - 1) / dim;
  const output = new Float64Array(labels.length * dim);

  const hidden = new Float64Array(dim);
  const gradient = new Float64Array(dim);
  const scores = new Float64Array(labels.length);
  const target = new Float64Array(labels.length);
  const order = Int32Array.from(examples.keys());
  const labelCount = labels.length;
  const ova = options.ova === true;
  const total = epochs * examples.length;
  let seen = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let o = 0; o < order.length; o++) {
      const index = order[o]!;
      const rate = learningRate * (1 - seen / total);
      seen++;
      const rows = rowsOfExample[index]!;
      const count = rows.length;
      if (count === 0) continue;
      hidden.fill(0);
      for (let r = 0; r < count; r++) addRow(hidden, input, rows[r]! * dim, dim);
      for (let i = 0; i < dim; i++) hidden[i]! /= count;
      let max = -Infinity;
      for (let label = 0; label < labelCount; label++) {
        const score = dot(output, label * dim, hidden, dim);
        scores[label] = score;
        if (score > max) max = score;
      }
      // Softmax: the labels share one probability, so an example with two spreads its target over
      // both. One-vs-all: each label has a probability of its own, and both are targets.
      let sum = 0;
      for (let label = 0; label < labelCount; label++) {
        scores[label] = ova ? 1 / (1 + Math.exp(-scores[label]!)) : Math.exp(scores[label]! - max);
        sum += scores[label]!;
      }
      if (ova) sum = 1;
      target.fill(0);
      const wanted = examples[index]!.labels;
      for (const label of wanted) target[label]! += ova ? 1 : 1 / wanted.length;
      gradient.fill(0);
      for (let label = 0; label < labelCount; label++) {
        const step = rate * (target[label]! - scores[label]! / sum);
        if (step === 0) continue;
        stepLabel(output, label * dim, hidden, gradient, step, dim);
      }
      for (let i = 0; i < dim; i++) gradient[i]! /= count;
      for (let r = 0; r < count; r++) addToRow(input, rows[r]! * dim, gradient, dim);
    }
  }
  return pack(rowOfFeature.features.subarray(0, rowOfFeature.size), input, output, labels, options, featureOptions);
}

/**
 * `sum[0…dim] += rows[from…from + dim]`, eight numbers a step (every head's size is a multiple of
 * eight): this and `addToRow` are most of the training time, and unrolled, with the label loops,
 * the topic head trains about a fifth faster and the follow head about a tenth. Each number is
 * added on its own, so the result is the same to the last bit.
 */
function addRow(sum: Float64Array, rows: Float32Array, from: number, dim: number): void {
  let i = 0;
  for (; i + 8 <= dim; i += 8) {
    const f = from + i;
    sum[i]! += rows[f]!;
    sum[i + 1]! += rows[f + 1]!;
    sum[i + 2]! += rows[f + 2]!;
    sum[i + 3]! += rows[f + 3]!;
    sum[i + 4]! += rows[f + 4]!;
    sum[i + 5]! += rows[f + 5]!;
    sum[i + 6]! += rows[f + 6]!;
    sum[i + 7]! += rows[f + 7]!;
  }
  for (; i < dim; i++) sum[i]! += rows[from + i]!;
}

/**
 * `rows[at…at + dim] += gradient[0…dim]`, the same way. Two functions rather than one over both
 * array types: one function fed both kinds of array reads each element through a check of its kind,
 * and the topic head trained in 19–20 s with it against 13 s with these two (the same model).
 */
function addToRow(rows: Float32Array, at: number, gradient: Float64Array, dim: number): void {
  let i = 0;
  for (; i + 8 <= dim; i += 8) {
    const t = at + i;
    rows[t]! += gradient[i]!;
    rows[t + 1]! += gradient[i + 1]!;
    rows[t + 2]! += gradient[i + 2]!;
    rows[t + 3]! += gradient[i + 3]!;
    rows[t + 4]! += gradient[i + 4]!;
    rows[t + 5]! += gradient[i + 5]!;
    rows[t + 6]! += gradient[i + 6]!;
    rows[t + 7]! += gradient[i + 7]!;
  }
  for (; i < dim; i++) rows[at + i]! += gradient[i]!;
}

/** `matrix[offset…offset + dim] · vector`, summed in order (the same to the last bit as a plain loop), eight numbers a step. */
function dot(matrix: Float64Array, offset: number, vector: Float64Array, dim: number): number {
  let sum = 0;
  let i = 0;
  for (; i + 8 <= dim; i += 8) {
    const at = offset + i;
    sum += matrix[at]! * vector[i]!;
    sum += matrix[at + 1]! * vector[i + 1]!;
    sum += matrix[at + 2]! * vector[i + 2]!;
    sum += matrix[at + 3]! * vector[i + 3]!;
    sum += matrix[at + 4]! * vector[i + 4]!;
    sum += matrix[at + 5]! * vector[i + 5]!;
    sum += matrix[at + 6]! * vector[i + 6]!;
    sum += matrix[at + 7]! * vector[i + 7]!;
  }
  for (; i < dim; i++) sum += matrix[offset + i]! * vector[i]!;
  return sum;
}

/** One label's step: its error passed back into `gradient`, then its output row moved towards (or away from) `hidden`. */
function stepLabel(output: Float64Array, offset: number, hidden: Float64Array, gradient: Float64Array, step: number, dim: number): void {
  let i = 0;
  for (; i + 8 <= dim; i += 8) {
    const at = offset + i;
    gradient[i]! += step * output[at]!;
    output[at]! += step * hidden[i]!;
    gradient[i + 1]! += step * output[at + 1]!;
    output[at + 1]! += step * hidden[i + 1]!;
    gradient[i + 2]! += step * output[at + 2]!;
    output[at + 2]! += step * hidden[i + 2]!;
    gradient[i + 3]! += step * output[at + 3]!;
    output[at + 3]! += step * hidden[i + 3]!;
    gradient[i + 4]! += step * output[at + 4]!;
    output[at + 4]! += step * hidden[i + 4]!;
    gradient[i + 5]! += step * output[at + 5]!;
    output[at + 5]! += step * hidden[i + 5]!;
    gradient[i + 6]! += step * output[at + 6]!;
    output[at + 6]! += step * hidden[i + 6]!;
    gradient[i + 7]! += step * output[at + 7]!;
    output[at + 7]! += step * hidden[i + 7]!;
  }
  for (; i < dim; i++) {
    gradient[i]! += step * output[offset + i]!;
    output[offset + i]! += step * hidden[i]!;
  }
}

/**
 * Feature ids to rows, numbered in the order the ids are first added: an open-addressing table of
 * typed arrays. Most ids are past V8's small integers, so in a `Map` each was a boxed number: the
 * follow head's 13 million lookups took 6 s that way, and keeping the longest rows (a sort of a
 * million ids by their rows' lengths looked up in another `Map`) 6 s more.
 */
class FeatureRows {
  /** Per row, its feature id. */
  features = new Uint32Array(1 << 12);
  size = 0;
  /** Per slot, the row plus one (0: empty). */
  private slots = new Int32Array(1 << 14);

  /** The row of a feature id, a new one if it is not there yet. */
  add(feature: number): number {
    if (feature >>> 0 !== feature) throw new RangeError(`a feature id is a 32-bit unsigned integer, not ${feature}`);
    const found = this.slotOf(feature);
    if (this.slots[found]! !== 0) return this.slots[found]! - 1;
    const row = this.size++;
    if (row === this.features.length) {
      const features = new Uint32Array(row * 2);
      features.set(this.features);
      this.features = features;
    }
    this.features[row] = feature;
    this.slots[found] = row + 1;
    // At most half full: grown by rehashing every row into twice the slots.
    if (this.size * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let other = 0; other < this.size; other++) this.slots[this.slotOf(this.features[other]!)] = other + 1;
    }
    return row;
  }

  /** The slot that holds the id, or the empty one where it would go. */
  private slotOf(feature: number): number {
    const mask = this.slots.length - 1;
    let slot = Math.imul(feature, 0x9e3779b1) >>> 0 & mask;
    for (let held = this.slots[slot]!; held !== 0 && this.features[held - 1] !== feature; held = this.slots[slot]!) slot = (slot + 1) & mask;
    return slot;
  }
}

/**
 * Keeps the `maxRows` longest rows (all of them, without it), ties broken by feature id so the same
 * model is kept every time; sorts them by feature id and quantizes each to bytes with its own scale.
 * `featureOfRow`: each row's feature id.
 */
function pack(featureOfRow: Uint32Array, input: Float32Array, output: Float64Array, labels: readonly string[], options: TrainingOptions, features: FeatureOptions): Head {
  const { dim } = options;
  const ova = options.ova === true;
  const count = featureOfRow.length;
  let rows: number[] = Array.from({ length: count }, (_, row) => row);
  if (options.maxRows !== undefined && count > options.maxRows) {
    const norms = new Float64Array(count);
    for (let row = 0; row < count; row++) {
      let sum = 0;
      for (let i = row * dim; i < (row + 1) * dim; i++) sum += input[i]! * input[i]!;
      norms[row] = sum;
    }
    // Every row longer than the shortest one kept, then as many as fit of those just as long, by id.
    const shortest = Float64Array.from(norms).sort()[count - options.maxRows]!;
    const longer = rows.filter((row) => norms[row]! > shortest);
    const tied = rows.filter((row) => norms[row] === shortest).sort((a, b) => featureOfRow[a]! - featureOfRow[b]!);
    rows = longer.concat(tied.slice(0, options.maxRows - longer.length));
  }
  rows.sort((a, b) => featureOfRow[a]! - featureOfRow[b]!);
  const keys = Uint32Array.from(rows, (row) => featureOfRow[row]!);
  const scales = new Float32Array(keys.length);
  const vectors = new Int8Array(keys.length * dim);
  rows.forEach((row, position) => {
    const offset = row * dim;
    let largest = 0;
    for (let i = 0; i < dim; i++) largest = Math.max(largest, Math.abs(input[offset + i]!));
    const scale = largest / 127 || 1;
    scales[position] = scale;
    for (let i = 0; i < dim; i++) vectors[position * dim + i] = Math.round(input[offset + i]! / scale);
  });
  return { labels: [...labels], dim, features, ...(ova ? { ova } : {}), keys, scales, vectors, output: Float32Array.from(output) };
}
