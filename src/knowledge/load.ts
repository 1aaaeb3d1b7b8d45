import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { findSynonymConflicts } from '../search/thesaurus.ts';
import { splitParagraphs, type Article } from './article.ts';
import { knowledgeFileSchema, type Entry, type KnowledgeFile } from './schema.ts';

export const DEFAULT_KNOWLEDGE_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../knowledge/bpo.json');

export interface KnowledgeBase {
  article: Article;
  synonyms: readonly (readonly string[])[];
  entries: readonly Entry[];
  byId: ReadonlyMap<string, Entry>;
}

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

/** Reads, validates and indexes the knowledge file and the article beside it. Throws KnowledgeBaseError. */
export function loadKnowledgeBase(file: string = DEFAULT_KNOWLEDGE_FILE): KnowledgeBase {
  const shown = relative(process.cwd(), file) || file;
  const raw = readText(file, shown);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new KnowledgeBaseError(shown, [`not valid JSON: ${(error as Error).message}`]);
  }
  const articleFile = join(dirname(file), readArticleFileName(json));
  return parseKnowledgeBase(json, readText(articleFile, relative(process.cwd(), articleFile)), shown);
}

/** Validates already-read content; pure, so tests can feed it broken variants. */
export function parseKnowledgeBase(json: unknown, articleText: string, shown = 'knowledge'): KnowledgeBase {
  const parsed = knowledgeFileSchema.safeParse(json);
  if (!parsed.success) throw new KnowledgeBaseError(shown, parsed.error.issues.map((issue) => describeIssue(issue, json)));
  const data: KnowledgeFile = parsed.data;
  const paragraphs = splitParagraphs(articleText);
  const problems = [...crossCheck(data.entries, articleText, paragraphs), ...findSynonymConflicts(data.synonyms)];
  if (problems.length > 0) throw new KnowledgeBaseError(shown, problems);
  return {
    article: { title: data.article.title, source: data.article.source, url: data.article.url, text: articleText, paragraphs },
    synonyms: data.synonyms,
    entries: data.entries,
    byId: new Map(data.entries.map((entry) => [entry.id, entry])),
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
      }
    }
  }
  return problems;
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

function readArticleFileName(json: unknown): string {
  const file = (json as { article?: { file?: unknown } })?.article?.file;
  return typeof file === 'string' && file !== '' ? file : 'bpo-article.txt';
}

function readText(file: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KnowledgeBaseError(shown, [code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`]);
  }
}
