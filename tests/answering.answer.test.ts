import { describe, expect, it } from 'vitest';
import { answer, answerById, conversationAfter, MAX_QUESTION_LENGTH, MAX_SUGGESTIONS } from '../src/answering/answer.ts';
import { detectLanguage } from '../src/answering/language.ts';
import { loadAnswerer } from '../src/answering/load.ts';
import { readQuestion } from '../src/answering/question.ts';
import { suggest } from '../src/answering/suggest.ts';

const answerer = loadAnswerer();

function answeredId(question: string): string | null {
  const result = answer(question, answerer);
  return result.kind === 'answer' ? result.entry.id : null;
}

/*
 * A few plain questions of each kind: what the reader learns is measured on whole question sets
 * (answering.quality.test.ts); these show the answering around it.
 */
describe('answer', () => {
  it.each([
    ['Co to jest BPO?', 'bpo-definition'],
    ['co oznacza skrot bpo', 'bpo-acronym'],
    ['Czym jest back-office?', 'back-office'],
    ['What does BPO stand for?', 'bpo-acronym'],
    ['marketing', 'marketing-pr'],
    ['Piszę pracę zaliczeniową. Czy w BPO chodzi głównie o oszczędności?', 'bpo-costs'],
    ['explain bpo pls', 'bpo-definition'],
    ['zrodlo infromacji', 'source'],
    ['diffrence btween front office and back office?', 'back-vs-front-office'],
    ['<@123456789012345678> co to jest front office? 🤔', 'front-office'],
  ])('answers %j with %s', (question, id) => {
    expect(answeredId(question)).toBe(id);
  });

  it.each(['What is Kubernetes?', 'asdf', 'Ile kosztuje pizza w Rzymie?', 'Ile zarabia konsultant w call center?', 'Co to jest outsourcing IT?'])('declines the out-of-scope %j with suggestions', (question) => {
    const result = answer(question, answerer);
    expect(result.kind).toBe('not-found');
    if (result.kind !== 'not-found') return;
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
  });

  it('gives no fact for a question about the weather, small talk or not found, and the main topics to go on with', () => {
    const result = answer('Jaka jest pogoda?', answerer);
    expect(['small-talk', 'not-found']).toContain(result.kind);
    const pinned = answerer.kb.entries.filter((entry) => entry.pinned).map((entry) => entry.id);
    if (result.kind === 'small-talk' || result.kind === 'not-found') expect(result.suggestions.map((entry) => entry.id)).toEqual(expect.arrayContaining(pinned.slice(0, 3)));
  });

  it.each(['hej', 'Cześć!', 'hey bot, how are you today?', 'siema, jak leci?', 'dzięki, to wszystko', 'Dziś mam ciężki dzień w pracy'])('does not answer the small talk %j with a fact', (question) => {
    expect(['small-talk', 'not-found']).toContain(answer(question, answerer).kind);
  });

  it('greets, helps and points to the topics instead of guessing', () => {
    for (const [text, intent] of [['hej', 'greeting'], ['help', 'help'], ['co umiesz?', 'help'], ['?', 'empty'], ['', 'empty'], ['🙂', 'empty']] as const) {
      const result = answer(text, answerer);
      expect(result.kind, text).toBe('small-talk');
      if (result.kind === 'small-talk') expect(result.intent, text).toBe(intent);
    }
  });

  it.each(['dzięki!', 'Dziękuję bardzo, o to chodziło', 'thanks a lot!', 'thx, that helped'])('thanks back for %j, offering no topics: the asker is done', (text) => {
    const result = answer(text, answerer);
    expect(result.kind === 'small-talk' && result.intent).toBe('thanks');
    expect(result.kind === 'small-talk' && result.suggestions).toEqual([]);
  });

  it('treats a greeting followed by a question as a question', () => {
    expect(answeredId('hej, co to jest bpo?')).toBe('bpo-definition');
  });

  it('answers in English when asked in English, in Polish otherwise, and honours a preferred language', () => {
    expect(answer('What is back office?', answerer).lang).toBe('en');
    expect(answer('Co to jest back office?', answerer).lang).toBe('pl');
    expect(answer('bpo', answerer).lang).toBe('pl');
    expect(answer('Co to jest BPO?', answerer, { lang: 'en' }).lang).toBe('en');
  });

  it('asks to shorten a question over the limit', () => {
    const result = answer('bpo '.repeat(MAX_QUESTION_LENGTH), answerer);
    expect(result.kind).toBe('too-long');
  });

  it('answers a question read beforehand (its language needed first) as it answers the text, follow-ups and walls of text too', () => {
    const after = { entryId: 'back-office', lang: 'pl' } as const;
    for (const [question, options] of [
      ['czy klienci widzą back office?', {}],
      ['What is front office?', {}],
      ['a front office?', { after }],
      ['and who does it?', { after }],
      ['bpo '.repeat(MAX_QUESTION_LENGTH), {}],
      // The reply in the user's language; the claim read in the question's own.
      ['Is front office a term with no link to BPO?', { lang: 'pl' }],
      ['Czy klienci widzą back office?', { lang: 'en' }],
    ] as const) {
      const read = readQuestion(question, answerer.reader, 'after' in options ? { after: options.after } : {});
      expect(read.tooLong).toBe(question.length > MAX_QUESTION_LENGTH);
      expect(answer(read, answerer, options)).toEqual(answer(question, answerer, options));
    }
  });

  it('answers a compound question in the order it asks, unless its yes or no leads', () => {
    const parts = (question: string) => {
      const result = answer(question, answerer);
      return result.kind === 'answer' ? { verdict: result.verdict, ids: result.parts.map((part) => part.entry.id) } : null;
    };
    expect(parts('Co to jest back-office i dlaczego tak często zleca się go na zewnątrz?')).toEqual({ verdict: undefined, ids: ['back-office', 'back-office-outsourcing'] });
    expect(parts('is answering phones front office or back office?? the article puts it somewhere weird')?.ids.at(-1)).toBe('source');
    // The yes answers the part the message is surest of, so that part comes first.
    expect(parts("what's back office and can it be done away from the main office?")).toEqual({ verdict: 'yes', ids: ['back-office-outsourcing', 'back-office'] });
  });

  it('gives the same answer to the same question, every time', () => {
    for (const question of ['Co to jest BPO?', 'czy klienci widzą back office?', 'Jaka jest pogoda?']) expect(answer(question, answerer)).toEqual(answer(question, answerer));
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

describe('a follow-up', () => {
  it.each([
    ['Co to jest back office?', 'przykłady?', 'back-office'],
    ['What is BPO?', 'po polsku?', 'bpo-definition'],
    ['Czym jest back office?', 'in English?', 'back-office'],
  ])('after %j, reads the bare request %j as about that answer, and alone as nothing', (first, request, id) => {
    const after = conversationAfter(answer(first, answerer))!;
    const followed = answer(request, answerer, { after });
    expect(followed.kind === 'answer' && followed.entry.id).toBe(id);
    expect(answer(request, answerer).kind).toBe('not-found');
  });

  it('answers a request for more with what the answer links to as well, and a request for the same answer with that answer alone', () => {
    const after = conversationAfter(answer('Czym jest front-office?', answerer))!;
    const parts = (request: string) => {
      const result = answer(request, answerer, { after });
      return result.kind === 'answer' ? result.parts.map((part) => part.entry.id) : [];
    };
    expect(parts('możesz rozwinąć?')).toEqual(['front-office', 'front-office-outsourcing']);
    // Something new every time: the next entry with the answer, or (as some askers mean it) on its own.
    for (const request of ['can you elaborate?', 'rozwiń trochę', 'tell me more']) expect(parts(request), request).toContain('front-office-outsourcing');
    for (const request of ['prościej?', 'po angielsku?', 'możesz powtórzyć?']) expect(parts(request), request).toEqual(['front-office']);
    expect(readQuestion('możesz rozwinąć?', answerer.reader, { after }).asksForMore).toBe(true);
    expect(readQuestion('możesz rozwinąć?', answerer.reader).asksForMore).toBe(false);
  });

  it('answers a complete question asked again right after its own answer from the same entry first', () => {
    for (const question of ['Co to jest BPO?', 'What is BPO?', 'Co to jest back office?', 'Czym jest front office?', 'Co oznacza skrót BPO?']) {
      const first = answer(question, answerer);
      const again = answer(question, answerer, { after: conversationAfter(first)! });
      expect(again.kind === 'answer' && again.entry.id, question).toBe(first.kind === 'answer' && first.entry.id);
    }
  });

  it('reads a reaction and then a request by its asking sentence, rather than greeting it back', () => {
    const after = conversationAfter(answer('Czym jest BPO?', answerer))!;
    const followed = answer('Dobra, dzięki. A po angielsku?', answerer, { after });
    expect(followed.kind === 'answer' && followed.entry.id).toBe('bpo-definition');
  });

  it('gives the same answer in the language a follow-up asks for, and goes on in it', () => {
    const polish = conversationAfter(answer('Czym jest BPO?', answerer))!;
    expect(polish.lang).toBe('pl');
    for (const request of ['po angielsku?', 'Dobra, dzięki. A po angielsku?', 'możesz to napisać po angielsku?', 'english pls', 'a w wersji angielskiej?']) {
      const followed = answer(request, answerer, { after: polish });
      expect(followed.kind === 'answer' && [followed.entry.id, followed.lang], request).toEqual(['bpo-definition', 'en']);
      // It outweighs the asker's locale too: the message says what it wants.
      expect(answer(request, answerer, { after: polish, lang: 'pl' }).lang, request).toBe('en');
    }
    const english = conversationAfter(answer('po angielsku?', answerer, { after: polish }))!;
    expect(english).toEqual({ entryId: 'bpo-definition', lang: 'en' });
    for (const request of ['in Polish please', 'a po polsku?']) {
      const followed = answer(request, answerer, { after: english });
      expect(followed.kind === 'answer' && [followed.entry.id, followed.lang], request).toEqual(['bpo-definition', 'pl']);
    }
    // Naming a language is not always asking for it: a yes/no question about the answer, a question
    // naming both, one about Polish firms, a refusal, or "pół" without its accent.
    const acronym = conversationAfter(answer('Co oznacza skrót BPO?', answerer))!;
    for (const text of ['czyli to skrót angielski, nie polski?', 'czy to angielski skrót?', 'a po polsku czy po angielsku?']) {
      expect(readQuestion(text, answerer.reader, { after: acronym }).answerLang, text).toBeUndefined();
    }
    for (const text of ['tell me more, especially about Polish firms', 'why is it so popular with Polish companies?']) {
      expect(readQuestion(text, answerer.reader, { after: english }).answerLang, text).toBeUndefined();
      expect(answer(text, answerer, { after: english }).lang, text).toBe('en');
    }
    for (const text of ['wytłumacz prostym językiem, nie po angielsku', 'a w pol zdania?']) {
      expect(readQuestion(text, answerer.reader, { after: polish }).answerLang, text).toBeUndefined();
    }
    // Outside a conversation there is no answer to give again in another language.
    expect(readQuestion('po angielsku?', answerer.reader).answerLang).toBeUndefined();
  });

  it('follows a pronoun to the topic its own words name: "co ona zlecała" after the Coca-Cola answer', () => {
    const after = conversationAfter(answer('Jaką firmę artykuł podaje jako przykład?', answerer))!;
    const followed = answer('co ona zlecała na zewnątrz?', answerer, { after });
    expect(followed.kind === 'answer' && followed.entry.id).toBe('coca-cola-example');
  });
});

describe('readQuestion: a question read once', () => {
  it('holds its words, language, whether it asks for help, and the reader\'s ranking, best first', () => {
    const read = readQuestion('What is back office?', answerer.reader);
    expect(read.message.words).toEqual(['what', 'is', 'back', 'office', '?']);
    expect(read.lang).toBe('en');
    expect(read.help).toBe(false);
    expect(read.topics[0]!.label).toBe('back-office');
    const probabilities = read.topics.map((topic) => topic.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
  });
  it('reads each clause of a message that asks two things, and each side of a comparison', () => {
    expect(readQuestion('Co to jest back office i dlaczego zleca się go podwykonawcom?', answerer.reader).clauses).toHaveLength(2);
    expect(readQuestion('Czym różni się audyt od PR?', answerer.reader).clauses).toHaveLength(2);
    expect(readQuestion('Co to jest back office?', answerer.reader).clauses).toEqual([]);
  });
  it('reads each side of a comparison without the words that compare, so both sides are answered', () => {
    for (const question of ['Czym różni się audyt od PR?', 'What is the difference between payroll and accounting?', 'audyt a PR - różnice?']) {
      const result = answer(question, answerer);
      expect(result.kind, question).toBe('answer');
      if (result.kind !== 'answer') continue;
      expect(result.parts.map((part) => part.entry.id).sort(), question).toEqual(question.startsWith('What') ? ['finance-accounting', 'hr-payroll'] : ['audit-controlling', 'marketing-pr']);
      // As sure as its least sure side, not as the whole message, which asks for neither alone.
      expect(result.confidence, question).toBe(Math.min(...result.parts.map((part) => part.confidence)));
      expect(result.confidence, question).toBeGreaterThanOrEqual(0.5);
    }
    // One side the article does not define: no half answer.
    expect(answer('Czym różni się BPO od KPO?', answerer).kind).toBe('not-found');
  });
  it('reads the sentence that asks in a message that tells its story first', () => {
    const story = 'Jestem na pierwszym roku i nic nie rozumiem z zajęć. Co oznacza skrót BPO?';
    const read = readQuestion(story, answerer.reader);
    expect(read.asking?.words).toEqual(['co', 'oznacza', 'skrot', 'bpo', '?']);
    // The story alone reads as the asker talking about themselves; its question names the topic.
    expect(answeredId(story)).toBe('bpo-acronym');
    // A story that asks nothing the article answers is still declined…
    expect(answer('Pracuję w back office w banku od pięciu lat. Ile się tam zarabia?', answerer).kind).toBe('not-found');
    // …and whether it asks yes or no is read from the sentence that asks: this one asks why.
    const why = answer("My boss keeps talking about cutting costs. Everyone is nervous. Why are companies' costs going up?", answerer);
    expect(why.kind === 'answer' && [why.entry.id, why.verdict]).toEqual(['rising-costs', undefined]);
    const claim = answer('Szwagier mówił przy obiedzie, że BPO dotyczy tylko fabryk. Czy to prawda?', answerer);
    expect(claim.kind === 'answer' && claim.verdict).toBe('no');
    expect(readQuestion('Co to jest BPO?', answerer.reader).asking).toBeUndefined();
  });
  it('takes the claim from the sentence that asks when that sentence names the topic itself, not from the story', () => {
    const verdictOf = (text: string) => {
      const result = answer(text, answerer);
      return result.kind === 'answer' ? [result.entry.id, result.verdict] : result.kind;
    };
    // The story's "nie" belongs to the colleague's claim, not to the question asked.
    expect(verdictOf('Kolega twierdzi, że to nie ma nic wspólnego z BPO. Czy kadry i płace to usługa BPO?')).toEqual(['hr-payroll', 'yes']);
    expect(verdictOf('Znajomy mówi, że klienci nie widzą front office. Czy front office to kontakt z klientem?')).toEqual(['front-office', 'yes']);
    // "Ma rację?" names nothing: the story is the claim asked about.
    expect(verdictOf('Szwagier mówił przy obiedzie, że BPO dotyczy tylko fabryk. Ma rację?')[1]).toBe('no');
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
    expect(detectLanguage(text, answerer.reader)).toBe(lang);
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
