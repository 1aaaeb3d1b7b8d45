/**
 * `npm run bench:server-knowledge`: the search over servers' own entries, on synthetic entries
 * drawn from word lists with a seeded generator (Polish and English questions, each with up to four
 * phrasings, some in the other language), so that every run measures the same.
 *
 * (a) One server with 10,000 entries: the time to build its index, and the time per search over
 *     2,000 questions, half asking an entry (as written, without diacritics, or with a typo), half
 *     asking something else (unrelated questions about BPO, chit-chat).
 * (b) 1,000 servers with 100 entries each, through `createServerIndexes`: the time per search with
 *     every index built, questions spread across servers, and the heap the indexes hold, once with
 *     room for every server and once with the default `maxEntries`, which must keep it bounded.
 *
 * Also how often the questions find their entry and the others find nothing, with loose targets:
 * the entries are made of the same few hundred words, so some wordings are ambiguous, but a change
 * that makes searches faster by finding worse candidates shows there. Exits 1 when a target is missed.
 * Run with `--expose-gc` (the npm script does) for the heap to be measured after a full collection.
 */
import type { ServerEntry } from '../../src/server-knowledge/entry.ts';
import { buildServerIndex, createServerIndexes, DEFAULT_MAX_ENTRIES, type ServerIndexes, type ServerMatch } from '../../src/server-knowledge/search-index.ts';
import { formatMs, summarize, type Summary } from './percentiles.ts';
import { seededRandom } from './random.ts';
import { formatTable } from './table.ts';

const TARGETS = { buildMs: 1000, oneServerP99Ms: 2, manyServersP99Ms: 1, warmHeldMegabytes: 400, boundedHeldMegabytes: 200, found: 0.95, declined: 0.99 };
const ONE_SERVER = { entries: 10_000, questions: 2000 };
const MANY_SERVERS = { servers: 1000, entriesEach: 100, questions: 5000 };
/** Every entry of every server fits, so the cache stays warm; the default holds only part of them. */
const WARM_MAX_ENTRIES = MANY_SERVERS.servers * MANY_SERVERS.entriesEach;
/**
 * Timed passes over the questions after a warm-up pass, each summarized on its own; the best
 * pass's p99 is judged, since other processes on the machine can only add time to a pass.
 */
const TIMED_PASSES = 3;
const BUILDS = 3;

const collectGarbage = (globalThis as { gc?: () => void }).gc;

