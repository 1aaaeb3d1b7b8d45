import type { Lang } from '../knowledge/schema.ts';

/** Every sentence the bot says of its own, in both languages. */
export const MESSAGES = {
  pl: {
    notFoundTitle: 'Nie znalazłem odpowiedzi',
    notFound: 'Nie znalazłem tego w artykule o BPO. Spróbuj zapytać inaczej albo wybierz jeden z tematów:',
    greetingTitle: 'Cześć!',
    greeting: 'Odpowiadam na pytania o BPO (Business Process Outsourcing) na podstawie artykułu z Wikipedii. Zapytaj na przykład: „Co to jest BPO?” albo wybierz temat:',
    helpTitle: 'Jak mnie używać',
    help: 'Zadaj pytanie o BPO: komendą /zapytaj, w wiadomości prywatnej albo wzmiankując mnie na kanale. Każda odpowiedź cytuje zdanie artykułu, na którym się opiera. Przykładowe tematy:',
    tooLongTitle: 'Pytanie jest za długie',
    tooLong: (max: number) => `Proszę, skróć pytanie do ${max} znaków i zapytaj jeszcze raz.`,
    source: 'Źródło',
    accordingTo: (title: string, paragraph: number, source: string) => `„${title}”, akapit ${paragraph}, według: ${source}`,
    translated: '',
    related: 'Powiązane tematy',
    suggestions: 'Może chodzi o',
    confidence: (percent: number) => `Pewność dopasowania: ${percent}%`,
  },
  en: {
    notFoundTitle: 'No answer found',
    notFound: 'I could not find that in the article on BPO. Try asking another way, or pick a topic:',
    greetingTitle: 'Hi!',
    greeting: 'I answer questions about BPO (Business Process Outsourcing) from a Polish Wikipedia-based article. Ask, for example: "What is BPO?" or pick a topic:',
    helpTitle: 'How to use me',
    help: 'Ask a question about BPO: with the /ask command, in a direct message, or by mentioning me in a channel. Every answer quotes the sentence of the article it rests on. Some topics:',
    tooLongTitle: 'Your question is too long',
    tooLong: (max: number) => `Please shorten your question to ${max} characters and ask again.`,
    source: 'Source',
    accordingTo: (title: string, paragraph: number, source: string) => `"${title}", paragraph ${paragraph}, according to ${source}`,
    translated: 'Answer translated from the Polish article; the quote is the original.',
    related: 'Related topics',
    suggestions: 'Did you mean',
    confidence: (percent: number) => `Match confidence: ${percent}%`,
  },
} as const satisfies Record<Lang, unknown>;
