/** Reading a question once: its sentences and clauses, context, what is left out, and what it asks for. */
import { describe, expect, it } from 'vitest';
import { detectIntents } from '../src/answering/intent.ts';
import { analyzeQuestion } from '../src/answering/question.ts';
import { negationCount, words } from '../src/search/normalize.ts';

const own = (question: string, part = 0) => analyzeQuestion(question).parts[part]!.query.words.filter((word) => !word.context).map((word) => word.token);
const context = (question: string, part = 0) => analyzeQuestion(question).parts[part]!.query.words.filter((word) => word.context).map((word) => word.token);
const intents = (question: string) => [...analyzeQuestion(question).intents].sort();

describe('analyzeQuestion: what to search', () => {
  it('keeps the asking sentence as the question and the others as context', () => {
    expect(own('Piszę pracę zaliczeniową. Czy w BPO chodzi głównie o oszczędności?')).toEqual(['bpo', 'oszczednosci']);
    expect(context('Piszę pracę zaliczeniową. Czy w BPO chodzi głównie o oszczędności?')).toEqual(['pisze', 'prace', 'zaliczeniowa']);
  });

  it('reads a statement before a question after a comma as context', () => {
    expect(own('I work in a recruitment agency in Wrocław, is recruitment also BPO?')).toEqual(['recruitment', 'bpo']);
  });

  it('drops chat, requests, hedges and phrases about the text itself', () => {
    expect(own('siema, ogarnia ktoś co w ogóle znaczy BPO? jutro mam kolosa 😭')).toEqual(['bpo']);
    expect(own('Według autora, co w artykule znaczy skrót PR?')).toEqual(['skrot', 'pr']);
    expect(own('According to the text, what does BPO mean in simple words?')).toEqual(['bpo']);
    expect(own('Czy mógłby Pan wytłumaczyć, czym jest back-office?')).toEqual(['back', 'office']);
  });

  it('splits "what is X and why…" into two parts, the second referring back to the first', () => {
    const { parts } = analyzeQuestion('Co to jest back-office i dlaczego tak często zleca się go na zewnątrz?');
    expect(parts).toHaveLength(2);
    expect(own('Co to jest back-office i dlaczego tak często zleca się go na zewnątrz?', 0)).toEqual(['back', 'office']);
    expect(parts[1]!.followsPart).toBe(0);
    expect(context('Co to jest back-office i dlaczego tak często zleca się go na zewnątrz?', 1)).toEqual(['back', 'office']);
    expect([...parts[1]!.intents]).toContain('why');
  });

  it('keeps "X and Y" without a second question as one part', () => {
    expect(analyzeQuestion('Czy marketing i PR to też BPO?').parts).toHaveLength(1);
  });

  it('leaves out what follows "apart from": a name, or a short list, never the question after it', () => {
    expect(own('Co jeszcze obejmuje BPO dziś, oprócz kadr, płac i księgowości?')).toEqual(['obejmuje', 'bpo', 'dzis']);
    expect(own('Besides admin back-end stuff, what else does BPO cover today?')).toEqual(['else', 'bpo', 'cover', 'today']);
    expect(own('Which other companies besides Coca-Cola outsourced their supply chain?')).toEqual(['companies', 'outsourced', 'supply', 'chain']);
  });

  it('treats the second alternative of a choice as context', () => {
    expect(context('Does the article count marketing as BPO or is he just throwing buzzwords around?')).toEqual(['throwing', 'buzzwords']);
  });

  it('gives a question with no word of its own the names its context gives', () => {
    expect(own("My son says he works in 'BPO'. Could someone explain what it is?")).toEqual(['bpo']);
  });

  it('reads a statement about the asker after a comma as context, not as the question', () => {
    expect(own('streść ten artykuł, mam jutro zajęcia z logistyki')).toEqual([]);
    expect(context('streść ten artykuł, mam jutro zajęcia z logistyki')).toEqual(['zajecia', 'logistyki']);
  });

  it('takes a short label before a question with no word of its own as its topic, but not a sentence', () => {
    expect(own('bek ofis – o co chodzi?')).toEqual(['bek', 'ofis']);
    expect(own('My son works in logistics. What is it?')).toEqual([]);
  });

  it('drops a term noun in the singular a verb governs, and keeps the plural asked about', () => {
    expect(own('do czego używa się słowa outsourcing')).toEqual(['uzywa', 'outsourcing']);
    expect(own('jakie słowa kojarzą się z outsourcingiem')).toContain('slowa');
  });

  it('keeps what a list leaves out apart from what it asks', () => {
    const part = analyzeQuestion('Wymień usługi BPO poza kadrami i księgowością').parts[0]!;
    expect(part.excluded).toEqual(['kadrami', 'ksiegowoscia']);
    expect(part.query.words.map((word) => word.token)).toEqual(['uslugi', 'bpo']);
  });

  it('reads a condition before the question as its context', () => {
    expect(own('When back office is outsourced, who does the work?')).toEqual(['work']);
    expect(context('When back office is outsourced, who does the work?')).toEqual(['back', 'office', 'outsourced']);
    expect(intents('When back office is outsourced, who does the work?')).not.toContain('when');
  });

  it('ends a sentence at a full stop after a word, but not after an abbreviation', () => {
    expect(own("I'm new here and kinda lost lol. does customer support count as front-office?")).toEqual(['customer', 'support', 'front', 'office']);
    expect(own('Pracuję w spółce z o.o. w dziale kadr, czy to BPO?')).toEqual(['bpo']);
  });

  it('marks names, but not in a message typed in capitals', () => {
    expect(analyzeQuestion('Jakie firmy BPO działają w Krakowie?').parts[0]!.query.words.find((word) => word.token === 'krakowie')?.capital).toBe(true);
    expect(analyzeQuestion('CZY OBSŁUGĘ KLIENTÓW MOŻNA ZLECIĆ NA ZEWNĄTRZ???').parts[0]!.query.words.some((word) => word.capital)).toBe(false);
  });
});

