import { z } from 'zod';

/** The two languages the bot answers in. Polish is the article's own language and the default. */
export const LANGS = ['pl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The longest entry id. Ids travel inside Discord custom ids (at most 100 characters): the topic
 * button's "topic:<id>:<lang>" and the vote button's "vote:down:<id>:<12-character answer reference>",
 * the longer of the two, leave 77; 64 keeps a margin for one more field.
 */
export const MAX_ENTRY_ID_LENGTH = 64;
/** The article file's size cap: the shipped article is 3 KB, and the whole file is read into memory. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

/**
 * Caps on every text, so a hostile or mistaken file is refused with a sentence rather than
 * choking the normalizer: each comfortably above what a Discord message shows.
 */
const MAX_LENGTH = Object.freeze({ title: 200, answer: 2000, statement: 300, quote: 500, articleField: 200, url: 500 });

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const nonEmpty = text(MAX_LENGTH.articleField);

const bilingualText = (max: number) => z.object({ pl: text(max), en: text(max) }).strict();

export const entrySchema = z
  .object({
    /** Stable id: lower-case words joined by hyphens. Used in buttons and logs, so never renamed. */
    id: z
      .string()
      .max(MAX_ENTRY_ID_LENGTH, `must be at most ${MAX_ENTRY_ID_LENGTH} characters, so that it fits in button ids`)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, hyphens)'),
    title: bilingualText(MAX_LENGTH.title),
    /** Short answer. The Polish one may fix the article's spelling; the English one is a faithful translation. */
    answer: bilingualText(MAX_LENGTH.answer),
    /** The exact sentence (or two) of the article the answer rests on, typos included. */
    quote: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_LENGTH.quote, `must be at most ${MAX_LENGTH.quote} characters: quote a sentence or two, not a paragraph`),
    /** 1-based number of the article paragraph (blocks separated by blank lines) that holds the quote. */
    paragraph: z.number().int().positive(),
    /** Further sentences the answer rests on (a comparison quotes both sides), each verbatim. */
    moreQuotes: z
      .array(z.object({ quote: text(MAX_LENGTH.quote), paragraph: z.number().int().positive() }).strict())
      .max(2, 'at most 2 more quotes: all quotes of an answer are shown together')
      .optional(),
    /**
     * Yes/no statements the article settles, with their truth ("Klienci widzą procesy back-office":
     * false). The reader learns them, asked back as questions, with the corpus's yes/no questions.
     */
    statements: z
      .array(z.object({ pl: text(MAX_LENGTH.statement), en: text(MAX_LENGTH.statement), true: z.boolean() }).strict())
      .max(50, 'at most 50 statements')
      .optional(),
    related: z.array(z.string().max(MAX_ENTRY_ID_LENGTH, `must be at most ${MAX_ENTRY_ID_LENGTH} characters`)).max(3, 'at most 3 related topics (one button each)'),
    /** Shown first when the autocomplete input is empty, and in the topic list. */
    pinned: z.boolean().optional(),
  })
  .strict();

export const knowledgeFileSchema = z
  .object({
    article: z
      .object({
        /** File name of the article, beside the knowledge JSON (the loader keeps it inside that folder). */
        file: nonEmpty,
        title: nonEmpty,
        /** Where the article says its facts come from. */
        source: nonEmpty,
        /** Shown as a link on every answer: https only, so no javascript: or plain-http link reaches a reader. */
        url: z
          .string()
          .trim()
          .max(MAX_LENGTH.url, `must be at most ${MAX_LENGTH.url} characters`)
          .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', 'must be an https:// address'),
      })
      .strict(),
    /**
     * The folder of the corpus, beside the knowledge file: one JSON Lines file of examples per entry
     * (see src/knowledge/corpus.ts). Without it the reader learns from the entries' titles and statements only.
     */
    corpus: nonEmpty.optional(),
    entries: z.array(entrySchema).min(1, 'needs at least one entry').max(50_000, 'at most 50000 entries'),
  })
  .strict();

export type Entry = z.infer<typeof entrySchema>;
export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;
