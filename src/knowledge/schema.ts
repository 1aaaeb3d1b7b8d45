import { z } from 'zod';
import { INTENTS } from '../answering/intent.ts';

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
const MAX_LENGTH = Object.freeze({ title: 200, answer: 2000, phrasing: 300, keyword: 100, quote: 500, synonym: 50, articleField: 200, url: 500 });

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const nonEmpty = text(MAX_LENGTH.articleField);

const bilingualText = (max: number) => z.object({ pl: text(max), en: text(max) }).strict();
const phrasings = z.array(text(MAX_LENGTH.phrasing)).min(2, 'needs at least 2 phrasings').max(50, 'at most 50 phrasings per language');
const bilingualList = z.object({ pl: phrasings, en: phrasings }).strict();

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
    /** Other ways people ask this question. */
    questions: bilingualList,
    /** Search terms, including inflected and diacritic-free forms. */
    keywords: z.array(text(MAX_LENGTH.keyword)).min(3, 'needs at least 3 keywords').max(200, 'at most 200 keywords'),
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
     * What the entry answers beyond describing its topic: a reason ("why"), who does something,
     * when, where, an amount, how to, an opinion, drawbacks. A question asking for one of these is
     * only answered by an entry that lists it; lists, comparisons and examples are marked the same way.
     */
    answers: z.array(z.enum(INTENTS)).max(INTENTS.length, `at most ${INTENTS.length} (each kind once)`).optional(),
    /**
     * Yes/no statements the article settles, with their truth: a yes/no question that matches one
     * is answered "Tak"/"Nie" first. Also searched like the alternate questions.
     */
    statements: z
      .array(z.object({ pl: text(MAX_LENGTH.phrasing), en: text(MAX_LENGTH.phrasing), true: z.boolean() }).strict())
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
     * Groups of single words that mean the same thing for search ("zlecać", "oddać", "outsource"),
     * so a question in other words than the entries' still finds them. Inflected forms are covered.
     */
    synonyms: z
      .array(
        z
          .array(
            z
              .string()
              .max(MAX_LENGTH.synonym, `must be at most ${MAX_LENGTH.synonym} characters`)
              .regex(/^[\p{L}\p{N}]+$/u, 'must be one word (letters and digits only)'),
          )
          .min(2, 'a group needs 2+ words')
          .max(200, 'at most 200 words per group'),
      )
      .max(1000, 'at most 1000 groups')
      .default([]),
    entries: z.array(entrySchema).min(1, 'needs at least one entry').max(50_000, 'at most 50000 entries'),
  })
  .strict();

export type Entry = z.infer<typeof entrySchema>;
export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;
