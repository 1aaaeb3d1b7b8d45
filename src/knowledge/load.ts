import { lstatSync, realpathSync } from 'node:fs';
import { jsonErrorPosition, jsonErrorReason } from './json-error.ts';
import { feedRegularFile, NotReadableAsFile, readRegularFile } from './regular-file.ts';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { splitParagraphs, type Article } from './article.ts';
import { contentOfTexts, corpusDigest, parseCorpus, type Corpus } from './corpus.ts';
import { entrySchema, knowledgeFileSchema, MAX_ARTICLE_BYTES, type Entry, type KnowledgeFile } from './schema.ts';

export const DEFAULT_KNOWLEDGE_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../knowledge/bpo.json');

export interface KnowledgeBase {
  article: Article;
  entries: readonly Entry[];
  byId: ReadonlyMap<string, Entry>;
  /** How people ask for each entry, and what none answers: what the reader learns from. */
  corpus: Corpus;
  /** The files it was read from, when it was (loadKnowledgeBase): what live reload watches. */
  files?: KnowledgeFiles;
}

export interface KnowledgeFiles {
  knowledge: string;
  article: string;
  /** The corpus folder, when the knowledge file names one. */
  corpus?: string;
  /** Where the reader's model is kept: the knowledge file's name with ".model" (bpo.json: bpo.model). */
  model: string;
}

/**
 * The largest corpus file read: a bound on memory, with room to grow. The shipped entries' files are
 * 0.2–0.4 MB, out-of-scope.jsonl 2.4 MB and follow-ups.jsonl, every follow-up in one file, 5.3 MB.
 */
export const MAX_CORPUS_FILE_BYTES = 16 * 1024 * 1024;
/** The largest knowledge file read: the shipped one is about 60 KB. */
export const MAX_KNOWLEDGE_FILE_BYTES = 10 * 1024 * 1024;

/** Raised when the knowledge file is unusable; `problems` name the file, the entry and the field to fix. */
export class KnowledgeBaseError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the knowledge base:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KnowledgeBaseError';
  }
}

export interface LoadOptions {
  /**
   * Whether to read and check the corpus's examples (the default), or only fingerprint its files:
   * a process whose model was trained from exactly these files needs neither their examples nor
   * their check (they were checked when it was trained), and skips thousands of objects.
   */
  withExamples?: boolean;
}

/** Reads, validates and indexes the knowledge file and the article beside it. Throws KnowledgeBaseError. */
export function loadKnowledgeBase(file: string = DEFAULT_KNOWLEDGE_FILE, { withExamples = true }: LoadOptions = {}): KnowledgeBase {
  const shown = relative(process.cwd(), file) || file;
  const raw = readText(file, shown);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new KnowledgeBaseError(shown, [jsonErrorAt(raw, error as Error)]);
  }
  // The file is validated before the article it names is opened: a malformed file reads nothing
  // else. What can be checked beyond a schema problem still is, so that one run lists them all.
  const data = checkSchema(json, shown, (problems) => [...problems, ...problemsBeyondSchema(json, file, shown)]);
  const article = readInside(file, data.article.file, 'article.file', MAX_ARTICLE_BYTES, shown);
  const corpusFolder = data.corpus === undefined ? undefined : folderInside(file, data.corpus, shown);
  // A corpus file's name as the knowledge file would give it, when the file exists.
  const inCorpus = (name: string) => (exists(join(corpusFolder!, name)) ? join(data.corpus!, name) : undefined);
  const readCorpusFile: CorpusReader = Object.assign(
    (name: string) => {
      const path = inCorpus(name);
      return path === undefined ? undefined : readInside(file, path, 'corpus', MAX_CORPUS_FILE_BYTES, shown).text;
    },
    {
      feed: (name: string, take: (chunk: Uint8Array) => void) => {
        const path = inCorpus(name);
        if (path !== undefined) readFileInside(file, path, 'corpus', MAX_CORPUS_FILE_BYTES, shown, (real) => feedRegularFile(real, MAX_CORPUS_FILE_BYTES, take));
        return path !== undefined;
      },
    },
  );
  const kb = buildKnowledgeBase(data, article.text, shown, corpusFolder ? readCorpusFile : undefined, withExamples);
  const model = modelPathOf(file);
  return { ...kb, files: { knowledge: resolve(file), article: article.path, ...(corpusFolder ? { corpus: corpusFolder } : {}), model } };
}