describe('what a question asks for', () => {
  it.each([
    ['Dlaczego firmy korzystają z BPO?', 'why'],
    ['Po co firmy oddają back-office?', 'why'],
    ['Kto przejmuje procesy w BPO?', 'who'],
    ['Which company is given as an example?', 'who'],
    ['W którym roku powstało BPO?', 'when'],
    ['What time zone is Poland in?', 'when'],
    ['Ile kosztuje usługa BPO?', 'amount'],
    ['How long does it take to move back-office to a provider?', 'amount'],
    ['Gdzie można wykonywać procesy back-office?', 'where'],
    ['Which countries lead the BPO market?', 'ranking'],
    ['Jak założyć firmę BPO?', 'howto'],
    ['Czy warto iść do pracy w BPO?', 'opinion'],
    ['Czy Wikipedia to wiarygodne źródło?', 'opinion'],
    ['Jakie są wady BPO?', 'drawbacks'],
    ['Wymień usługi BPO', 'list'],
    ['What are the main groups of services in BPO?', 'list'],
    ['Czym różni się back-office od front-office?', 'compare'],
    ['Podaj przykład BPO', 'example'],
    ['Streść ten artykuł', 'summary'],
    ['tl;dr?', 'summary'],
    ['Co oznacza skrót PR?', 'term'],
    ['Czy księgowość to BPO?', 'yesno'],
    ['Is payroll part of BPO?', 'yesno'],
    ['infolinia prowadzona przez inną firmę to też BPO?', 'yesno'],
    ['W BPO chodzi o jakość czy o koszty?', 'either-or'],
    ['What are the leading outsourcing firms?', 'who'],
    ['What were the first companies to outsource?', 'who'],
    ['Z którą firmą współpracowała Coca-Cola?', 'who'],
    ['o czym właściwie jest cały ten tekst?', 'summary'],
  ] as const)('%j asks for %s', (question, intent) => {
    expect(intents(question)).toContain(intent);
  });

  it.each([
    ['Dlaczego warto korzystać z BPO?', 'opinion'],
    ['Jakie pojęcia warto kojarzyć z BPO?', 'opinion'],
    ['Could you explain what BPO is?', 'yesno'],
    ['What do external firms do when front-office is outsourced?', 'when'],
    ['What does the article mean by PR?', 'summary'],
    ['Z jakimi firmami kojarzono BPO na początku, kiedyś?', 'when'],
    // A relative "które" ("procesy, które firma zleca") asks for no name.
    ['Jak nazywa się proces, które firma zleca na zewnątrz?', 'who'],
    ['What pushes companies to cut costs?', 'who'],
    // Every case of "jaki" and "który" asks for something, not yes or no.
    ['Jakiemu działowi podlega back-office?', 'yesno'],
    ['Którego procesu dotyczy front-office?', 'yesno'],
    // The Polish preposition "do", not the English auxiliary.
    ['do czego służy back office', 'yesno'],
    // How to read a word is what it means, not instructions.
    ['Jak rozwinąć skrót PR?', 'howto'],
  ] as const)('%j does not ask for %s', (question, intent) => {
    expect(intents(question)).not.toContain(intent);
  });

  it('reads question words through a typing slip', () => {
    expect([...detectIntents(words('dlaczgo firmy outsourcuja procesy'))]).toContain('why');
    expect([...detectIntents(words('wich servises are in bpo'))]).toContain('list');
  });

  it('asks for when a term was coined when "who" meets a term', () => {
    expect(intents('Kto wymyślił termin BPO?')).toContain('when');
  });
});

describe('negations', () => {
  it('counts "nie" and "not", but not the pronoun or a yes/no tag', () => {
    expect(negationCount(words('Czy klient nie widzi back-office?'))).toBe(1);
    expect(negationCount(words("Doesn't the customer see it?"))).toBe(1);
    expect(negationCount(words('Dlaczego firmy się na nie decydują?'))).toBe(0);
    expect(negationCount(words('Marketing da się zlecić? Tak/nie.'))).toBe(0);
  });
});
