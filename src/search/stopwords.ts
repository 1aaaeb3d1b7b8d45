/**
 * Words that carry no topic: question words, pronouns, auxiliaries and chat filler, in Polish and
 * English, already folded (lower case, no diacritics) because they are matched after folding.
 * They are dropped from both the index and the question, so "Co to jest BPO?" searches for "bpo".
 */
const POLISH = `
a aby albo ale ani az bardzo bez bo by byc byl byla bylo byly bede beda cala caly ci cie co czy czyli czym
dla do dosc gdy gdzie go i ich im inne ja jak jaka jaki jakie jakich jakim jakiej jako je jego jej jest
jestem jesli juz kto ktora ktore ktory ktorych ktorym ktorej ku lub ma mam mi mnie moge mozesz moze mozna
mu my na nad nam nas naszej nie niech nim no o od oraz po pod polega polegaja prosze przez przy sa sie sobie
swoj ta tak takie takze tam te tego tej ten tez to tu tutaj ty tym u w we wiec wlasciwie wszystko wy z za ze zeby
wyjasnij wyjasnic powiedz opowiedz napisz pytanie chce chcialbym chcialabym wiedziec dowiedziec hej czesc siema
ogolnie krotko prostu poprosze interesuje ciekawi mowi mowia znaczy jakis jakas cos ktos temat tych poza
miedzy przed wsrod zas sam sama samo moj moja twoj twoja nasz wasz ktos ktorzy jakich ono oni one jej
ale tylko jeszcze teraz wlasnie bardziej mniej czesto zwykle np itd itp tzw ang inny inna inne innej innego innym
innych innemu trzeba musi musza musze niego niej nich siebie sobie samej samego samym sam skoro ogole ogol
ktorego ktorej ktorych ktorym ktora jakiego jakiej jakim taki taka takiego takiej najczesciej zazwyczaj czyms
kims czegos kogos wszystkie wszystkich kazdy kazda kazde duzo malo troche wiele wielu mozliwe naprawde
czyli wtedy potem przy podczas zawsze nigdy gdzies tam tutaj stad dlatego poniewaz jezeli czego komu kogo kim
dotyczy dotycza dotyczyc odnosi odnosza odnosic wynika wynikaja nalezy naleza trafia trafiaja sklania sklaniaja
powoduje powoduja sprawia sprawiaja wplywa zalezy mozemy warto bywa bywaja stanowi stanowia dzieje chodzi
chodzic model modelu modelem ramach ramy samemu zrobic robic wchodzi wchodza oprocz zastanawiam zastanawiac
pytam pytanie pytania wiem myslalem myslalam myslisz sadze slyszalem slyszalam czytalem czytalam podpada
korzysta korzystaja korzystac praktyce praktyka wymienia wymieniaja wymienione wymieniono zwykly zwyklego zwykla
zwyklej zwyklym normalny normalnego pls plz plis pliz prosze prosilbym dzieki dzk thx
`;

const ENGLISH = `
a about all also am an and any are as at be been being but by can could did do does doing done explain for from
had has have how i if in into is it its just know let me mean means might more most my of on or our please
really should so some tell than that the their them then there these they this those to us was we were what
where which who whom will with would you your hey hi hello describe give quick quickly briefly question
want wanted wondering curious actually exactly kind sort thing stuff other others another often usually
over such same very anything something someone anyone every each both either neither only own
get gets got make makes made go goes went does done here there where while because since though although
refer refers referred happen happens happened tend tends wonder wondering heard think thought read
practice list lists listed mention mentions mentioned ordinary regular normal plain simple pls plz thx
wut wat whats ya u ur
`;

/**
 * Question words that do carry meaning: "why" questions are answered by the reasons the article
 * gives, so "dlaczego" and "why" are kept and share one key.
 */
export const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['dlaczego', 'why'],
  ['czemu', 'why'],
  ['why', 'why'],
  // The article gives no amounts and no dates: questions asking for them ("ile zarabia…", "when was…")
  // carry a word no entry has, which keeps them out of scope unless an entry does answer them.
  ['ile', 'qamount'],
  ['many', 'qamount'],
  ['much', 'qamount'],
  ['kiedy', 'qtime'],
  ['when', 'qtime'],
]);

/** Phrases that work as one question word ("po co" asks why), replaced before the words are split. */
export const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\bpo co\b/g, 'why'],
  [/\bwhat for\b/g, 'why'],
  [/\bhow come\b/g, 'why'],
  // The article describes; it gives no instructions. "Jak skonfigurować…", "how to…" ask for a recipe,
  // which becomes a word no entry has (unless an entry does answer such a question).
  [/\bjak(?= \p{L}+[aeiouy]c\b)/gu, 'qhowto'],
  [/\bhow (?:to|do i|can i|should i)\b/g, 'qhowto'],
];

export const STOP_WORDS: ReadonlySet<string> = new Set(`${POLISH} ${ENGLISH}`.split(/\s+/).filter(Boolean));
