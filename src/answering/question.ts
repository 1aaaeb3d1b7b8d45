import type { Lang } from '../knowledge/schema.ts';
import { acronyms, foldText, isContentWord, isShouted, words as foldedWords, wordsBothWays } from '../search/normalize.ts';
import type { QueryWord, SearchQuery } from '../search/query.ts';
import { detectIntents, QUESTION_WORDS, type Intent } from './intent.ts';
import { languageOfWords } from './language.ts';
import { smallTalkOfWords, type SmallTalk } from './small-talk.ts';

/**
 * A question read once, at the door of the answering core: every later step (language, small
 * talk, what is asked, the search) works on this value instead of re-reading the text.
 */
export interface AnalyzedQuestion {
  /** The text as received. */
  raw: string;
  /** Folded words of the whole question, stop words included. */
  words: string[];
  lang: Lang;
  smallTalk: SmallTalk | undefined;
  /** What the question as a whole asks for. */
  intents: ReadonlySet<Intent>;
  /**
   * What to search. One part for most questions; a compound question ("what is X and why is it
   * outsourced?") gives one part per sub-question, each answered from its own entry.
   */
  parts: QuestionPart[];
}

export interface QuestionPart {
  query: SearchQuery;
  /** For the second clause of "what is X and why…": the part it refers back to. */
  followsPart?: number;
  intents: ReadonlySet<Intent>;
  /** The folded words of this part alone (stop words included). */
  words: string[];
  /** What the asker leaves out as already known ("oprócz kadr i księgowości"): content words, folded. */
  excluded: string[];
}

// A sentence ends at . ! ? … ; : or a dash between words; newlines too. A full stop after a short
// abbreviation ("z o.o.", "np.", "tzw.") ends nothing; after any other word ("…about it.", "lol.", "…and BPO.") it does.
// An emoji between words ends a sentence too: chat uses them as punctuation.
const SEGMENT_END = /(?<=[!?…;:]|(?<![\s.][\p{Ll}]|\b(?:np|tzw|ang|itp|itd|ok|etc|e\.g|i\.e|wg|nr|tj|ul|pt|dr|mgr|inz|prof|sp|zob|por))[.])\s+|\s+[-–—]\s+|\n+|\s*\p{Extended_Pictographic}[\p{Extended_Pictographic}\u{FE0F}\u{200D}]*\s+/u;
/** Conjunctions that can join two questions: "what is X and why…", "co to X i dlaczego…". */
const JOINERS = new Set(['i', 'oraz', 'a', 'and', 'plus']);
/** Words after which a joined clause is a question of its own. */
const CLAUSE_STARTS = new Set([
  ...[...QUESTION_WORDS].filter((word) => !['po', 'na', 'z'].includes(word)),
  'czy', 'is', 'are', 'does', 'do', 'can', 'could', 'should', 'was', 'were',
]);
const LIST_EXCLUDING = /(?<![\p{L}\p{N}])poza(?![\p{L}\p{N}])[^?.!;:]*/giu;
/** Cheap checks for whether a sentence names something to leave out at all. */
const EXCLUDING_MARKER = /opr[oóu]c|pr[oóu]cz|wyj[aą]tk|licz[aą]c|apart|aside|besides|except|excluding|counting/i;
const ANY_EXCLUDING = new RegExp(`${EXCLUDING_MARKER.source}|poza`, 'i');

/**
 * "apart from X", "oprócz X": X is what the asker already knows, not what to look for: a name or two
 * words, or a list of them ("oprócz kadr, płac i księgowości"), never the question after it.
 */
