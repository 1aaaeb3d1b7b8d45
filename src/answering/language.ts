import type { Lang } from '../knowledge/schema.ts';
import { tokenize } from '../search/normalize.ts';

// Words frequent in questions of one language and rare in the other.
const ENGLISH = new Set(
  'what is the does do how why who which are of a an for mean means stand stands about tell me explain does did can you please and with from than difference between companies company costs cost customers customer services example examples office back front outsourcing'.split(' '),
);
const POLISH = new Set(
  'co to jest czym jak jakie jaki jaka czy dlaczego po sie sa na w z ze oznacza ktore ktory czemu do od dla oraz firmy firma koszty uslugi klient klientow przyklad rozni miedzy'.split(' '),
);
// Words shared by both languages ("bpo", "office", "outsourcing") tell nothing; these two lists
// keep only words whose language is clear.
for (const word of ['office', 'back', 'front', 'outsourcing']) POLISH.delete(word);

const POLISH_LETTERS = /[ąćęłńóśźż]/i;

/** The language of a question: Polish when in doubt, because the article and most users are Polish. */
export function detectLanguage(text: string): Lang {
  if (POLISH_LETTERS.test(text)) return 'pl';
  let english = 0;
  let polish = 0;
  for (const token of tokenize(text)) {
    if (ENGLISH.has(token) && !POLISH.has(token)) english++;
    if (POLISH.has(token) && !ENGLISH.has(token)) polish++;
  }
  return english > polish ? 'en' : 'pl';
}
