/**
 * The corpus: how people ask, the examples the reader learns from. One JSON Lines file per entry
 * (`<entry id>.jsonl`) and `out-of-scope.jsonl` for what no entry answers, each line one message
 * with its language and the brief it was written from; `briefs.json` describes every brief.
 */
import { jsonErrorPosition, jsonErrorReason } from './json-error.ts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LANGS, MAX_ENTRY_ID_LENGTH, type Lang } from './schema.ts';

/** What out-of-scope examples are, for reading results by kind. Small talk is answered with a greeting, the rest with "not found". */
export const OUT_OF_SCOPE_KINDS = ['chit-chat', 'thanks', 'about-asker', 'near-miss', 'other-company', 'undefined-term', 'unrelated', 'meta'] as const;
export type OutOfScopeKind = (typeof OUT_OF_SCOPE_KINDS)[number];
/** Kinds that are social rather than a question: they get a greeting, not "I don't know". */
export const SOCIAL_KINDS: ReadonlySet<OutOfScopeKind> = new Set(['chit-chat', 'thanks']);

export const OUT_OF_SCOPE_FILE = 'out-of-scope.jsonl';
/** Messages read in the light of the answer just given: "a front office?" after back-office. */
export const FOLLOW_UPS_FILE = 'follow-ups.jsonl';
export const BRIEFS_FILE = 'briefs.json';
/** Longer examples are longer than any question the bot accepts. */
export const MAX_EXAMPLE_LENGTH = 300;

