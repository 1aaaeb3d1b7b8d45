import { slipCorrector } from '../search/normalize.ts';

/**
 * What a question asks for, read from its wording: a reason, a person or firm, a date, an amount,
 * a place, instructions, an opinion, drawbacks, yes or no, a choice, a list, a comparison, an
 * example, a summary or the meaning of a term. Works on folded text (lower case, no diacritics),
 * in Polish and English. Nothing here is about one article: any knowledge base asks the same way.
 */

export const INTENTS = [
  'why',
  'ranking',
  'who',
  'when',
  'where',
  'amount',
  'howto',
  'opinion',
  'drawbacks',
  'yesno',
  'either-or',
  'list',
  'compare',
  'example',
  'summary',
  'term',
] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * Intents an entry answers only when it says so (its `answers` field): a description of what BPO is
 * does not say why, who, when, where, how much, how to, whether it is good, or what its drawbacks are.
 */
export const SPECIFIC_INTENTS: ReadonlySet<Intent> = new Set(['why', 'who', 'when', 'where', 'amount', 'howto', 'opinion', 'drawbacks', 'ranking']);

const PATTERNS: Record<Intent, readonly RegExp[]> = {
  why: [
    / (?:dlaczego|czemu|why|wherefore) /,
    / po co /,
    / w jakim celu /,
    / z jakiego powodu /,
    / (?:jaki|jakie|what|what s|whats) (?:jest |sa |is |are )?(?:glowny |glowne |the |main )?(?:powod|powody|cel|reason|reasons|point|purpose) /,
    / what for /,
    / (?:supposed|meant|trying|intended) to (?:achieve|accomplish|do|bring|give|solve) /,
    / how come /,
    / co (?:sprawia|powoduje|zmusza|sklania|napedza) /,
    / what (?:s |is )?(?:makes|causes|drives|pushes|forces|making|causing|driving|pushing|forcing) /,
    / (?:argument|argumenty|argumentem|arguments|the case) (?:za|for) /,
  ],
  who: [
    / (?:kto|kogo|komu|kim|who|whom|whose) /,
    // "jakie firmy", "której firmie", "which (big) companies": a question for a name.
    // "Które" inside a sentence is mostly relative ("procesy, które firma przekazuje"): only at the
    // start, or after a preposition, does it ask which.
    /(?: jak\w*|^ (?:\w+ )?ktor\w*| (?:w|we|z|ze|do|od|dla|na|przez|u|o|po|przy) ktor\w*) (?:sa |byly |konkretnie |dokladnie )?(?:\w+ )?(?:firm\w*|przedsiebiorstw\w*|organizac\w*|osob\w*|ludzi|marka|marki|marke|koncern\w*|korporac\w*|agencj\w*|dostawc\w*|wykonawc\w*|podwykonawc\w*|partner\w*) /,
    // "Jak się nazywa autor…", "the name of the founder": a person's name.
    / (?:jak sie nazywa\w*|imie|nazwisko|name of|names of) (?:\w+ )?(?:autor\w*|author\w*|tworc\w*|zalozyciel\w*|founder\w*|prezes\w*|wlasciciel\w*|owner\w*|ceo) /,
    / which (?:\w+ )?(?:company|companies|firms?|brand|brands|people|person|agency|agencies|vendor|vendors|provider|providers|suppliers?|contractors?|subcontractors?|partners?|organi[sz]ations?) /,
    // "What are the biggest BPO companies?": a question for names, asked with "what".
    / what (?:(?:are|were) (?:the )?(?:\w+ ){0,2})?(?:companies|firms|brands|corporations|vendors|providers|agencies|organi[sz]ations) /,
  ],
  // "Which are the biggest…", "który kraj jest liderem": a ranking of names, which a description never gives.
  ranking: [],
  when: [
    // Only at the start: inside a sentence "kiedy"/"when" is mostly "at the time that".
    /^ (?:\w+ )?(?:kiedy|when) /,
    / (?:what time|time zone|o ktorej|ktora godzina|strefa czasowa|strefie czasowej) /,
    / (?:since when|od kiedy|do kiedy) /,
    / (?:w|od) (?:ktorym|jakim) (?:roku|latach|wieku|momencie) /,
    / (?:what|which|in which|in what) (?:year|years|decade|century) /,
    / ile lat temu /,
    / how long ago /,
  ],
  where: [
    /^ (?:\w+ )?(?:gdzie|where) /,
    / w (?:jakim|jakich|ktorym|ktorych) (?:miejscu|miejscach|kraju|krajach|miescie|miastach) /,
    / (?:which|what|jaki|jakie|jakim|ktory|ktore|ktorym) (?:\w+ )?(?:country|countries|city|cities|place|places|region|regions|kraj|kraje|kraju|miasto|miasta|miescie|region|regiony) /,
  ],
  amount: [
    / (?:ile|how many|how much|how long|jak dlugo|ile czasu|how big|how large|jak duz\w*) /,
    / (?:jaki|jaka|what|which) (?:jest )?(?:procent|odsetek|percentage|percent|share|udzial) /,
    / (?:srednio|srednia|srednie|average|averages|median) /,
    / (?:zarabia|zarabiaja|zarobki|salary|salaries|earn|earns|pensj\w*|wynagrodzeni\w*) (?:w|na|in|at|dla|for) /,
  ],
  howto: [
    / jak (?:\w+(?:ac|ec|ic|yc|sc|zc|c)) /,
    / how (?:to|do i|can i|should i|do you|would i|do we|can we) /,
    / (?:krok po kroku|step by step) /,
  ],
  opinion: [
    // "Czy warto…?" asks for an opinion; "jakie pojęcia warto znać" does not.
    / czy (?:\w+ ){0,3}(?:warto|oplaca sie|sie oplaca|oplacalne) /,
    / (?:polecasz|polecacie|polecicie|polecilbys|sadzisz|myslisz) /,
    / (?:twoim|waszym) zdaniem /,
    / (?:lepsz\w*|gorsz\w*) (?:niz|od) /,
    // "Is BPO better than…?" asks for an opinion; "why is the vendor better at it" for a reason.
    /^ (?:is|are|czy|would|will|does) (?:\w+ ){0,4}(?:better|worse|cheaper|safer|lepsz\w*|gorsz\w*|tansz\w*) /,
    / (?:your|ur|you r) (?:opinion|view|take|thoughts) /,
    / (?:do you think|would you recommend|do you recommend|is it worth|worth it|should i|should we) /,
    / (?:wiarygodn\w*|rzeteln\w*|godne zaufania|reliable|credible|trustworthy|trust) /,
    // "Czy praca w call center jest bardzo stresująca?": how something feels, which a description never says.
    /^ (?:czy|is|are|does) (?:\w+ ){1,6}(?:jest|sa|is|are|bywa) (?:bardzo|mega|super|strasznie|naprawde|really|very|so|too|quite|fajn\w*|trudn\w*|nudn\w*|stresuj\w*|dobr\w*|zl\w*|stressful|hard|boring|fun|nice|good|bad|great|worth) /,
    / co o tym (?:sadzisz|myslisz|sadzicie|myslicie) | what do you think /,
    // "Czy autor uważa, że BPO jest korzystne…": the author's judgement, which the article does not give.
    / czy (?:autor|autorka|tekst|artykul) (?:uwaza|sadzi|mysli|ocenia|poleca|rekomenduje|radzi|zaleca|zacheca) /,
    / (?:does|do) (?:the )?(?:author|article|text) (?:think|believe|consider|judge|recommend|advise|suggest|advocate|endorse) /,
  ],
  drawbacks: [/ (?:wad\w*|minus\w*|ryzyk\w*|zagrozen\w*|niebezpieczenst\w*|disadvantag\w*|drawback\w*|downside\w*|risks?|cons|pitfalls?|dangers?) /],
  yesno: [],
  'either-or': [],
  list: [
    / (?:wymien\w*|wypisz\w*|wylicz\w*|enumerat\w*) /,
    / (?:list|name) (?:all|every|the|some|a few|of) /,
    /^ list /,
    / (?:jakie|what|which) (?:sa |are )?(?:the |wszystkie |all )?(?:\w+ ){0,3}(?:rodzaje|typy|grupy|kategorie|kinds|types|groups|categories|uslugi|services|obszary|areas|przyklady|examples|zadania|tasks|procesy|processes) /,
    / (?:wszystkie|wszystkich|all|every|each|else|jeszcze) /,
  ],
  compare: [/ (?:roznic\w*|rozni|roznia|odroznia\w*|porown\w*|vs|versus|kontra|difference|differences|differ\w*|compar\w*|contrast\w*|distinguish\w*) /],
  example: [/ (?:przyklad\w*|example\w*|instance|np|e g|for instance) /],
  summary: [
    / (?:stresc\w*|streszcz\w*|podsumuj\w*|podsumowani\w*|tl dr|tldr|summar\w*|sum up|recap|in a nutshell) /,
    / o czym (?:\w+ ){0,2}?(?:jest|mowi|traktuje|opowiada) (?:\w+ ){0,2}?(?:tekst|artykul|wpis) /,
    / what (?:is|s) (?:the|this) (?:article|text|post) about /,
    / czego dotyczy (?:ten |caly )?(?:tekst|artykul) /,
  ],
  term: [
    / co (?:\w+ ){0,3}?(?:oznacza|znaczy|oznaczaja|znacza) /,
    / (?:rozumie|rozumiec|rozumiemy) (?:sie )?(?:przez|pod) /,
    / (?:definicj\w*|definiu\w*|definiow\w*|zdefini\w*|define|defines|defined|definition|meaning|mean|means|stand for|stands for|rozwin\w*|rozwija|acronym|abbreviation) /,
    / (?:the )?(?:term|termin|pojecie|slowo|wyraz|okreslenie|nazwa) \w+ /,
  ],
};