const NOT_ITEM = '(?![\\p{L}\\p{N}]*(?<![\\p{L}\\p{N}])(?:what|which|how|why|who|where|co|czy|jak|jaki|jakie|jaka|kto|dlaczego|czemu|gdzie|i|oraz|and|or|lub|albo)(?![\\p{L}\\p{N}]))';
/** One excluded item: a name alone ("Coca-Cola"), or one or two lower-case words ("admin back-end"). */
const ITEM = `(?:\\p{Lu}[\\p{L}\\p{N}'’-]*|${NOT_ITEM}[\\p{Ll}\\p{N}'’-]+(?:\\s+${NOT_ITEM}[\\p{Ll}\\p{N}'’-]+)?)`;
const EXCLUDING = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:[Oo]pr[oóu]c[zh]?|[Pp]r[oóu]cz|[Zz] wyj[aą]tkiem|[Nn]ie licz[aą]c|[Aa]part from|[Aa]side from|[Bb]esides|[Ee]xcept(?: for)?|[Ee]xcluding|[Nn]ot counting)(?![\\p{L}\\p{N}])\\s+${ITEM}(?:(?:\\s*,\\s*|\\s+(?:i|oraz|and|or|lub|albo)\\s+)${ITEM})*`,
  // No "i" flag: capitals tell a name from the words of a phrase.
  'gu',
);
/** At most this many sentences of context are read, the last ones (the question tends to come last). */
const MAX_SEGMENTS = 6;

/** Reads a question once: words, language, small talk, intents, and what to search, in parts. */
export function analyzeQuestion(raw: string): AnalyzedQuestion {
  const text = typeof raw === 'string' ? raw : '';
  // Capitals mark names only where the message is not typed in capitals throughout.
  const shouted = isShouted(text);
  const segments = text
    .split(SEGMENT_END)
    .flatMap(splitAtQuestionComma)
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '')
    .slice(-MAX_SEGMENTS)
    .map((segment, i, all) => {
      const endsWithQuestionMark = /\?\W*$/u.test(segment);
      const { styled, plain } = wordsBothWays(segment);
      // "When the front office is outsourced, what do the firms do?": a condition before the
      // question is its context, not a question when.
      const condition = !endsWithQuestionMark && i < all.length - 1 && CONDITIONS.has(styled[0] ?? '');
      const intents = condition ? new Set<Intent>() : detectIntents(styled, { endsWithQuestionMark });
      // In a list request "poza" is "apart from" too ("wymień usługi poza kadrami"); elsewhere it is "outside".
      const exclusion = intents.has('list') ? ANY_EXCLUDING : EXCLUDING_MARKER;
      const capitals = acronyms(segment, { shouted });
      const excluding = exclusion.test(segment);
      const words = dropTermNouns(excluding ? foldedWords(segment.replace(EXCLUDING, ' ').replace(intents.has('list') ? LIST_EXCLUDING : /$^/, ' ')) : plain, capitals);
      const excluded = excluding ? excludedWords(segment, intents.has('list')) : [];
      return { source: segment, folded: { styled, plain }, words, endsWithQuestionMark, intents, capitals, excluded, condition, alternativeFrom: alternativeStart(words, intents) };
    })
    .filter((segment) => segment.words.length > 0 || segment.intents.size > 0);
  // A message of one sentence is that sentence, already folded.
  const only = segments.length === 1 ? segments[0]! : undefined;
  const whole = only && only.source === text.trim() ? only.folded : wordsBothWays(text);
  const words = whole.plain;
  const lang = languageOfWords(words, text);
  // What the message asks for: what any of its sentences asks for, or the whole read as one.
  const wholeIntents = segments.length === 1 ? segments[0]!.intents : detectIntents(whole.styled, { endsWithQuestionMark: /\?\W*$/u.test(text.trim()) });
  // Read whole, "When X, what…?" starts like a question when: the condition says otherwise.
  if (segments[0]?.condition) wholeIntents.delete('when');
  const intents = new Set([...wholeIntents, ...segments.flatMap((segment) => [...segment.intents])]);
  // The question itself: sentences that ask something. The others are context ("Piszę pracę.").
  const asking = segments.filter((segment) => !segment.condition && (segment.endsWithQuestionMark || segment.intents.size > 0 || startsWithQuestionWord(segment.words)));
  const coreSet = new Set(asking.length > 0 ? asking : segments);
  // A name in the context ("Jestem freelancerką od PR.") may be what the question is about: the
  // search counts it fully when the knowledge base knows it.
  const context: QueryWord[] = segments
    .filter((segment) => !coreSet.has(segment))
    .flatMap((segment) => segment.words.filter(isContentWord).map((token) => ({ token, context: true, capital: segment.capitals.has(token) })));

  const sentences: QuestionPart[][] = [];
  for (const segment of segments.filter((s) => coreSet.has(s))) {
    const parts: QuestionPart[] = [];
    sentences.push(parts);
    for (const clause of splitClauses(segment.words)) {
      const previous = parts.at(-1);
      // "…or is he just throwing buzzwords around?": the second alternative of a choice may name
      // things the knowledge base does not know; the answer is about the first.
      const cut = clause === segment.words ? segment.alternativeFrom : clause.length;
      const own = clause.map((token, i) => ({ token, i })).filter(({ token }) => isContentWord(token)).map(({ token, i }) => ({ token, context: i >= cut, capital: segment.capitals.has(token) }));
      // A follow-up clause refers back ("…i dlaczego zleca się go na zewnątrz?"): the earlier
      // clause's words are its context.
      const inherited = previous && clause !== segment.words ? previous.query.words.filter((word) => !word.context).map((word) => ({ ...word, context: true })) : [];
      const clauseIntents = clause === segment.words ? segment.intents : detectIntents(clause, { endsWithQuestionMark: segment.endsWithQuestionMark });
      // "Could someone explain what it is?": with no word of its own, the question is about what its
      // context names, which then counts fully.
      // So is a short label just before it ("frnt ofis - co to znaczy?"), typos and all.
      const label = own.length === 0 && inherited.length === 0 ? topicLabelBefore(segment, segments, coreSet) : new Set<string>();
      const named = own.length === 0 && inherited.length === 0 ? context.filter((word) => word.capital || label.has(word.token)).map((word) => ({ ...word, context: false })) : [];
      const mine = new Set([...own, ...named].map((word) => word.token));
      const around = [...inherited, ...context].filter((word) => !mine.has(word.token));
      const part: QuestionPart = { words: clause, intents: clauseIntents, query: { words: [...own, ...named, ...around] }, excluded: segment.excluded };
      if (parts.length > 0) part.followsPart = -parts.length; // relative for now: the sentence's first clause
      parts.push(part);
    }
  }
  // Clauses of one sentence are separate questions; short asking sentences join their neighbours.
  const parts = mergeShortSentences(sentences);
  // A follow-up clause refers to the first clause of its sentence, now by its place among all parts.
  parts.forEach((part, i) => {
    if (part.followsPart !== undefined) part.followsPart = i + part.followsPart;
  });
  return {
    raw: text,
    words,
    lang,
    smallTalk: smallTalkOfWords(words),
    intents,
    parts,
  };
}

/** The words that mark an exclusion ("oprócz", "apart from"), not the items excluded. */
const EXCLUSION_WORDS = new Set(['oprocz', 'oprucz', 'procz', 'poza', 'wyjatkiem', 'liczac', 'nie', 'apart', 'aside', 'from', 'besides', 'except', 'excluding', 'not', 'counting', 'for']);

/** The items a sentence leaves out ("poza kadrami i księgowością": "kadrami", "ksiegowoscia"). */
function excludedWords(segment: string, list: boolean): string[] {
  const spans = [...segment.matchAll(EXCLUDING), ...(list ? segment.matchAll(LIST_EXCLUDING) : [])].map((match) => match[0]);
  return [...new Set(spans.flatMap((span) => foldedWords(span)).filter((word) => isContentWord(word) && !EXCLUSION_WORDS.has(word)))];
}

/** At most this many words make a topic label before a question ("fornt office outsorcing - czy to się dzieje?"). */
const MAX_LABEL_WORDS = 4;

/**
 * The words of the sentence just before `segment`, when it is context and reads as a label: a few
 * words, all of them content words ("frnt ofis"), not a sentence ("My son works in BPO").
 */
function topicLabelBefore<S extends { words: string[] }>(segment: S, segments: readonly S[], core: ReadonlySet<S>): Set<string> {
  const before = segments[segments.indexOf(segment) - 1];
  if (!before || core.has(before)) return new Set();
  return before.words.length <= MAX_LABEL_WORDS && before.words.every(isContentWord) ? new Set(before.words) : new Set();
}

/**
 * "the term back-office", "termin X", "pojęcie Y", "nie kumam tego termu": the noun only points at
 * the word asked about. The plural ("jakie terminy…", "which terms…") is a topic of its own and stays.
 */
const TERM_NOUNS = new Set(['term', 'termu', 'termin', 'terminu', 'terminie', 'terminem', 'pojecie', 'pojeciu', 'slowo', 'slowem', 'wyraz', 'wyrazu', 'okreslenie', 'haslo', 'word', 'concept', 'notion', 'phrase', 'expression']);

/**
 * Forms that are also plurals ("słowa", "pojęcia", "terms"): a term noun only right before a name
 * ("używa się słowa BPO"), a topic of their own elsewhere ("jakie pojęcia…").
 */
const TERM_NOUNS_BEFORE_NAMES = new Set(['slowa', 'pojecia', 'terminy', 'terms', 'words', 'nazwy']);

/** Words after which such a form is the singular a verb governs ("używa się słowa", "znaczenie pojęcia"). */
const GOVERNING_WORDS = new Set(['sie', 'uzywa', 'uzywac', 'uzywaja', 'uzycie', 'znaczenie', 'definicja', 'definicje', 'rozumienie']);

function dropTermNouns(words: string[], capitals: ReadonlySet<string>): string[] {
  return words.filter(
    (word, i) => !TERM_NOUNS.has(word) && !(TERM_NOUNS_BEFORE_NAMES.has(word) && (capitals.has(words[i + 1] ?? '') || GOVERNING_WORDS.has(words[i - 1] ?? ''))),
  );
}

/** Words that open a condition ("when…", "jeśli…"): before a question, the sentence is its context. */
const CONDITIONS = new Set(['when', 'whenever', 'if', 'once', 'kiedy', 'gdy', 'jesli', 'jezeli', 'skoro']);

/** Words that start a question after a comma ("I work in recruitment, is recruitment BPO?"); relative pronouns ("które") do not. */
const QUESTION_OPENERS = new Set(['czy', 'is', 'are', 'does', 'do', 'did', 'can', 'could', 'what', 'whats', 'why', 'how', 'who', 'where', 'when', 'co', 'dlaczego', 'czemu', 'jak', 'kto', 'gdzie', 'kiedy', 'ile']);

/**
 * Words that open a statement about the asker after a comma ("tl;dr pls, I have a meeting in 5 min",
 * "streść, mam jutro kolosa"): context around the question, not part of it.
 */
const STATEMENT_OPENERS = new Set(['i', 'im', 'ive', 'id', 'my', 'we', 'mam', 'mamy', 'jestem', 'jestesmy', 'pisze', 'piszemy', 'ucze', 'studiuje', 'pracuje', 'potrzebuje', 'musze']);

/** A statement, then the question after a comma: two sentences, the first of them context. */
function splitAtQuestionComma(sentence: string): string[] {
  if (!sentence.includes(',')) return [sentence];
  const pieces = sentence.split(/,\s+/);
  const merged: string[] = [];
  for (const piece of pieces) {
    const first = foldText(/^[^\p{L}]*([\p{L}]+)/u.exec(piece)?.[1] ?? '');
    if (merged.length > 0 && !(QUESTION_OPENERS.has(first) || STATEMENT_OPENERS.has(first))) merged[merged.length - 1] += `, ${piece}`;
    else merged.push(piece);
  }
  return merged;
}

/** Where the second alternative of "X czy Y", "X or Y" begins, or the end when there is none. */
function alternativeStart(words: readonly string[], intents: ReadonlySet<Intent>): number {
  if (!intents.has('either-or')) return words.length;
  const at = words.findIndex((word, i) => i > 0 && (word === 'czy' || word === 'or' || word === 'albo' || word === 'lub'));
  return at > 0 ? at : words.length;
}

function startsWithQuestionWord(words: readonly string[]): boolean {
  return words[0] !== undefined && (QUESTION_WORDS.has(words[0]) || words[0] === 'czy');
}

/** "co to jest X i dlaczego Y": two clauses; "X i Y" without a question word after the joiner: one. */
function splitClauses(words: string[]): string[][] {
  const clauses: string[][] = [];
  let start = 0;
  for (let i = 1; i + 1 < words.length; i++) {
    const opensClause = CLAUSE_STARTS.has(words[i + 1]!) || (words[i + 1] === 'po' && words[i + 2] === 'co');
    if (!JOINERS.has(words[i]!) || !opensClause) continue;
    // "co to jest i jak działa" is two questions only with something asked on both sides.
    const left = words.slice(start, i);
    const right = words.slice(i + 1);
    if ((left.filter(isContentWord).length === 0 && !left.some((word) => QUESTION_WORDS.has(word))) || right.length < 2) continue;
    clauses.push(left);
    start = i + 1;
  }
  clauses.push(words.slice(start));
  return clauses.length > 1 ? clauses : [words];
}

/**
 * Sentences that each ask something are answered apart ("Co to BPO? A back-office?"), but one with
 * at most one word of its own ("Ok, a dzisiaj?") only adds to its neighbour.
 */
function mergeShortSentences(sentences: QuestionPart[][]): QuestionPart[] {
  const merged: QuestionPart[][] = [];
  let carried: QuestionPart | undefined;
  sentences.forEach((parts, i) => {
    const own = parts.reduce((sum, part) => sum + part.query.words.filter((word) => !word.context).length, 0);
    const current = carried ? [join(carried, parts[0]!), ...parts.slice(1)] : parts;
    carried = undefined;
    if (parts.length === 1 && own <= 1 && i < sentences.length - 1) {
      carried = current[0];
      return;
    }
    merged.push(current);
  });
  if (carried) {
    const last = merged.pop();
    merged.push(last ? [...last.slice(0, -1), join(last.at(-1)!, carried)] : [carried]);
  }
  return merged.flat();
}

function join(a: QuestionPart, b: QuestionPart): QuestionPart {
  const seen = new Set<string>();
  const words = [...a.query.words, ...b.query.words].filter((word) => {
    const id = `${word.context}:${word.token}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { words: [...a.words, ...b.words], intents: new Set([...a.intents, ...b.intents]), query: { words }, excluded: [...new Set([...a.excluded, ...b.excluded])], ...(a.followsPart !== undefined ? { followsPart: a.followsPart } : {}) };
}