const id = z
  .string()
  .max(MAX_ENTRY_ID_LENGTH, `must be at most ${MAX_ENTRY_ID_LENGTH} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, hyphens)');
const text = z.string().trim().min(1, 'must not be empty').max(MAX_EXAMPLE_LENGTH, `must be at most ${MAX_EXAMPLE_LENGTH} characters`);
const common = { text, lang: z.enum(LANGS), brief: id };

const inScopeSchema = z
  .object({
    ...common,
    /** For a yes/no question the article settles: the answer it gives. */
    verdict: z.enum(['yes', 'no']).optional(),
    /** Further entries a message needs (it asks two things, or compares two topics). */
    also: z.array(id).min(1).max(2).optional(),
  })
  .strict();
const outOfScopeSchema = z.object({ ...common, kind: z.enum(OUT_OF_SCOPE_KINDS) }).strict();
const followUpSchema = z
  .object({
    ...common,
    /** The entry of the answer just given. */
    after: id,
    /** The entry that answers the follow-up, or null when none does (then `kind` says what it is). */
    entry: id.nullable(),
    verdict: z.enum(['yes', 'no']).optional(),
    kind: z.enum(OUT_OF_SCOPE_KINDS).optional(),
    /** It asks for more than the answer gave ("can you elaborate?", "rozwiń"): the entry is the one just answered. */
    more: z.literal(true).optional(),
  })
  .strict()
  .refine((line) => (line.entry === null) === (line.kind !== undefined), { message: 'a follow-up no entry answers has a "kind", and only it', path: ['kind'] })
  .refine((line) => !line.more || line.entry === line.after, { message: 'a follow-up that asks for more is about the entry just answered: its "entry" is its "after"', path: ['more'] });

export const briefsSchema = z
  .array(
    z
      .object({
        id,
        persona: z.string().min(1),
        register: z.string().min(1),
        task: z.string().min(1),
        /** Whether the askers have read the article (or how many of them). */
        readTheArticle: z.union([z.boolean(), z.string().min(1)]),
      })
      .strict(),
  )
  .min(1, 'needs at least one brief');
export type Brief = z.infer<typeof briefsSchema>[number];

export interface CorpusExample {
  /** The entry that answers it; null for out of scope. */
  entry: string | null;
  text: string;
  lang: Lang;
  brief: string;
  verdict?: 'yes' | 'no';
  also?: string[];
  kind?: OutOfScopeKind;
}

/** A follow-up: a message read in the light of the entry just answered. */
export interface FollowUpExample {
  after: string;
  entry: string | null;
  text: string;
  lang: Lang;
  brief: string;
  verdict?: 'yes' | 'no';
  kind?: OutOfScopeKind;
  more?: true;
}

export interface Corpus {
  /** The examples, when they were read (see `withExamples` of loadKnowledgeBase); empty otherwise. */
  examples: CorpusExample[];
  followUps: FollowUpExample[];
  briefs: Brief[];
  /** Whether `examples` holds the corpus, or it was only fingerprinted. */
  read: boolean;
  /**
   * A digest of the corpus files' bytes: what a model records it was trained from. Computed
   * without parsing, so a process whose model is current never builds the examples at all.
   */
  digest: string;
}

/** The files of a corpus for a knowledge base's entries, in the order they are read and fingerprinted. */
export function corpusFileNames(entryIds: Iterable<string>): string[] {
  return [BRIEFS_FILE, ...[...entryIds].map((id) => `${id}.jsonl`), OUT_OF_SCOPE_FILE, FOLLOW_UPS_FILE];
}

/** A corpus file's content handed to `take` whole or in chunks, texts or bytes; false when there is no such file. */
export type CorpusContent = (name: string, take: (chunk: string | Uint8Array) => void) => boolean;

/** The content of corpus files read as texts (undefined: no such file). */
export function contentOfTexts(read: (name: string) => string | undefined): CorpusContent {
  return (name, take) => {
    const text = read(name);
    if (text !== undefined) take(text);
    return text !== undefined;
  };
}

/** The digest of a corpus from its files' texts or bytes, which hash alike. */
export function corpusDigest(entryIds: Iterable<string>, content: CorpusContent): string {
  const hash = createHash('sha256');
  for (const name of corpusFileNames(entryIds)) {
    hash.update(`${name}\0`);
    // Text is hashed as UTF-8, the files' encoding: the same as the file's bytes.
    if (!content(name, (chunk) => hash.update(chunk))) hash.update('(none)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** One example to add to a corpus file, as its line. */
export function exampleLine(example: Omit<CorpusExample, 'entry'>): string {
  const { text, lang, brief, verdict, also, kind } = example;
  return JSON.stringify({ text, lang, brief, ...(verdict ? { verdict } : {}), ...(also ? { also } : {}), ...(kind ? { kind } : {}) });
}

/**
 * Reads and checks a corpus: `briefs.json`, `<entry id>.jsonl` for every entry that has examples,
 * and `out-of-scope.jsonl`. Every problem is collected, named by file and line, so one run lists
 * them all. `readFile` reads a file of the corpus folder by name (the caller keeps it inside the
 * knowledge folder), undefined for a file that does not exist; what it throws is reported.
 */
export function parseCorpus(entryIds: ReadonlySet<string>, readFile: (name: string) => string | undefined, shownFolder: string): { corpus: Corpus; problems: string[] } {
  const texts = new Map<string, string | undefined>();
  const read = (name: string) => {
    if (!texts.has(name)) texts.set(name, readFile(name));
    return texts.get(name);
  };
  const problems: string[] = [];
  let briefs: Brief[] = [];
  try {
    const text = read(BRIEFS_FILE);
    if (text === undefined) throw new Error(`file not found: every corpus describes its briefs in ${BRIEFS_FILE}`);
    const parsed = briefsSchema.safeParse(JSON.parse(text));
    if (parsed.success) briefs = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => `${shownFolder}/${BRIEFS_FILE}, field "${issue.path.join('.')}": ${issue.message}`));
  } catch (error) {
    problems.push(...problemsOf(error, `${shownFolder}/${BRIEFS_FILE}`));
  }
  const briefIds = new Set(briefs.map((brief) => brief.id));
  if (briefIds.size !== briefs.length) problems.push(`${shownFolder}/${BRIEFS_FILE}: brief ids must be unique`);

  const examples: CorpusExample[] = [];
  // The first file and line each folded text was seen in: the same message under two labels cannot be learned.
  const seen = new Map<string, { where: string; label: string | null }>();
  // The files are named by the entries, so no listing of the folder is needed, and a file for an
  // entry that no longer exists is simply not read. An entry without examples is answered from its
  // title and statements only.
  for (const entry of [...entryIds, null]) {
    const outOfScope = entry === null;
    const name = outOfScope ? OUT_OF_SCOPE_FILE : `${entry}.jsonl`;
    let text: string | undefined;
    try {
      text = read(name);
    } catch (error) {
      problems.push(...problemsOf(error, `${shownFolder}/${name}`));
      continue;
    }
    if (text === undefined) continue;
    const schema: z.ZodType<Omit<CorpusExample, 'entry'>> = outOfScope ? outOfScopeSchema : inScopeSchema;
    forEachLine(text, `${shownFolder}/${name}`, schema, briefIds, problems, (line, where) => {
      const example: CorpusExample = { entry, ...line };
      for (const other of example.also ?? []) {
        if (!entryIds.has(other)) problems.push(`${where}, field "also": unknown entry id "${other}"`);
        if (other === entry) problems.push(`${where}, field "also": names the file's own entry`);
      }
      const key = sameTextKey(example.text);
      const earlier = seen.get(key);
      if (earlier) {
        problems.push(earlier.label === entry ? `${where}: the same text as ${earlier.where}` : `${where}: the same text as ${earlier.where}, under another label: keep it in one file`);
        return;
      }
      seen.set(key, { where, label: entry });
      examples.push(example);
    });
  }
  const followUps = parseFollowUps(read, entryIds, briefIds, shownFolder, problems);
  return { corpus: { examples, followUps, briefs, read: true, digest: problems.length > 0 ? '' : corpusDigest(entryIds, contentOfTexts(read)) }, problems: grouped(problems) };
}

