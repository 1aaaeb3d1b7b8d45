import { z } from 'zod';
import { INTENTS } from '../answering/intent.ts';

/** The two languages the bot answers in. Polish is the article's own language and the default. */
export const LANGS = ['pl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const bilingualText = z.object({ pl: nonEmpty, en: nonEmpty }).strict();
const bilingualList = z
  .object({
    pl: z.array(nonEmpty).min(2, 'needs at least 2 phrasings'),
    en: z.array(nonEmpty).min(2, 'needs at least 2 phrasings'),
  })
  .strict();

export const entrySchema = z
  .object({
    /** Stable id: lower-case words joined by hyphens. Used in buttons and logs, so never renamed. */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, hyphens)'),
    title: bilingualText,
    /** Short answer. The Polish one may fix the article's spelling; the English one is a faithful translation. */
    answer: bilingualText,
    /** Other ways people ask this question. */
    questions: bilingualList,
    /** Search terms, including inflected and diacritic-free forms. */
    keywords: z.array(nonEmpty).min(3, 'needs at least 3 keywords'),
    /** The exact sentence (or two) of the article the answer rests on, typos included. */
    quote: nonEmpty.max(500, 'must be at most 500 characters: quote a sentence or two, not a paragraph'),
    /** 1-based number of the article paragraph (blocks separated by blank lines) that holds the quote. */
    paragraph: z.number().int().positive(),
    /** Further sentences the answer rests on (a comparison quotes both sides), each verbatim. */
    moreQuotes: z
      .array(z.object({ quote: nonEmpty.max(500, 'must be at most 500 characters'), paragraph: z.number().int().positive() }).strict())
      .max(2, 'at most 2 more quotes: all quotes of an answer are shown together')
      .optional(),
    /**
     * What the entry answers beyond describing its topic: a reason ("why"), who does something,
     * when, where, an amount, how to, an opinion, drawbacks. A question asking for one of these is
     * only answered by an entry that lists it; lists, comparisons and examples are marked the same way.
     */
    answers: z.array(z.enum(INTENTS)).optional(),
    /**
     * Yes/no statements the article settles, with their truth: a yes/no question that matches one
     * is answered "Tak"/"Nie" first. Also searched like the alternate questions.
     */
    statements: z
      .array(z.object({ pl: nonEmpty, en: nonEmpty, true: z.boolean() }).strict())
      .optional(),
    related: z.array(z.string()).max(3, 'at most 3 related topics (one button each)'),
    /** Shown first when the autocomplete input is empty, and in the topic list. */
    pinned: z.boolean().optional(),
  })
  .strict();

export const knowledgeFileSchema = z
  .object({
    article: z
      .object({
        /** File name of the article, beside the knowledge JSON. */
        file: nonEmpty,
        title: nonEmpty,
        /** Where the article says its facts come from. */
        source: nonEmpty,
        url: z.url(),
      })
      .strict(),
    /**
     * Groups of single words that mean the same thing for search ("zlecać", "oddać", "outsource"),
     * so a question in other words than the entries' still finds them. Inflected forms are covered.
     */
    synonyms: z.array(z.array(z.string().regex(/^[\p{L}\p{N}]+$/u, 'must be one word (letters and digits only)')).min(2, 'a group needs 2+ words')).default([]),
    entries: z.array(entrySchema).min(1, 'needs at least one entry'),
  })
  .strict();

export type Entry = z.infer<typeof entrySchema>;
export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;