/** Question words read through one typing slip ("dlaczgo", "wymein", "diffrence"). */
// Only long words: a slip away from a short question word is often another real word ("kiedys", "were").
const correctQuestionWord = slipCorrector(
  `dlaczego wymien wymienic wypisz przyklad przyklady przykladu przykladem roznica roznice roznicy porownaj porownanie stresc
  streszczenie podsumuj definicja oznacza difference differences example examples compare summary summarize explain meaning reason
  services uslugi rodzaje`.split(/\s+/),
);

/** Slips in short question words, too short for the corrector to tell from other words. */
const SHORT_SLIPS: Record<string, string> = {
  wich: 'which', whic: 'which', whihc: 'which', wat: 'what', wht: 'what', whta: 'what', waht: 'what', wut: 'what', hwo: 'how', hw: 'how',
  jakei: 'jakie', jaike: 'jakie', jkie: 'jakie', dlaczgo: 'dlaczego', czmu: 'czemu', gdze: 'gdzie', kidy: 'kiedy', cyz: 'czy', czt: 'czy',
};

/** Words that open a yes/no question in English (the auxiliary comes first). */
const ENGLISH_AUXILIARIES = new Set([
  'is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'has', 'have', 'had', 'may', 'might', 'must',
  'isn', 'aren', 'doesn', 'don', 'didn', 'wasn', 'weren', 'cant', 'shouldn', 'wouldn', 'hasn', 'haven',
]);