// ---- Synthetic entries ----

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Parallel lists: the same position is the same thing in Polish and in English. */
const TOPICS = {
  pl: 'meetup,webinar,warsztaty,staż,mentoring,szkolenie,certyfikat,kurs,konferencja,hackathon,regulamin,kanał,ranga,moderator,ogłoszenie,oferta pracy,wynagrodzenie,umowa,benefit,urlop,grafik,zmiana nocna,projekt,rekrutacja,lider,faktura,płace,helpdesk,zgłoszenie,onboarding,dokumentacja,licencja,konto,hasło,ankieta,konkurs,nagroda,newsletter,podcast,nagranie,prezentacja,slajdy,materiały,biblioteka,ebook,artykuł,forum,weryfikacja,kalendarz,rekomendacja,portfolio,rozmowa kwalifikacyjna,test językowy,egzamin,stypendium,wolontariat,sponsor,partnerstwo,ambasador,ankieta satysfakcji'.split(','),
  en: 'meetup,webinar,workshop,internship,mentoring,training,certificate,course,conference,hackathon,rulebook,channel,rank,moderator,announcement,job offer,salary,contract,benefit,vacation,schedule,night shift,project,recruitment,leader,invoice,payroll,helpdesk,ticket,onboarding,documentation,license,account,password,survey,contest,prize,newsletter,podcast,recording,presentation,slides,materials,library,ebook,article,forum,verification,calendar,referral,portfolio,job interview,language test,exam,scholarship,volunteering,sponsor,partnership,ambassador,satisfaction survey'.split(','),
};
const PLACES = {
  pl: 'w Krakowie,w Warszawie,we Wrocławiu,w Łodzi,w Gdańsku,w Poznaniu,w Katowicach,w Lublinie,w Szczecinie,w Rzeszowie,w Białymstoku,w Bydgoszczy,online,na Discordzie,w biurze,zdalnie,dla początkujących,dla studentów,dla juniorów,dla seniorów,w weekend,w tym miesiącu,w przyszłym tygodniu,po angielsku,po niemiecku,po francusku,z SAP,z Excela,z Power BI,z Pythona'.split(','),
  en: 'in Krakow,in Warsaw,in Wroclaw,in Lodz,in Gdansk,in Poznan,in Katowice,in Lublin,in Szczecin,in Rzeszow,in Bialystok,in Bydgoszcz,online,on Discord,in the office,remotely,for beginners,for students,for juniors,for seniors,this weekend,this month,next week,in English,in German,in French,with SAP,with Excel,with Power BI,with Python'.split(','),
};
const TEAMS = {
  pl: 'działu finansów,działu HR,zespołu IT,działu logistyki,obsługi klienta,działu zakupów,działu sprzedaży,zespołu analityków,działu prawnego,zespołu marketingu,działu jakości,zespołu danych,działu podatków,zespołu audytu,działu płatności,zespołu wsparcia'.split(','),
  en: 'finance department,HR department,IT team,logistics department,customer service,purchasing department,sales department,analyst team,legal department,marketing team,quality department,data team,tax department,audit team,payments department,support team'.split(','),
};
const TEMPLATES = {
  pl: ['Kiedy jest następny {topic} {place} dla {team}?', 'Gdzie znajdę {topic} {place} dla {team}?', 'Jak zapisać się na {topic} {place} dla {team}?', 'Kto prowadzi {topic} {place} dla {team}?', 'Ile kosztuje {topic} {place} dla {team}?', 'Czy {topic} {place} dla {team} jest płatny?', 'Jak długo trwa {topic} {place} dla {team}?'],
  en: ['When is the next {topic} {place} for the {team}?', 'Where can I find the {topic} {place} for the {team}?', 'How do I sign up for the {topic} {place} for the {team}?', 'Who runs the {topic} {place} for the {team}?', 'How much does the {topic} {place} for the {team} cost?', 'Is the {topic} {place} for the {team} free?', 'How long does the {topic} {place} for the {team} take?'],
};
const SHORT_PHRASINGS = { pl: ['{topic} {place} {team}', '{topic} dla {team} {place}'], en: ['{topic} {place} {team}', '{team} {topic} {place}'] };
type Language = keyof typeof TOPICS;

/** Questions no entry asks: what the bot's own article is about, and chit-chat. */
const UNRELATED_SUBJECTS = 'back office,front office,outsourcing procesów,offshoring,nearshoring,centrum usług wspólnych,shared services,KPI w BPO,SLA,RPA,automatyzacja,transformacja cyfrowa,business process outsourcing,knowledge process outsourcing,captive center,insourcing,order to cash,procure to pay,hire to retire,outsourcing księgowości'.split(',');
const UNRELATED_TEMPLATES = ['Co to jest {subject}?', 'Jakie są zalety {subject}?', 'Czym się różni {subject} od BPO?', 'What is {subject}?', 'How does {subject} work?', 'Why do companies choose {subject}?', 'Ile zarabia się w {subject}?'];
const CHIT_CHAT = ['hej', 'Hej!', 'dzięki!', 'Dzięki bardzo', 'thanks!', 'thank you', 'ok super', 'cześć wszystkim', 'hello there', 'siema'];

function fill(template: string, language: Language, choice: { topic: number; place: number; team: number }): string {
  return template.replace('{topic}', TOPICS[language][choice.topic]!).replace('{place}', PLACES[language][choice.place]!).replace('{team}', TEAMS[language][choice.team]!);
}

/** 80 to 600 characters: answers are held with their index, so they count in its memory. */
function answerText(random: Random, language: Language): string {
  const length = 80 + Math.floor(random() * 520);
  let answer = language === 'pl' ? 'Szczegóły:' : 'Details:';
  while (answer.length < length) answer += ` ${pick(random, TOPICS[language])} ${pick(random, PLACES[language])},`;
  return `${answer.slice(0, length - 1)}.`;
}

