/**
 * The model file: the reader's trained heads, as written by `npm run kb:train` and read at start-up.
 *
 *   "BPOREAD1" | header length (uint32) | header (JSON) | padding to 4 bytes | each head's arrays
 *
 * The header names the digest of what the model was trained from and, per head, its labels, sizes
 * and feature options; the arrays follow in the header's order (keys, scales and output as 4-byte
 * little-endian numbers, then the quantized vectors). Anything malformed is refused with a sentence.
 */
import { endianness } from 'node:os';
import type { Head } from './model.ts';

const MAGIC = Buffer.from('BPOREAD1', 'latin1');

export interface ModelFile {
  /** The digest of the training data (see trainingData): a model is current only for the same. */
  trainedFrom: string;
  heads: Record<string, Head>;
}

interface HeadHeader {
  name: string;
  ova?: boolean;
  labels: string[];
  dim: number;
  features: Head['features'];
  rows: number;
}

export class ModelFileError extends Error {}

export function encodeModel(model: ModelFile): Buffer {
  const heads = Object.entries(model.heads);
  const header: { trainedFrom: string; heads: HeadHeader[] } = {
    trainedFrom: model.trainedFrom,
    heads: heads.map(([name, head]) => ({ name, labels: [...head.labels], dim: head.dim, features: head.features, ...(head.ova ? { ova: true } : {}), rows: head.keys.length })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const padding = Buffer.alloc((4 - ((MAGIC.length + 4 + json.length) % 4)) % 4);
  const parts: Uint8Array[] = [MAGIC, length, json, padding];
  for (const [, head] of heads) {
    for (const array of [head.keys, head.scales, head.output, head.vectors]) parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return Buffer.concat(parts);
}

/**
 * Where a model's bytes come from, read a piece at a time straight into the arrays that keep them:
 * a model file is never held whole beside its heads (a buffer of its size that stays until a full
 * garbage collection, and so often shows in the bot's settled memory).
 */
export interface ModelBytes {
  size: number;
  /** Fills `target` with the bytes from `position` on, or throws. */
  readInto(target: Uint8Array, position: number): void;
}

/** Bytes already in memory (a model posted by a worker thread, a test's buffer). */
function bytesInMemory(bytes: Uint8Array): ModelBytes {
  return { size: bytes.length, readInto: (target, position) => target.set(bytes.subarray(position, position + target.length)) };
}

/**
 * The model in `source`. With `trainedFrom`, a model trained from anything else is refused right
 * after its header, before its heads are read: a stale model costs no more than its header.
 */
export function decodeModel(source: Uint8Array | ModelBytes, trainedFrom?: string): ModelFile {
  const bytes = source instanceof Uint8Array ? bytesInMemory(source) : source;
  if (endianness() !== 'LE') throw new ModelFileError('model files are little-endian, and this machine is not');
  const read = (position: number, length: number): Buffer => {
    const piece = Buffer.alloc(length);
    bytes.readInto(piece, position);
    return piece;
  };
  if (bytes.size < MAGIC.length + 4) throw new ModelFileError('not a model file of this version (run npm run kb:train)');
  const start = read(0, MAGIC.length + 4);
  if (!start.subarray(0, MAGIC.length).equals(MAGIC)) throw new ModelFileError('not a model file of this version (run npm run kb:train)');
  const length = start.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + length > bytes.size) throw new ModelFileError('the model header is damaged (run npm run kb:train)');
  let header: { trainedFrom: string; heads: HeadHeader[] };
  try {
    header = JSON.parse(read(MAGIC.length + 4, length).toString('utf8'));
  } catch {
    throw new ModelFileError('the model header is damaged (run npm run kb:train)');
  }
  if (typeof header !== 'object' || header === null || !Array.isArray(header.heads) || !header.heads.every((head) => typeof head === 'object' && head !== null)) {
    throw new ModelFileError('the model header is damaged (run npm run kb:train)');
  }
  if (trainedFrom !== undefined && header.trainedFrom !== trainedFrom) throw new ModelFileError('the model was trained from other knowledge (run npm run kb:train)');
  let offset = MAGIC.length + 4 + length;
  offset += (4 - (offset % 4)) % 4;
  const take = <T>(count: number, size: number, make: (buffer: ArrayBuffer) => T): T => {
    const end = offset + count * size;
    if (!Number.isSafeInteger(end) || end > bytes.size) throw new ModelFileError('the model file is cut short (run npm run kb:train)');
    // A buffer of its own, so the arrays are aligned.
    const copy = new ArrayBuffer(count * size);
    bytes.readInto(new Uint8Array(copy), offset);
    offset = end;
    return make(copy);
  };
  const heads: Record<string, Head> = {};
  for (const head of header.heads) {
    const { name, labels, dim, features, rows } = head;
    if (typeof name !== 'string' || !Array.isArray(labels) || !Number.isInteger(dim) || dim < 1 || !Number.isInteger(rows) || rows < 0) {
      throw new ModelFileError('the model header is damaged (run npm run kb:train)');
    }
    heads[name] = {
      labels,
      dim,
      features,
      ...(head.ova === true ? { ova: true } : {}),
      keys: take(rows, 4, (buffer) => new Uint32Array(buffer)),
      scales: take(rows, 4, (buffer) => new Float32Array(buffer)),
      output: take(labels.length * dim, 4, (buffer) => new Float32Array(buffer)),
      vectors: take(rows * dim, 1, (buffer) => new Int8Array(buffer)),
    };
  }
  if (offset !== bytes.size) throw new ModelFileError('the model file has bytes after its last head (run npm run kb:train)');
  return { trainedFrom: String(header.trainedFrom), heads };
}