/** Where the reader's model of a knowledge file is kept: beside it, with ".model" for its extension. */
export function modelPathOf(file: string): string {
  return join(dirname(resolve(file)), `${basename(file, extname(file))}.model`);
}

/** Validates already-read content; pure, so tests can feed it broken variants. A corpus is read through `readCorpusFile` when given. */
export function parseKnowledgeBase(json: unknown, articleText: string, shown = 'knowledge', readCorpusFile?: (name: string) => string | undefined): KnowledgeBase {
  return buildKnowledgeBase(checkSchema(json, shown), articleText, shown, readCorpusFile);
}

function checkSchema(json: unknown, shown: string, alsoProblems: (problems: string[]) => string[] = (problems) => problems): KnowledgeFile {
  const parsed = knowledgeFileSchema.safeParse(json);
  if (!parsed.success) throw new KnowledgeBaseError(shown, alsoProblems(parsed.error.issues.map((issue) => describeIssue(issue, json))));
  return parsed.data;
}

/**
 * With the file's schema broken somewhere, the problems the rest of it still shows: the quotes
 * and related ids of every entry that is well-formed on its own, and the corpus. Only an article
 * block that passes its own schema is read, under the same rules as always.
 */
function problemsBeyondSchema(json: unknown, file: string, shown: string): string[] {
  const { article, entries, corpus } = (json ?? {}) as { article?: unknown; entries?: unknown; corpus?: unknown };
  const articleBlock = knowledgeFileSchema.shape.article.safeParse(article);
  const rawEntries = Array.isArray(entries) ? entries : [];
  const valid = rawEntries.flatMap((entry) => {
    const parsed = entrySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  const ids = new Set(rawEntries.flatMap((entry) => (typeof (entry as { id?: unknown })?.id === 'string' ? [(entry as { id: string }).id] : [])));
  const problems: string[] = [];
  try {
    if (articleBlock.success) {
      const text = readInside(file, articleBlock.data.file, 'article.file', MAX_ARTICLE_BYTES, shown).text;
      problems.push(...crossCheck(valid, text, splitParagraphs(text)).filter((problem) => !/field "related": unknown entry id/.test(problem) || !ids.has(/"([^"]+)"$/.exec(problem)?.[1] ?? '')));
    }
    if (typeof corpus === 'string') {
      const folder = folderInside(file, corpus, shown);
      problems.push(...parseCorpus(ids, (name) => (exists(join(folder, name)) ? readInside(file, join(corpus, name), 'corpus', MAX_CORPUS_FILE_BYTES, shown).text : undefined), corpus).problems);
    }
  } catch (error) {
    if (error instanceof KnowledgeBaseError) problems.push(...error.problems);
    else throw error;
  }
  return problems;
}

/**
 * A JSON syntax error with its line and column, and the line itself: "at position 36997" alone
 * does not say where to look.
 */
export function jsonErrorAt(text: string, error: Error): string {
  const position = jsonErrorPosition(text, error);
  const reason = jsonErrorReason(error);
  if (position === undefined) return `not valid JSON: ${error.message}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const shownLine = (text.split('\n')[line - 1] ?? '').replace(/\t/g, ' ');
  const excerpt = shownLine.length > 120 ? `${shownLine.slice(Math.max(0, column - 60), column + 60)}` : shownLine;
  return `not valid JSON at line ${line}, column ${column} (${reason}): ${excerpt.trim()}`;
}

/**
 * Reads a corpus file by name: its text, undefined when there is none. `feed`, when given, hands
 * its bytes over undecoded a chunk at a time, for a fingerprint: 8 MB of corpus decoded into
 * strings is 15 MB of garbage (and read whole, 8 MB) that a bot which only checks its model's
 * freshness would carry until a full collection.
 */
type CorpusReader = ((name: string) => string | undefined) & { feed?: (name: string, take: (chunk: Uint8Array) => void) => boolean };

function buildKnowledgeBase(data: KnowledgeFile, articleText: string, shown: string, readCorpusFile?: CorpusReader, withExamples = true): KnowledgeBase {
  const paragraphs = splitParagraphs(articleText);
  const problems = crossCheck(data.entries, articleText, paragraphs);
  const ids = new Set(data.entries.map((entry) => entry.id));
  let corpus: Corpus = { examples: [], followUps: [], briefs: [], read: true, digest: corpusDigest(ids, () => false) };
  if (data.corpus !== undefined && readCorpusFile) {
    if (withExamples) {
      const read = parseCorpus(ids, readCorpusFile, data.corpus);
      corpus = read.corpus;
      problems.push(...read.problems);
    } else {
      corpus = { examples: [], followUps: [], briefs: [], read: false, digest: corpusDigest(ids, readCorpusFile.feed ?? contentOfTexts(readCorpusFile)) };
    }
  }
  if (problems.length > 0) throw new KnowledgeBaseError(shown, problems);
  return {
    article: { title: data.article.title, source: data.article.source, url: data.article.url, text: articleText, paragraphs },
    entries: data.entries,
    byId: new Map(data.entries.map((entry) => [entry.id, entry])),
    corpus,
  };
}

function crossCheck(entries: readonly Entry[], articleText: string, paragraphs: string[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) problems.push(`entry "${entry.id}", field "id": duplicate id; ids must be unique`);
    ids.add(entry.id);
  }
  for (const entry of entries) {
    const where = `entry "${entry.id}"`;
    for (const id of entry.related) {
      if (!ids.has(id)) problems.push(`${where}, field "related": unknown entry id "${id}"`);
      if (id === entry.id) problems.push(`${where}, field "related": an entry cannot be related to itself`);
    }
    const quotes = [{ quote: entry.quote, paragraph: entry.paragraph, field: 'quote' }, ...(entry.moreQuotes ?? []).map((more, i) => ({ ...more, field: `moreQuotes.${i}.quote` }))];
    for (const { quote, paragraph, field } of quotes) {
      if (!articleText.includes(quote)) {
        problems.push(`${where}, field "${field}": not an exact substring of the article (quotes keep the article's spelling and spaces)`);
      } else if (!paragraphs[paragraph - 1]?.includes(quote)) {
        const actual = paragraphs.findIndex((p) => p.includes(quote)) + 1;
        problems.push(`${where}, field "${field.replace(/quote$/, 'paragraph')}": the quote is in paragraph ${actual || '?'}, not ${paragraph}`);
      } else {
        const cut = howQuoteIsCut(paragraphs[paragraph - 1]!, quote);
        if (cut) problems.push(`${where}, field "${field}": ${cut}`);
      }
    }
  }
  return problems;
}

const LETTER = /[\p{L}\p{N}]/u;
/** Words that turn round what follows them: a quote starting right after one says the opposite of the article. */
const NEGATIONS = new Set(['nie', 'ani', 'nigdy', 'bez', 'not', 'no', 'never', 'without', "isn't", "aren't", "doesn't", "don't", 'nor']);

/**
 * Why a verbatim quote still misquotes its paragraph, or null when it does not: it starts or ends
 * inside a word, or leaves out the negation right in front of it ("jest zauważalna przez klientów"
 * cut from "nie jest zauważalna…"). Fine when any one place it occurs in the paragraph is whole.
 */
export function howQuoteIsCut(paragraph: string, quote: string): string | null {
  let problem: string | null = null;
  for (let at = paragraph.indexOf(quote); at !== -1; at = paragraph.indexOf(quote, at + 1)) {
    const before = paragraph.slice(0, at);
    const after = paragraph.slice(at + quote.length);
    if (insideWord(before.at(-1), quote[0]) || insideWord(quote.at(-1), after[0])) {
      problem = 'starts or ends inside a word of the article; a quote keeps its words whole';
      continue;
    }
    const previousWord = /([\p{L}']+)[^\p{L}.!?;]*$/u.exec(before)?.[1]?.toLowerCase();
    if (previousWord && NEGATIONS.has(previousWord)) {
      problem = `leaves out the "${previousWord}" right before it, which turns its meaning round; start the quote with it`;
      continue;
    }
    return null;
  }
  return problem;
}

/**
 * Whether two neighbouring characters belong to one word. A capital after a small letter starts a
 * new one: the article glues some words where a space went missing ("WikipediaBPO").
 */
function insideWord(left: string | undefined, right: string | undefined): boolean {
  if (!left || !right || !LETTER.test(left) || !LETTER.test(right)) return false;
  return !(left === left.toLowerCase() && left !== left.toUpperCase() && right === right.toUpperCase() && right !== right.toLowerCase());
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const path = issue.path.map(String);
  if (path[0] === 'entries' && path.length >= 2) {
    const index = Number(path[1]);
    const id = entryIdAt(json, index);
    const field = path.slice(2).join('.') || '(the entry itself)';
    return `entry ${id ? `"${id}"` : `#${index + 1}`}, field "${field}": ${issue.message}`;
  }
  return `field "${path.join('.') || '(top level)'}": ${issue.message}`;
}

function entryIdAt(json: unknown, index: number): string | undefined {
  const entries = (json as { entries?: unknown })?.entries;
  const entry = Array.isArray(entries) ? (entries[index] as { id?: unknown } | undefined) : undefined;
  return typeof entry?.id === 'string' ? entry.id : undefined;
}

/**
 * A file a knowledge file names (its article, a corpus file), read only if it is a regular UTF-8
 * file of at most `maxBytes` inside the knowledge file's own folder (links included, wherever they
 * lead): a knowledge file must not be able to read, or probe with its quotes, any other file.
 */
function readInside(knowledgeFile: string, name: string, field: string, maxBytes: number, shown: string): { text: string; path: string } {
  const { value: bytes, path } = readFileInside(knowledgeFile, name, field, maxBytes, shown, (real) => readRegularFile(real, maxBytes));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), path };
  } catch {
    throw new KnowledgeBaseError(shown, [`field "${field}": "${name}" is not UTF-8 text`]);
  }
}