function generateEntries(random: Random, guildId: string, count: number): ServerEntry[] {
  const entries: ServerEntry[] = [];
  const questions = new Set<string>();
  while (entries.length < count) {
    const language: Language = random() < 0.6 ? 'pl' : 'en';
    const other: Language = language === 'pl' ? 'en' : 'pl';
    const choice = { topic: Math.floor(random() * TOPICS.pl.length), place: Math.floor(random() * PLACES.pl.length), team: Math.floor(random() * TEAMS.pl.length) };
    const template = Math.floor(random() * TEMPLATES.pl.length);
    const question = fill(TEMPLATES[language][template]!, language, choice);
    if (questions.has(question)) continue;
    questions.add(question);
    const phrasings: string[] = [];
    const wanted = Math.floor(random() * 5);
    for (let i = 0; i < wanted; i++) {
      const kind = random();
      if (kind < 0.4) phrasings.push(fill(TEMPLATES[other][template]!, other, choice));
      else if (kind < 0.7) phrasings.push(fill(pick(random, SHORT_PHRASINGS[language]), language, choice));
      else phrasings.push(fill(pick(random, SHORT_PHRASINGS[other]), other, choice));
    }
    const id = entries.length.toString(36).padStart(8, '0');
    entries.push({ id, guildId, question, phrasings: [...new Set(phrasings)], answer: answerText(random, language), createdAt: 0, updatedAt: 0 });
  }
  return entries;
}

// ---- Questions ----

interface Asked {
  question: string;
  /** The wording it was made from, when it asks an entry. */
  wording?: string;
}

function withoutDiacritics(text: string): string {
  return text.replace(/ł/g, 'l').replace(/Ł/g, 'L').normalize('NFKD').replace(/\p{M}/gu, '');
}

/** One letter of one word of six letters or more replaced or dropped. */
function withTypo(random: Random, text: string): string {
  const words = text.split(' ');
  const long = words.map((word, i) => (/^\p{L}{6,}$/u.test(word) ? i : -1)).filter((i) => i >= 0);
  if (long.length === 0) return text;
  const at = pick(random, long);
  const word = words[at]!;
  const letter = 1 + Math.floor(random() * (word.length - 2));
  words[at] = random() < 0.5 ? word.slice(0, letter) + word.slice(letter + 1) : word.slice(0, letter) + (word[letter] === 'x' ? 'y' : 'x') + word.slice(letter + 1);
  return words.join(' ');
}

function matchingQuestion(random: Random, entries: readonly ServerEntry[]): Asked {
  const entry = pick(random, entries);
  const wording = pick(random, [entry.question, ...entry.phrasings]);
  const how = random();
  const question = how < 0.4 ? wording : how < 0.7 ? withoutDiacritics(wording).toLowerCase() : withTypo(random, wording);
  return { question, wording };
}

function otherQuestion(random: Random): Asked {
  return { question: random() < 0.8 ? pick(random, UNRELATED_TEMPLATES).replace('{subject}', pick(random, UNRELATED_SUBJECTS)) : pick(random, CHIT_CHAT) };
}

/** Half the questions ask an entry, half do not, shuffled together. */
function questionsFor(random: Random, count: number, entriesOf: (n: number) => readonly ServerEntry[]): Asked[] {
  return Array.from({ length: count }, (_, n) => (n % 2 === 0 ? matchingQuestion(random, entriesOf(n)) : otherQuestion(random)));
}

// ---- Measuring ----

interface Outcome {
  found: number;
  matching: number;
  declined: number;
  other: number;
}

function tally(asked: readonly Asked[], matches: readonly (ServerMatch | undefined)[]): Outcome {
  const outcome = { found: 0, matching: 0, declined: 0, other: 0 };
  asked.forEach(({ wording }, i) => {
    const match = matches[i];
    if (wording === undefined) {
      outcome.other++;
      if (!match) outcome.declined++;
    } else {
      outcome.matching++;
      // Short phrasings of different entries may have the same words in another order: any entry
      // with the wording's words is right.
      if (match && [match.entry.question, ...match.entry.phrasings].some((other) => sameWords(other, wording))) outcome.found++;
    }
  });
  return outcome;
}

function sameWords(a: string, b: string): boolean {
  const bag = (text: string) => [...new Set(withoutDiacritics(text).toLowerCase().split(/[^a-z0-9]+/))].sort().join(' ');
  return bag(a) === bag(b);
}

interface Timed {
  /** The pass with the lowest p99. */
  summary: Summary;
  /** Every pass's p99, for the record. */
  p99s: number[];
  /** What the warm-up pass found. */
  matches: (ServerMatch | undefined)[];
}

