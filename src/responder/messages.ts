import type { Lang } from '../knowledge/schema.ts';

/** "3, 4 i 5": distinct numbers in order, the last joined by `and`. */
function listOf(numbers: readonly number[], and: string): string {
  const distinct = [...new Set(numbers)].sort((a, b) => a - b);
  return distinct.length > 1 ? `${distinct.slice(0, -1).join(', ')} ${and} ${distinct.at(-1)}` : String(distinct[0]);
}

/** A day as the reader's language writes it ("6 grudnia 2026", "6 December 2026"), in UTC so every process says the same. */
export function formatDay(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(MESSAGES[lang].dateLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
}

/** Every sentence the bot says of its own, in both languages. */
export const MESSAGES = {
  pl: {
    notFoundTitle: 'Nie znalazłem odpowiedzi',
    notFound: 'Nie znalazłem tego w artykule o BPO. Spróbuj zapytać inaczej albo wybierz jeden z tematów:',
    greetingTitle: 'Cześć!',
    greeting: 'Odpowiadam na pytania o BPO (Business Process Outsourcing) na podstawie artykułu z Wikipedii. Zapytaj komendą /zapytaj, w wiadomości prywatnej albo wzmiankując mnie, na przykład: „Co to jest BPO?”, albo wybierz temat:',
    thanksTitle: 'Nie ma za co!',
    thanks: 'Jeśli chcesz wiedzieć o BPO coś jeszcze, pytaj śmiało.',
    helpTitle: 'Jak mnie używać',
    help: 'Zadaj pytanie o BPO: komendą /zapytaj, w wiadomości prywatnej albo wzmiankując mnie na kanale. Każda odpowiedź cytuje zdanie artykułu, na którym się opiera. Przykładowe tematy:',
    tooLongTitle: 'Pytanie jest za długie',
    tooLong: (max: number) => `Proszę, skróć pytanie do ${max} znaków i zapytaj jeszcze raz.`,
    verdict: { yes: 'Tak.', no: 'Nie.' },
    source: 'Źródło',
    accordingTo: (title: string, paragraphs: readonly number[], source: string) =>
      `„${title}”, ${new Set(paragraphs).size > 1 ? `akapity ${listOf(paragraphs, 'i')}` : `akapit ${paragraphs[0]}`}, według: ${source}`,
    translated: '',
    related: 'Powiązane tematy',
    suggestions: 'Może chodzi o',
    confidence: (percent: number) => `Pewność dopasowania: ${percent}%`,
    topicsTitle: 'O co możesz zapytać',
    topicsIntro: 'Tematy z artykułu o BPO. Zapytaj komendą /zapytaj, w wiadomości prywatnej albo wzmiankując mnie; główny temat możesz też kliknąć:',
    error: 'Coś poszło nie tak. Spróbuj ponownie za chwilę.',
    rateLimited: (wait: string) => `Zadajesz pytania zbyt szybko. Możesz zapytać ponownie za ${wait}.`,
    overloaded: 'Padło tu naraz więcej pytań, niż zdążyłem odpowiedzieć, i na niektóre nie odpowiedziałem. Zapytaj ponownie za chwilę.',
    seconds: (n: number) => `${n} s`,
    minutes: (n: number) => `${n} min`,
    staleTopicTitle: 'Tego tematu już nie ma',
    staleTopic: 'Ten przycisk pochodzi ze starszej wersji bota, a temat zniknął z bazy wiedzy. Wybierz jeden z aktualnych tematów albo zapytaj komendą /zapytaj:',
    staleComponentTitle: 'Ta opcja jest nieaktualna',
    staleComponent: 'Ta wiadomość pochodzi ze starszej wersji bota i jej przyciski już nie działają. Wybierz jeden z aktualnych tematów albo zapytaj komendą /zapytaj:',
    unknownCommandTitle: 'Nie znam tej komendy',
    unknownCommand: 'Ta komenda nie jest już dostępna. Zapytaj komendą /zapytaj albo wybierz temat:',
    voteRecorded: 'Dziękuję za ocenę! Pomoże ulepszyć odpowiedzi.',
    voteChanged: (emoji: string) => `Zmieniłem Twoją ocenę na ${emoji}. Dziękuję!`,
    voteUnchanged: 'Ta ocena jest już zapisana. Dziękuję!',
    voteUnavailable: 'Dziękuję! Nie udało się teraz zapisać oceny. Spróbuj ponownie za chwilę.',
    voteOff: 'Dziękuję! Oceny nie są teraz zbierane.',
    serverKnowledge: 'Wiedza tego serwera',
    serverKnowledgeNote: (date: string) => `Odpowiedź administracji serwera, nie z artykułu. Aktualizacja: ${date}.`,
    dateLocale: 'pl-PL',
  },
  en: {
    notFoundTitle: 'No answer found',
    notFound: 'I could not find that in the article on BPO. Try asking another way, or pick a topic:',
    greetingTitle: 'Hi!',
    greeting: 'I answer questions about BPO (Business Process Outsourcing) from a Polish Wikipedia-based article. Ask with /ask, in a direct message or by mentioning me, for example: "What is BPO?", or pick a topic:',
    thanksTitle: "You're welcome!",
    thanks: 'If there is anything else you would like to know about BPO, just ask.',
    helpTitle: 'How to use me',
    help: 'Ask a question about BPO: with the /ask command, in a direct message, or by mentioning me in a channel. Every answer quotes the sentence of the article it rests on. Some topics:',
    tooLongTitle: 'Your question is too long',
    tooLong: (max: number) => `Please shorten your question to ${max} characters and ask again.`,
    verdict: { yes: 'Yes.', no: 'No.' },
    source: 'Source',
    accordingTo: (title: string, paragraphs: readonly number[], source: string) =>
      `"${title}", ${new Set(paragraphs).size > 1 ? `paragraphs ${listOf(paragraphs, 'and')}` : `paragraph ${paragraphs[0]}`}, according to ${source}`,
    translated: 'Answer translated from the Polish article; the quote is the original.',
    related: 'Related topics',
    suggestions: 'Did you mean',
    confidence: (percent: number) => `Match confidence: ${percent}%`,
    topicsTitle: 'What you can ask about',
    topicsIntro: 'Topics from the article on BPO. Ask with /ask, in a direct message, or by mentioning me; you can also click a main topic:',
    error: 'Something went wrong. Please try again in a moment.',
    rateLimited: (wait: string) => `You are asking too quickly. You can ask again in ${wait}.`,
    overloaded: 'More questions came in here at once than I could answer, and some went unanswered. Please ask again in a moment.',
    seconds: (n: number) => `${n} s`,
    minutes: (n: number) => `${n} min`,
    staleTopicTitle: 'This topic is no longer available',
    staleTopic: 'This button comes from an older version of the bot, and its topic has left the knowledge base. Pick a current topic or ask with /ask:',
    staleComponentTitle: 'This option is no longer available',
    staleComponent: 'This message comes from an older version of the bot, and its buttons no longer work. Pick a current topic or ask with /ask:',
    unknownCommandTitle: 'I do not know this command',
    unknownCommand: 'This command is no longer available. Ask with /ask, or pick a topic:',
    voteRecorded: 'Thank you for the rating! It helps improve the answers.',
    voteChanged: (emoji: string) => `I changed your rating to ${emoji}. Thank you!`,
    voteUnchanged: 'This rating is already saved. Thank you!',
    voteUnavailable: 'Thank you! Your rating could not be saved just now. Please try again in a moment.',
    voteOff: 'Thank you! Ratings are not being collected at the moment.',
    serverKnowledge: "This server's knowledge",
    serverKnowledgeNote: (date: string) => `An answer from this server's admins, not from the article. Updated ${date}.`,
    dateLocale: 'en-GB',
  },
} as const satisfies Record<Lang, unknown>;