/** What `read` makes of a file the knowledge file names, once it is found inside the knowledge file's folder, and its path. */
function readFileInside<Read>(knowledgeFile: string, name: string, field: string, maxBytes: number, shown: string, read: (real: string) => Read): { value: Read; path: string } {
  const refuse = (problem: string): never => {
    throw new KnowledgeBaseError(shown, [`field "${field}": ${problem}`]);
  };
  const folder = dirname(resolve(knowledgeFile));
  const target = resolve(folder, name);
  if (isAbsolute(name) || !isInside(target, folder)) refuse(`must name a file inside the knowledge file's folder, and "${name}" is not`);
  const shownFile = relative(process.cwd(), target) || target;
  let real: string;
  try {
    real = realpathSync(target);
  } catch (error) {
    throw unreadable(error, shownFile);
  }
  if (!isInside(real, realpathSync(folder))) refuse(`"${name}" leads outside the knowledge file's folder`);
  try {
    return { value: read(real), path: target };
  } catch (error) {
    if (error instanceof NotReadableAsFile) return refuse(error.reason === 'not-regular' ? `"${name}" is not a regular file` : `"${name}" is larger than ${maxBytes / 1024 / 1024} MB`);
    throw unreadable(error, shownFile);
  }
}

/** The corpus folder a knowledge file names, kept inside the knowledge file's folder like its files. */
function folderInside(knowledgeFile: string, name: string, shown: string): string {
  const folder = dirname(resolve(knowledgeFile));
  const target = resolve(folder, name);
  if (isAbsolute(name) || !isInside(target, folder)) throw new KnowledgeBaseError(shown, [`field "corpus": must name a folder inside the knowledge file's folder, and "${name}" is not`]);
  return target;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

function unreadable(error: unknown, shown: string): KnowledgeBaseError {
  const code = (error as NodeJS.ErrnoException).code;
  return new KnowledgeBaseError(shown, [code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`]);
}

/** The knowledge file itself: a regular file (a pipe in its place must not stall the read) of at most MAX_KNOWLEDGE_FILE_BYTES. */
function readText(file: string, shown: string): string {
  try {
    return readRegularFile(file, MAX_KNOWLEDGE_FILE_BYTES).toString('utf8');
  } catch (error) {
    if (error instanceof NotReadableAsFile) {
      throw new KnowledgeBaseError(shown, [error.reason === 'not-regular' ? 'is not a regular file' : `is larger than ${MAX_KNOWLEDGE_FILE_BYTES / 1024 / 1024} MB`]);
    }
    throw unreadable(error, shown);
  }
}
