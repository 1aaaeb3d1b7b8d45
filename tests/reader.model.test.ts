/**
 * The learned reader: the same corpus gives the same model, byte for byte; the shipped model is
 * what the shipped corpus gives; a model file is read back as written, and a damaged or stale one
 * is told apart and trained anew.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_FILE, loadKnowledgeBase } from '../src/knowledge/load.ts';
import { READER_CONFIG } from '../src/reader/config.ts';
import { trainingInputs } from '../src/reader/examples.ts';
import { featuresOf } from '../src/reader/features.ts';
import { decodeModel, encodeModel } from '../src/reader/model-file.ts';
import { hasCurrentModel, loadReader, readModelFile } from '../src/reader/load.ts';
import { readMessage, readTopics } from '../src/reader/reader.ts';
import { seededRandom, trainModel } from '../src/reader/train.ts';
import { messageWords } from '../src/reader/words.ts';
import { copyKnowledge } from './support/knowledge-copy.ts';

const kb = loadKnowledgeBase();

describe('features', () => {
  it('are the same ids for the same words, and differ with a salt', () => {
    const words = messageWords('Czym jest back office?');
    expect(featuresOf(words, READER_CONFIG.topic)).toEqual(featuresOf(words, READER_CONFIG.topic));
    const salted = featuresOf(words, READER_CONFIG.topic, 12345);
    expect(salted).toHaveLength(featuresOf(words, READER_CONFIG.topic).length);
    expect(salted.filter((feature) => featuresOf(words, READER_CONFIG.topic).includes(feature))).toEqual([]);
  });
  it('share character n-grams between a word and its typo, so a slip keeps most of a word', () => {
    const shared = (a: string, b: string) => {
      const left = new Set(featuresOf([a], READER_CONFIG.topic));
      return featuresOf([b], READER_CONFIG.topic).filter((feature) => left.has(feature)).length;
    };
    expect(shared('outsourcingu', 'outsorcingu')).toBeGreaterThan(5);
    expect(shared('outsourcingu', 'rekrutacja')).toBeLessThanOrEqual(1);
  });
  it('of a claim tell who is said to be what: the same words in another order differ beyond neighbouring pairs', () => {
    const features = (text: string, options = READER_CONFIG.truth) => new Set(featuresOf(messageWords(text), options));
    const only = (a: Set<number>, b: Set<number>) => [...a].filter((feature) => !b.has(feature)).length;
    const bpoFirst = features('bpo to podzbiór outsourcingu');
    const outsourcingFirst = features('outsourcingu to podzbiór bpo');
    // Pairs two and three words apart: "bpo … podzbiór", "bpo … outsourcingu", "to … outsourcingu" read one way only.
    expect(only(bpoFirst, outsourcingFirst)).toBeGreaterThanOrEqual(3);
    const withoutPairs = { ...READER_CONFIG.truth, pairReach: 0 };
    // Without them, the same words and neighbours but for the two pairs at the ends.
    expect(only(features('bpo to podzbiór outsourcingu', withoutPairs), features('outsourcingu to podzbiór bpo', withoutPairs))).toBe(2);
    expect(READER_CONFIG.truth.pairReach).toBeGreaterThanOrEqual(2);
  });
});

describe('training', () => {
  it('is deterministic: the same examples and options give the same bytes', () => {
    const examples = kb.corpus.examples.slice(0, 2000).map((example, i) => ({ features: featuresOf(messageWords(example.text), READER_CONFIG.topic), labels: [i % 3] }));
    const train = () => encodeModel({ trainedFrom: 'x', heads: { topic: trainModel(examples, ['a', 'b', 'c'], READER_CONFIG.topic) } });
    expect(train().equals(train())).toBe(true);
  });

  it('keeps the longest rows of a head over its budget, the same ones every time, whatever holds them', () => {
    // 32-bit ids, as hashed features are, 5,000 of them for a budget of 1,000 rows. The digest is of
    // the model the first implementation (a Map from id to row, and a comparison sort by length)
    // trained from these examples: the rows kept, their order and their bytes stay the same.
    const random = seededRandom(7);
    const pool = Array.from({ length: 5000 }, () => Math.floor(random() * 2 ** 32));
    const examples = Array.from({ length: 3000 }, (_, i) => ({ features: Array.from({ length: 20 }, () => pool[Math.floor(random() * pool.length)]!), labels: [i % 4] }));
    const head = trainModel(examples, ['a', 'b', 'c', 'd'], { ...READER_CONFIG.topic, epochs: 2, maxRows: 1000 });
    expect(head.keys).toHaveLength(1000);
    const bytes = encodeModel({ trainedFrom: 'x', heads: { topic: head } });
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('b4d69b545f90e288bd13c05c14534f2df57b4647084e7bbad9a36001edb9eb10');
  });

  it('the shipped model was trained from the shipped knowledge base and corpus (retrained byte for byte below)', () => {
    const inputs = trainingInputs(kb);
    const shipped = readFileSync(kb.files!.model);
    expect(decodeModel(shipped).trainedFrom).toBe(inputs.digest);
  });

  it('fingerprints the corpus the same from its bytes, a chunk at a time, as from its parsed texts', () => {
    const fingerprinted = loadKnowledgeBase(kb.files!.knowledge, { withExamples: false }).corpus;
    expect(fingerprinted.read).toBe(false);
    expect(fingerprinted.digest).toBe(kb.corpus.digest);
  });

  it('keeps every head within its row budget', () => {
    const model = decodeModel(readFileSync(kb.files!.model));
    for (const name of ['topic', 'asks', 'truth', 'follow', 'lang'] as const) expect(model.heads[name]!.keys.length).toBeLessThanOrEqual(READER_CONFIG[name].maxRows!);
  });
});

describe('the model file', () => {
  it('is read back as written', () => {
    const bytes = readFileSync(kb.files!.model);
    expect(encodeModel(decodeModel(bytes)).equals(bytes)).toBe(true);
    // The file read a piece at a time into the heads' arrays gives the same model…
    expect(encodeModel(readModelFile(kb.files!.model)!).equals(bytes)).toBe(true);
    // …and, asked for a model of other knowledge, none.
    expect(readModelFile(kb.files!.model, decodeModel(bytes).trainedFrom)).toBeDefined();
    expect(readModelFile(kb.files!.model, 'other knowledge')).toBeUndefined();
  });

  it('a damaged or cut file is no model: it is trained anew, byte for byte the shipped one, and saved', () => {
    const { file, model } = copyKnowledge('kb-model-');
    const bytes = readFileSync(model);
    writeFileSync(model, bytes.subarray(0, bytes.length - 100));
    expect(readModelFile(model)).toBeUndefined();
    writeFileSync(model, 'not a model');
    expect(readModelFile(model)).toBeUndefined();
    expect(readModelFile(dirname(model))).toBeUndefined();
    // A header that parses but is no model's: refused the same way, never thrown.
    for (const header of ['null', '{"heads":5}', '{"heads":[null]}']) {
      const json = Buffer.from(header);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(json.length);
      writeFileSync(model, Buffer.concat([Buffer.from('BPOREAD1', 'latin1'), length, json]));
      expect(readModelFile(model), header).toBeUndefined();
    }
    const copy = loadKnowledgeBase(file);
    let trained = 0;
    const reader = loadReader(copy, { onTraining: () => trained++ });
    expect(trained).toBe(1);
    expect(readFileSync(model).equals(bytes)).toBe(true);
    expect(readTopics(reader, readMessage(reader, messageWords('Co to jest BPO?')))[0]!.label).toBe('bpo-definition');
  }, 400_000);

  it('is stale once the corpus changes, and current again for the same content', () => {
    const { file, corpus } = copyKnowledge('kb-model-');
    expect(hasCurrentModel(loadKnowledgeBase(file))).toBe(true);
    const path = join(corpus, 'source.jsonl');
    const before = readFileSync(path, 'utf8');
    appendFileSync(path, `${JSON.stringify({ text: 'skąd to wiesz, bocie?', lang: 'pl', brief: 'accepted' })}\n`);
    expect(hasCurrentModel(loadKnowledgeBase(file))).toBe(false);
    writeFileSync(path, before);
    expect(hasCurrentModel(loadKnowledgeBase(file))).toBe(true);
  });

  it('does not depend on the answers\' wording: an edited answer needs no training', () => {
    const { file } = copyKnowledge('kb-model-');
    writeFileSync(file, readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8').replace('Źródłem informacji w artykule jest Wikipedia.', 'Źródło: Wikipedia.'));
    expect(hasCurrentModel(loadKnowledgeBase(file))).toBe(true);
  });
});