async function timeSearches(asked: readonly Asked[], search: (asked: Asked, n: number) => ServerMatch | undefined | Promise<ServerMatch | undefined>): Promise<Timed> {
  const matches: (ServerMatch | undefined)[] = [];
  for (let n = 0; n < asked.length; n++) matches.push(await search(asked[n]!, n));
  const passes: Summary[] = [];
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    const samples: number[] = [];
    for (let n = 0; n < asked.length; n++) {
      const start = performance.now();
      await search(asked[n]!, n);
      samples.push(performance.now() - start);
    }
    passes.push(summarize(samples));
  }
  const best = passes.reduce((a, b) => (b.p99 < a.p99 ? b : a));
  return { summary: best, p99s: passes.map((pass) => pass.p99), matches };
}

function heapUsed(): number {
  collectGarbage?.();
  collectGarbage?.();
  return process.memoryUsage().heapUsed;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}% (${part}/${whole})`;

async function main(): Promise<void> {
  const random = seededRandom(20240611);
  if (!collectGarbage) console.log('Run with --expose-gc (npm run bench:server-knowledge) for the heap to be measured after a full collection.');

  // (a) One large server.
  const oneServer = generateEntries(random, 'one', ONE_SERVER.entries);
  buildServerIndex(oneServer.slice(0, 500)); // warm-up: the first build also compiles the code
  const buildTimes: number[] = [];
  let index = buildServerIndex(oneServer);
  for (let i = 0; i < BUILDS; i++) {
    const start = performance.now();
    index = buildServerIndex(oneServer);
    buildTimes.push(performance.now() - start);
  }
  const buildMs = Math.max(...buildTimes);
  const oneAsked = questionsFor(random, ONE_SERVER.questions, () => oneServer);
  const one = await timeSearches(oneAsked, ({ question }) => index.search(question));
  const oneOutcome = tally(oneAsked, one.matches);

  // (b) Many servers, every index built. Each server's entries are made when it is loaded, the
  // same every time, so that only the cache holds them, as it would hold a database's rows.
  const servers = Array.from({ length: MANY_SERVERS.servers }, (_, n) => `guild-${n}`);
  const entriesOf = (guildId: string) => generateEntries(seededRandom(Number(guildId.slice('guild-'.length)) + 1), guildId, MANY_SERVERS.entriesEach);
  const spread = Array.from({ length: MANY_SERVERS.questions }, () => pick(random, servers));
  const manyAsked = questionsFor(random, MANY_SERVERS.questions, (n) => entriesOf(spread[n]!));
  const warm = await fillCache(servers, entriesOf, WARM_MAX_ENTRIES, (indexes) => timeSearches(manyAsked, ({ question }, n) => indexes.search(spread[n]!, question)));
  const many = warm.after;
  const manyOutcome = tally(manyAsked, many.matches);
  const bounded = await fillCache(servers, entriesOf, DEFAULT_MAX_ENTRIES, async () => undefined);

  console.log(`\n=== Search over servers' own entries ===\n`);
  console.log(
    formatTable(
      ['case', 'entries', 'questions', 'p50', 'p99', 'max', 'p99 of each pass', 'asking an entry: found', 'others: declined'],
      [
        ['(a) one server', String(oneServer.length), String(oneAsked.length), formatMs(one.summary.p50), formatMs(one.summary.p99), formatMs(one.summary.max), one.p99s.map(formatMs).join(', '), share(oneOutcome.found, oneOutcome.matching), share(oneOutcome.declined, oneOutcome.other)],
        [`(b) ${servers.length} servers`, String(warm.held.entries), String(manyAsked.length), formatMs(many.summary.p50), formatMs(many.summary.p99), formatMs(many.summary.max), many.p99s.map(formatMs).join(', '), share(manyOutcome.found, manyOutcome.matching), share(manyOutcome.declined, manyOutcome.other)],
      ],
    ),
  );
  console.log(
    `\n${formatTable(
      ['what', 'maxEntries', 'servers held', 'entries held', 'built in', 'heap held', 'per entry'],
      [
        [`(a) index of ${oneServer.length} entries (worst of ${BUILDS} builds)`, '-', '1', String(oneServer.length), formatMs(buildMs), '-', '-'],
        ...[warm, bounded].map((cache) => [
          `(b) ${servers.length} servers of ${MANY_SERVERS.entriesEach} entries, built one after another`,
          String(cache.maxEntries),
          String(cache.held.servers),
          String(cache.held.entries),
          formatMs(cache.buildMs),
          megabytes(cache.heldBytes) + (collectGarbage ? '' : ' (rough: no --expose-gc)'),
          `${Math.round(cache.heldBytes / Math.max(1, cache.held.entries))} bytes`,
        ]),
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    )}`,
  );
  console.log('\nHeap held: after a full collection, by the indexes with their entries (answers included), over what was held before.');

  const rows = [
    target(`(a) build ${oneServer.length} entries`, formatMs(buildMs), `< ${TARGETS.buildMs} ms`, buildMs < TARGETS.buildMs),
    target('(a) p99 per search, one server (best pass)', formatMs(one.summary.p99), `<= ${TARGETS.oneServerP99Ms} ms`, one.summary.p99 <= TARGETS.oneServerP99Ms),
    target(`(b) p99 per search, ${servers.length} servers warm (best pass)`, formatMs(many.summary.p99), `<= ${TARGETS.manyServersP99Ms} ms`, many.summary.p99 <= TARGETS.manyServersP99Ms),
    target(`(b) every server held (maxEntries ${WARM_MAX_ENTRIES})`, String(warm.held.servers), `= ${servers.length}`, warm.held.servers === servers.length),
    target(`(b) heap held, every server (maxEntries ${WARM_MAX_ENTRIES})`, megabytes(warm.heldBytes), `<= ${TARGETS.warmHeldMegabytes} MB`, warm.heldBytes <= TARGETS.warmHeldMegabytes * 1024 * 1024),
    target(`(b) entries held (default maxEntries ${DEFAULT_MAX_ENTRIES})`, String(bounded.held.entries), `<= ${DEFAULT_MAX_ENTRIES}`, bounded.held.entries <= DEFAULT_MAX_ENTRIES),
    target(`(b) heap held (default maxEntries ${DEFAULT_MAX_ENTRIES})`, megabytes(bounded.heldBytes), `<= ${TARGETS.boundedHeldMegabytes} MB`, bounded.heldBytes <= TARGETS.boundedHeldMegabytes * 1024 * 1024),
  ];
  for (const [name, outcome] of [['(a)', oneOutcome], ['(b)', manyOutcome]] as const) {
    rows.push(target(`${name} asking an entry: found`, share(outcome.found, outcome.matching), `>= ${TARGETS.found * 100}%`, outcome.found >= TARGETS.found * outcome.matching));
    rows.push(target(`${name} others: declined`, share(outcome.declined, outcome.other), `>= ${TARGETS.declined * 100}%`, outcome.declined >= TARGETS.declined * outcome.other));
  }
  console.log(`\n${formatTable(['target', 'measured', 'goal', 'result'], rows, ['left', 'right', 'left', 'left'])}`);
  const failed = rows.filter((row) => row[3] === 'FAIL').length;
  console.log(`\n${rows.length - failed}/${rows.length} targets met.`);
  // A missed target fails the run, so scripts and people notice.
  process.exitCode = failed > 0 ? 1 : 0;
}

interface FilledCache<T> {
  maxEntries: number;
  held: { servers: number; entries: number };
  buildMs: number;
  heldBytes: number;
  /** What `measure` returned, with the cache filled. */
  after: T;
}

/** A cache of `maxEntries` searched once on every server in turn: what it holds, and then `measure`. */
async function fillCache<T>(servers: readonly string[], entriesOf: (guildId: string) => ServerEntry[], maxEntries: number, measure: (indexes: ServerIndexes) => Promise<T>): Promise<FilledCache<T>> {
  const heapBefore = heapUsed();
  const indexes = createServerIndexes({ load: async (guildId) => entriesOf(guildId), maxEntries });
  const start = performance.now();
  for (const guildId of servers) await indexes.search(guildId, 'warm-up meetup');
  const buildMs = performance.now() - start;
  const heldBytes = heapUsed() - heapBefore;
  return { maxEntries, held: indexes.held(), buildMs, heldBytes, after: await measure(indexes) };
}

function target(name: string, measured: string, goal: string, met: boolean): string[] {
  return [name, measured, goal, met ? 'ok' : 'FAIL'];
}

await main();
