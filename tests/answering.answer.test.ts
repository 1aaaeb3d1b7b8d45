import { describe, expect, it } from 'vitest';
import { answer, answerById, createAnswerer, MAX_QUESTION_LENGTH, MAX_SUGGESTIONS } from '../src/answering/answer.ts';
import { detectLanguage } from '../src/answering/language.ts';
import { analyzeQuestion } from '../src/answering/question.ts';
import { suggest } from '../src/answering/suggest.ts';
import { negationCount, words } from '../src/search/normalize.ts';
import { loadKnowledgeBase } from '../src/knowledge/load.ts';

const answerer = createAnswerer(loadKnowledgeBase());

function answeredId(question: string): string | null {
  const result = answer(question, answerer);
  return result.kind === 'answer' ? result.entry.id : null;
}

describe('answer', () => {
  it.each([
    ['Co to jest BPO?', 'bpo-definition'],
    ['co oznacza skrot bpo', 'bpo-acronym'],
    ['Czym jest back-office?', 'back-office'],
    ['bak ofis', 'back-office'],
    ['frontofis', 'front-office'],
    ['What does BPO stand for?', 'bpo-acronym'],
    // One word that several entries cover: the entry whose title is about it.
    ['marketing', 'marketing-pr'],
    ['audyt', 'audit-controlling'],
    // Context before the question, chat slang, swapped letters.
    ['Piszę pracę zaliczeniową. Czy w BPO chodzi głównie o oszczędności?', 'bpo-costs'],
    ['explain bpo pls', 'bpo-definition'],
    ['zrodlo infromacji', 'source'],
  ])('answers %j with %s', (question, id) => {
    expect(answeredId(question)).toBe(id);
  });

  it.each(['Jaka jest pogoda?', 'What is Kubernetes?', 'asdf', 'Ile kosztuje pizza w Rzymie?', 'Jak zostać audytorem?', 'Ile zarabia konsultant w call center?'])('rejects the out-of-scope %j with suggestions', (question) => {
    const result = answer(question, answerer);
    expect(result.kind).toBe('not-found');
    if (result.kind !== 'not-found') return;
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
  });

  it('answers in English when asked in English, in Polish otherwise, and honours a preferred language', () => {
    expect(answer('What is back office?', answerer).lang).toBe('en');
    expect(answer('Co to jest back office?', answerer).lang).toBe('pl');
    expect(answer('bpo', answerer).lang).toBe('pl');
    expect(answer('Co to jest BPO?', answerer, { lang: 'en' }).lang).toBe('en');
  });

  it.each(['hey bot, how are you today?', 'siema, jak leci?', 'hi, how is it going'])('greets back %j instead of answering a topic', (question) => {
    expect(answer(question, answerer).kind).toBe('small-talk');
  });

  it('greets and helps instead of guessing', () => {
    for (const [text, intent] of [['hej', 'greeting'], ['Cześć!', 'greeting'], ['help', 'help'], ['co umiesz?', 'help'], ['?', 'empty'], ['', 'empty']] as const) {
      const result = answer(text, answerer);
      expect(result.kind, text).toBe('small-talk');
      if (result.kind === 'small-talk') expect(result.intent, text).toBe(intent);
    }
  });

  it('treats a greeting followed by a question as a question', () => {
    expect(answeredId('hej, co to jest bpo?')).toBe('bpo-definition');
  });

  it('asks to shorten a question over the limit', () => {
    const result = answer('bpo '.repeat(MAX_QUESTION_LENGTH), answerer);
    expect(result.kind).toBe('too-long');
  });

  it('never reads user text as fuse.js extended-search syntax', () => {
    for (const text of ["'bpo", '!bpo', '^bpo', 'bpo$', '=bpo', 'bpo | koszty', "'\"!^=|$"]) {
      const result = answer(text, answerer);
      expect(['answer', 'not-found', 'small-talk']).toContain(result.kind);
    }
    expect(answeredId('!bpo')).toBe('bpo-definition');
  });

  it('answers a topic by id (buttons) and reports an unknown id as not found', () => {
    const result = answerById('front-office', answerer, 'en');
    expect(result.kind === 'answer' && result.entry.id).toBe('front-office');
    expect(answerById('no-such-id', answerer, 'pl').kind).toBe('not-found');
  });

  it('answers the exact title of a topic (what autocomplete submits)', () => {
    for (const entry of answerer.kb.entries) {
      expect(answeredId(entry.title.pl), entry.title.pl).toBe(entry.id);
      expect(answeredId(entry.title.en), entry.title.en).toBe(entry.id);
    }
  });
});

