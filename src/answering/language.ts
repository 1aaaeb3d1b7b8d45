import type { Lang } from '../knowledge/schema.ts';
import { words as foldedWords } from '../search/normalize.ts';

// Frequent words of one language that the other language does not use. Words both languages write
// the same way ("i", "a", "to", "do", "na", "no", "on") and the article's shared vocabulary ("bpo",
// "office", "outsourcing") tell nothing, so they are in neither list.
const ENGLISH = new Set(
  `what whats what's is isn are aren was were the of an for does doesn did didn can could should would will mean means stand stands about
  tell me explain you your please and with from than difference between companies company costs cost customers customer services service
  example examples why who which how when where this that these those there their they them it its it's have has had been be
  or but not if so my our we us just also only very much many more most some any all each every other into by at as get gets got
  work works working done make makes made kind type types list give show name whole part main mainly nowadays today always still
  hi hey hello thanks thank pls plz thx ur yo bot dumb quick sorry guys lol honestly basically really actually outsource outsourced
  outsources firm firms business businesses job jobs staff hiring hire people article text author says say said call calls center phone`.split(/\s+/),
);
const POLISH = new Set(
  `co czy czym czego jak jakie jaki jaka jakiej jakim jakich jest sa byc bylo byla byl dlaczego czemu po sie na w z ze oznacza znaczy
  ktore ktory ktora ktorej ktorych od dla oraz firmy firma firmie koszty kosztow uslugi uslug klient klientow klienta przyklad rozni
  miedzy gdzie kiedy kto ile tez takze rowniez jeszcze moze mozna trzeba musi mam masz ma jestem jestes siema czesc hej prosze dzieki
  ogarnia wgl nwm ten ta tego tej tym te tych tylko bardzo bardziej wiecej mniej zawsze nigdy teraz dzis dzisiaj obecnie kiedys
  wedlug wg tekst tekscie artykul artykule autor pisze mowi zlecac zleca zlecenie oddac oddaje zewnatrz zewnetrzna zewnetrzne
  wymien podaj wyjasnij powiedz opisz czyli albo lub ani ale bo wiec jesli gdy`.split(/\s+/),
);

const POLISH_LETTERS = /[ąćęłńóśźż]/i;

/** The language of a question: Polish when in doubt, because the article and most users are Polish. */
export function detectLanguage(text: string): Lang {
  return languageOfWords(foldedWords(typeof text === 'string' ? text : ''), text);
}

/** The same from already folded words; `raw` is the text as typed, for its letters. */
export function languageOfWords(words: readonly string[], raw: string): Lang {
  if (POLISH_LETTERS.test(raw)) return 'pl';
  let english = 0;
  let polish = 0;
  for (const word of words) {
    if (ENGLISH.has(word)) english++;
    if (POLISH.has(word)) polish++;
  }
  return english > polish ? 'en' : 'pl';
}