function parseFollowUps(read: (name: string) => string | undefined, entryIds: ReadonlySet<string>, briefIds: ReadonlySet<string>, shownFolder: string, problems: string[]): FollowUpExample[] {
  let text: string | undefined;
  try {
    text = read(FOLLOW_UPS_FILE);
  } catch (error) {
    problems.push(...problemsOf(error, `${shownFolder}/${FOLLOW_UPS_FILE}`));
    return [];
  }
  const followUps: FollowUpExample[] = [];
  const seen = new Map<string, string>();
  forEachLine(text ?? '', `${shownFolder}/${FOLLOW_UPS_FILE}`, followUpSchema, briefIds, problems, (example, where) => {
    for (const [field, value] of [['after', example.after], ['entry', example.entry]] as const) {
      if (value !== null && !entryIds.has(value)) problems.push(`${where}, field "${field}": unknown entry id "${value}"`);
    }
    // The same message after the same answer can mean one thing only.
    const key = `${example.after}\0${sameTextKey(example.text)}`;
    const earlier = seen.get(key);
    if (earlier) {
      problems.push(`${where}: the same follow-up to the same entry as ${earlier}`);
      return;
    }
    seen.set(key, where);
    followUps.push(example);
  });
  return followUps;
}

/** Texts that differ only in case and spacing are the same example. */
function sameTextKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Each non-blank line of a JSON-lines corpus file, parsed, checked against `schema` and its brief
 * looked up, handed to `each` with where it is. A line that fails is a problem and is skipped.
 */
function forEachLine<T extends { brief: string }>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
  briefIds: ReadonlySet<string>,
  problems: string[],
  each: (line: T, where: string) => void,
): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not valid JSON (${jsonReason(line, error as Error)})`);
      return;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${where}, field "${issue.path.join('.') || '(the line)'}": ${issue.message}`));
      return;
    }
    if (!briefIds.has(parsed.data.brief)) problems.push(`${where}, field "brief": "${parsed.data.brief}" is not described in ${BRIEFS_FILE}`);
    each(parsed.data, where);
  });
}

/** A read error as problems: a KnowledgeBaseError's own (they name the field), or its message. */
function problemsOf(error: unknown, where: string): string[] {
  const problems = (error as { problems?: unknown }).problems;
  return Array.isArray(problems) ? problems.map(String) : [`${where}: ${(error as Error).message}`];
}

/** A line's JSON error as a reason with its column. */
function jsonReason(line: string, error: Error): string {
  const position = jsonErrorPosition(line, error);
  const reason = jsonErrorReason(error);
  return position === undefined ? error.message : `${reason}, at column ${position + 1}`;
}

/** The same problem on many lines (an entry id renamed, a brief dropped) as one line with the count and the first place. */
function grouped(problems: string[]): string[] {
  const LOCATION = /^(\S+ line \d+)(.*)$/;
  const byWhat = new Map<string, string[]>();
  for (const problem of problems) {
    const match = LOCATION.exec(problem);
    const what = match ? match[2]! : problem;
    byWhat.set(what, [...(byWhat.get(what) ?? []), match ? match[1]! : '']);
  }
  return [...byWhat].flatMap(([what, places]) => (places.length > 3 ? [`${places.length} corpus lines${what} (the first: ${places[0]})`] : places.map((place) => (place ? `${place}${what}` : what))));
}