describe('words read as the search reads them', () => {
  it.each([
    // A typo of a synonym, whose key is its group's ("diffrence" for "difference").
    ['diffrence btween front office and back office?', 'back-vs-front-office'],
    // One slip in a longer word that the phonetic key blurs ("offcie", "btween").
    ['is back office work done outside the main offcie?', 'back-office-outsourcing'],
    // How the text defines a term asks what the term is, typed as it may be.
    ['Jak tekst definiuje back-office?', 'back-office'],
    ['Jak autor definiuje back office?', 'back-office'],
    ['what is front office acording to teh article', 'front-office'],
    // An acronym that folds into a stop word ("IT") keeps its meaning; an idiom means its word.
    ['Czy utrzymanie IT to back-office?', 'back-office'],
    ['Co w BPO gra pierwsze skrzypce?', 'bpo-costs'],
    // A letter held down, an idiom of time, a famous brand for the article's example.
    ['co to jest bpooo plsss', 'bpo-definition'],
    ['what was BPO about in its early days?', 'bpo-origins'],
    ['Which famous brand does the text mention?', 'coca-cola-example'],
    // A naming noun through a slip ("skrut"); an idiom for what something offers.
    ['co oznacza skrut PR', 'marketing-pr'],
    ['what does the provider bring to the table for the client?', 'client-benefits'],
    // A question about the subject itself asks what it is, whatever its context is about; a full
    // stop after an acronym ends a sentence.
    ['Pracuję w dziale obsługi klienta i szef ciągle mówi o BPO. Co to jest BPO?', 'bpo-definition'],
    ['my boss keeps talking about our payroll team and BPO. what does BPO mean?', 'bpo-definition'],
    // Many entries share both words: the one whose phrasing matches is scored, wherever it sits.
    ['Z czym należy powiązać BPO?', 'related-terms'],
    // "przede wszystkim" and a slip of "czy" carry no topic.
    ['W BPO chodzi przede wszystkim o koszty?', 'bpo-costs'],
    // Idioms of business English: "number one", "when it comes to".
    ["What's the number one issue when it comes to BPO?", 'bpo-costs'],
    // "PR" as spoken.
    ['czym jest piar w BPO?', 'marketing-pr'],
    // "Supposed to achieve" asks what for.
    ['WHAT IS OUTSOURCING BACK OFFICE SUPPOSED TO ACHIEVE?', 'back-office-outsourcing'],
    // What the asker leaves out is what they know: not the entry about it.
    ['Jakie jeszcze usługi należą do BPO poza kadrami i księgowością?', 'bpo-scope-today'],
    // "What were the … companies" asks for names, which the entry on BPO's beginnings gives.
    ['What were the first companies that used BPO?', 'bpo-origins'],
    // A statement about the asker after a comma is context, not the topic.
    ['summarize the article please, I have an exam in an hour', 'bpo-definition'],
    // "What does X involve": what X is.
    ['what does back office involve?', 'back-office'],
  ])('answers %j with %s', (question, id) => {
    expect(answeredId(question)).toBe(id);
  });

  it.each([
    // "The same as" is a claim of its own, which the article's "a kind of" contradicts.
    ['Czy BPO jest tym samym co outsourcing?', 'no'],
    // Back-office work put under front-office.
    ['Is answering mail a front-office task?', 'no'],
    ['Czy BPO to rodzaj outsourcingu?', 'yes'],
    // A slip of "done" is no negation; "did I get it right" asks nothing of its own.
    ['can back office be don outside the main office?', 'yes'],
    ['back office to procesy niewidoczne dla klienta, dobrze rozumiem?', 'yes'],
    // "Na samym początku" is "at the very beginning", not "the same"; the sides of a comparison are not one thing.
    ['Czy na samym początku BPO dotyczyło głównie usług?', 'no'],
    ['Czy back office to to samo co front office?', 'no'],
    // "…or something else": no second alternative, so a yes or no on the first.
    ['Is back-office a part of the company processes or something else entirely?', 'yes'],
  ] as const)('answers %j with %s first', (question, verdict) => {
    const result = answer(question, answerer);
    expect(result.kind === 'answer' ? result.verdict : result.kind).toBe(verdict);
  });

  it('reads a contraction typed without its apostrophe as with it', () => {
    expect(analyzeQuestion('what does the vendor have that the client doesnt').parts[0]!.query.words.map((word) => word.token)).not.toContain('doesnt');
    expect(negationCount(words('the client doesnt do it'))).toBe(1);
  });

  it.each([
    // A yes/no question about a name the article never mentions: nothing in it settles that.
    'Czy Nestle również powierzała firmom zewnętrznym część działalności związanej z łańcuchem dostaw?',
    'Does Unilever also outsource parts of its supply chain?',
    // "What are the … companies": a question for names, which the article does not rank.
    'What are the largest BPO companies in Europe?',
    // A person's name, or who started something: history the article does not give.
    // Whom the article's example outsourced to: a name it does not give.
    'Which contractor did Coca-Cola hand its supply chain to?',
    'Jakiemu podwykonawcy Coca-Cola powierzała logistykę?',
    'Jak się nazywa autor tego tekstu?',
    // What the author recommends is an opinion the article does not give.
    'Czy autor poleca BPO małym firmom?',
    'Does the article recommend BPO for startups?',
    'Who invented call centers?',
    'Kto założył pierwsze call center?',
  ])('declines %j', (question) => {
    expect(answer(question, answerer).kind).toBe('not-found');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['Czym jest BPO?', 'pl'],
    ['czym jest bpo', 'pl'],
    ['What is BPO?', 'en'],
    ['why do companies outsource', 'en'],
    ['bpo', 'pl'],
  ] as const)('%j is %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});

describe('suggest', () => {
  it('lists the main topics first for empty input, within 25 choices', () => {
    const topics = suggest('', answerer, 'pl');
    const pinned = answerer.kb.entries.filter((e) => e.pinned).map((e) => e.id);
    expect(topics.slice(0, pinned.length).map((t) => t.id)).toEqual(pinned);
    expect(topics.length).toBeLessThanOrEqual(25);
  });
  it('ranks title prefixes first and still finds topics through typos', () => {
    expect(suggest('czym jest b', answerer, 'pl')[0]?.title).toMatch(/^czym jest b/i);
    expect(suggest('bak ofis', answerer, 'pl').map((t) => t.id)).toContain('back-office');
  });
  it('returns titles in the asked language and honours the limit', () => {
    expect(suggest('', answerer, 'en', 5)).toHaveLength(5);
    for (const topic of suggest('office', answerer, 'en')) expect(answerer.kb.byId.get(topic.id)?.title.en).toBe(topic.title);
  });
});