/** Words that open a question asking for something other than yes or no. */
export const QUESTION_WORDS = new Set([
  'co', 'czym', 'czego', 'czemu', 'dlaczego', 'jak', 'jaki', 'jaka', 'jakie', 'jakiej', 'jakim', 'jakimi', 'jakich', 'jaka', 'kto', 'kogo',
  'komu', 'kim', 'gdzie', 'kiedy', 'ile', 'ilu', 'ktory', 'ktora', 'ktore', 'ktorej', 'ktorym', 'ktorych', 'skad', 'dokad', 'po', 'na', 'z',
  'jakiego', 'jakiemu', 'ktorego', 'ktoremu', 'ktorzy', 'ktorymi', 'czyj', 'czyja', 'czyje', 'czyjego', 'czyim',
  'what', 'whats', 'why', 'how', 'who', 'whom', 'whose', 'where', 'when', 'which',
]);

/** Each intent's patterns as one expression: one test per intent instead of one per pattern. */
const COMPILED: Record<Intent, RegExp | undefined> = Object.fromEntries(
  INTENTS.map((intent) => [intent, PATTERNS[intent].length > 0 ? new RegExp(PATTERNS[intent].map((pattern) => `(?:${pattern.source})`).join('|')) : undefined]),
) as Record<Intent, RegExp | undefined>;

/** Words that only say "compare" ("różnica", "vs"): not a topic of either side of a comparison. */
export function isCompareWord(token: string): boolean {
  return COMPILED.compare!.test(` ${correctQuestionWord(token)} `);
}

