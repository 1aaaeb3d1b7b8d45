/**
 * A large synthetic knowledge base for the speed benchmark. Search cost grows with the vocabulary
 * and the posting lists, not just the entry count, so copying the shipped entries 400 times would
 * flatter the search: every word would already be known and every list short of distinct words.
 * Each synthetic entry keeps the shape of a shipped entry (same fields, same number of phrasings
 * and keywords, similar lengths) but most of its words come from a generated vocabulary of
 * pseudo-Polish words drawn with a Zipf-like frequency, as words in real text are.
 */
import type { Entry } from '../../src/knowledge/schema.ts';

/** A small seeded generator (mulberry32), so every run benchmarks the same knowledge base. */
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

const ONSETS = ['', '', 'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'ł', 'm', 'n', 'p', 'r', 's', 't', 'w', 'z', 'ch', 'cz', 'dz', 'rz', 'sz', 'ś', 'ż', 'ź', 'ć', 'br', 'dr', 'gr', 'kr', 'pr', 'tr', 'st', 'sk', 'sp', 'szcz', 'prz', 'trz', 'kl', 'pl', 'gł', 'wł', 'zw', 'sm', 'sn', 'dw', 'kw'];
const NUCLEI = ['a', 'a', 'e', 'e', 'i', 'o', 'o', 'u', 'y', 'ą', 'ę', 'ó', 'ie', 'ia', 'io'];
const CODAS = ['', '', '', '', 'n', 'r', 's', 'k', 'ł', 'm', 'st', 'l', 'j'];
/** Inflectional and derivational endings, so the vocabulary stresses stemming and fuzzy matching as Polish does. */
const ENDINGS = ['', 'a', 'e', 'i', 'o', 'y', 'ę', 'ą', 'ów', 'ami', 'ach', 'om', 'ego', 'emu', 'ej', 'ym', 'ych', 'owy', 'owa', 'owe', 'owych', 'owanie', 'ować', 'ość', 'ości', 'nie', 'nia', 'cja', 'cji', 'ski', 'ska', 'cki', 'arz', 'ek', 'ka', 'ik', 'ny', 'na', 'ne', 'ić', 'ać', 'ał', 'ała', 'ują', 'uje'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** `size` distinct pseudo-Polish words of one to three syllables and a Polish-like ending. */
export function generateVocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = 1 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < syllables; i++) word += pick(ONSETS, random) + pick(NUCLEI, random) + (i < syllables - 1 ? pick(CODAS, random) : '');
    word += pick(ENDINGS, random);
    if (word.length >= 3) words.add(word);
  }
  return [...words];
}

/** Draws words with probability falling as 1 / (rank + 10): a few common words, a long tail of rare ones. */
function zipfSampler(vocabulary: readonly string[], random: () => number): () => string {
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  for (let rank = 0; rank < vocabulary.length; rank++) {
    total += 1 / (rank + 10);
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low]!;
  };
}

export interface SyntheticOptions {
  /** Entries in the result, the shipped ones included. */
  total: number;
  vocabularySize: number;
  /** Share of words kept from the template entry; the rest are replaced by generated words. */
  keepShare: number;
  seed: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = { total: 10_000, vocabularySize: 30_000, keepShare: 0.2, seed: 20_240_601 };

/**
 * The shipped knowledge file grown to `total` entries. The shipped entries stay, so the benchmark
 * questions still find their real answers among thousands of look-alikes; quotes and paragraph
 * numbers are reused from the templates because every quote must remain an exact substring of the article.
 * Everything else in the file (article, any other top-level section) and any entry field not
 * rewritten here is carried over as is, so the result follows the schema as it evolves.
 */
export function buildSyntheticKnowledgeFile(
  shippedFile: Record<string, unknown>,
  templates: readonly Entry[],
  options: Partial<SyntheticOptions> = {},
): Record<string, unknown> {
  const { total, vocabularySize, keepShare, seed } = { ...SYNTHETIC_DEFAULTS, ...options };
  const random = seededRandom(seed);
  const nextWord = zipfSampler(generateVocabulary(vocabularySize, random), random);
  // A replacement of about the same length keeps the entries as long as the shipped ones. Words of one
  // or two letters are function words ("w", "i", "co", "to") that any Polish text has, so they stay.
  const similarWord = (length: number) => {
    let word = nextWord();
    for (let tries = 0; tries < 50 && Math.abs(word.length - length) > 1; tries++) word = nextWord();
    return word;
  };
  const rewrite = (text: string) =>
    text.replace(/\p{L}[\p{L}\p{N}]*/gu, (word) => {
      if (word.length <= 2 || random() < keepShare) return word;
      const replacement = similarWord(word.length);
      return word[0] !== word[0]!.toLowerCase() ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement;
    });

  const syntheticCount = Math.max(0, total - templates.length);
  const ids = Array.from({ length: syntheticCount }, (_, n) => `syn-${n + 1}-${templates[n % templates.length]!.id}`);
  const synthetic: Entry[] = ids.map((id, n) => {
    // Only the shipped main topics are pinned: thousands of pinned entries would not be a real knowledge base.
    const { pinned: _pinned, ...template } = templates[n % templates.length]!;
    const related = new Set<string>();
    while (related.size < Math.min(template.related.length, ids.length - 1)) {
      const other = pick(ids, random);
      if (other !== id) related.add(other);
    }
    return {
      ...template,
      id,
      title: { pl: rewrite(template.title.pl), en: rewrite(template.title.en) },
      answer: { pl: rewrite(template.answer.pl), en: rewrite(template.answer.en) },
      questions: { pl: template.questions.pl.map(rewrite), en: template.questions.en.map(rewrite) },
      keywords: template.keywords.map(rewrite),
      quote: template.quote,
      paragraph: template.paragraph,
      related: [...related],
    };
  });
  return { ...shippedFile, entries: [...templates, ...synthetic] };
}

export interface SizeStats {
  entries: number;
  questionsPerEntry: number;
  keywordsPerEntry: number;
  /** Characters of the searchable text (titles, answers, questions, keywords) per entry. */
  charsPerEntry: number;
  distinctWords: number;
}

/** Evidence that the synthetic entries are as big as the shipped ones, and how large their vocabulary is. */
export function sizeStats(entries: readonly Entry[]): SizeStats {
  const words = new Set<string>();
  let questions = 0;
  let keywords = 0;
  let chars = 0;
  for (const entry of entries) {
    const texts = [entry.title.pl, entry.title.en, entry.answer.pl, entry.answer.en, ...entry.questions.pl, ...entry.questions.en, ...entry.keywords];
    questions += entry.questions.pl.length + entry.questions.en.length;
    keywords += entry.keywords.length;
    for (const text of texts) {
      chars += text.length;
      for (const word of text.toLowerCase().match(/\p{L}[\p{L}\p{N}]*/gu) ?? []) words.add(word);
    }
  }
  const n = Math.max(1, entries.length);
  return { entries: entries.length, questionsPerEntry: questions / n, keywordsPerEntry: keywords / n, charsPerEntry: chars / n, distinctWords: words.size };
}