/** The intents of one question, from its folded words (stop words included) and whether it ends with "?". */
export function detectIntents(typed: readonly string[], { endsWithQuestionMark = false }: { endsWithQuestionMark?: boolean } = {}): Set<Intent> {
  const words = typed.map((word) => SHORT_SLIPS[word] ?? correctQuestionWord(word));
  const text = ` ${words.join(' ')} `;
  const intents = new Set<Intent>();
  for (const intent of INTENTS) if (COMPILED[intent]?.test(text)) intents.add(intent);
  if (isYesNo(words, text, endsWithQuestionMark)) intents.add('yesno');
  if (hasAlternatives(words, text)) intents.add('either-or');
  // "Is BPO a kind of outsourcing or something totally different?": the second alternative names
  // nothing, so the question is a yes or no on the first, not a choice or a comparison.
  if (/ (?:or|czy|albo|lub) (?:something|sth|smth|cos|czyms) (?:\w+ )?(?:else|different|other|innego|inne|innym) /.test(text)) {
    intents.delete('either-or');
    intents.delete('compare');
  }
  // "Czy X to przykład Y?" asks yes or no; "podaj przykład" asks for the example.
  if (intents.has('yesno') && intents.has('example') && !/ (?:podaj\w*|give|show|pokaz\w*) /.test(text)) intents.delete('example');
  // "Which companies are the biggest", "który kraj jest liderem": a ranking.
  if ((intents.has('who') || intents.has('where')) && / (?:najwieksz\w*|najlepsz\w*|wiodac\w*|lider\w*|najpopularniejsz\w*|biggest|largest|best|top|leading|leaders?|lead|most popular) /.test(text)) intents.add('ranking');
  // "Who coined the term…", "kto wymyślił termin…": the history of a word, not who does what.
  if (intents.has('who') && / (?:termin\w*|pojeci\w*|nazw\w*|skrot\w*|term|terms|name|acronym|slow\w*|word) /.test(text)) intents.add('when');
  // "Who founded the first call centre?", "kto założył…": who started something, a matter of history too.
  if (intents.has('who') && / (?:founded|invented|created|established|started|pioneered|wymyslil\w*|zalozyl\w*|stworzyl\w*|zapoczatkowal\w*|wynalazl\w*) /.test(text)) intents.add('when');
  // "Dlaczego warto…", "why does it pay off": a reason, not an opinion.
  if (intents.has('why') && intents.has('opinion') && !/ (?:twoim|waszym) zdaniem | (?:your|ur) (?:opinion|view)|wiarygodn|rzeteln|reliable|credible|trust/.test(text)) intents.delete('opinion');
  // "Jak rozwinąć skrót BPO?", "how to define X": how to read a word is what it means, not instructions.
  if (intents.has('term') && intents.has('howto')) intents.delete('howto');
  // "What does PR mean" asks for a meaning, not a reason, whatever "mean" shares with other words.
  if (intents.has('term') && intents.has('amount') && !/ (?:ile|how many|how much) /.test(text)) intents.delete('amount');
  return intents;
}

/** "Could you explain…", "czy możesz wyjaśnić…": a polite request, not a yes or no. */
const REQUEST_AFTER_MODAL = / (?:explain|tell|describe|give|list|show|help|summari[sz]e|define|wyjasni\w*|powiedzie\w*|opowiedzie\w*|opisa\w*|poda\w*|wymieni\w*|wytlumaczy\w*|przybliz\w*|pomoc) /;

function isYesNo(words: readonly string[], text: string, endsWithQuestionMark: boolean): boolean {
  const first = words[0];
  if (first === undefined) return false;
  // "Do czego służy…", "do kogo…": the Polish preposition, not the English auxiliary.
  if (first === 'do' && QUESTION_WORDS.has(words[1] ?? '')) return false;
  if ((first === 'czy' || ENGLISH_AUXILIARIES.has(first)) && REQUEST_AFTER_MODAL.test(` ${words.slice(1, 5).join(' ')} `)) return false;
  if (first === 'czy' || ENGLISH_AUXILIARIES.has(first)) return true;
  if (/ (?:tak czy nie|tak nie|yes or no|prawda|right|correct|true or false|co nie|no nie|nie) $/.test(text) && endsWithQuestionMark) return true;
  // Polish asks yes or no by intonation alone: "infolinia to też BPO?" has no question word at all.
  return endsWithQuestionMark && words.length >= 3 && !words.some((word) => QUESTION_WORDS.has(word)) && !ENGLISH_AUXILIARIES.has(first);
}

/** "X czy Y?", "X or Y?": a choice between two things, not a yes or no. */
function hasAlternatives(words: readonly string[], text: string): boolean {
  const inner = words.slice(1);
  if (inner.includes('czy')) return true;
  // "or not" is still a yes or no.
  return / or (?!not )\w/.test(text) || / (?:albo|lub) (?!nie )\w/.test(text) && words[0] === 'czy';
}
