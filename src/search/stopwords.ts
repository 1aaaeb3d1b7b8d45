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
dlaczego czemu why
pojawia pojawiaja pojawil pojawila wystepuje wystepuja wspomniany wspomniana wspomniane wspomina uzyty uzyta uzyte uzywany uzywana uzyto napisane napisano
mention mentions mentioned appear appears appeared occur occurs even say says said talk talks discuss discusses discussed
moga mozemy mogl mogla mogli mogloby mozliwe rzecz rzeczy things thing lapie lapia lapac kminie kmini zrob zrobisz
artykul artykule artykulu artykulem artykuly tekst tekstu tekscie tekstem wpis wpisie article articles text texts
argument argumenty argumentem argumentow arguments powod powody powodem powodow reason reasons
out up down off along around bit
he she him her his hers mine yours ours theirs moglby moglaby moglbys moglabys mogliby mozecie mozesz moglbym moglabym
swoje swojej swojego swoich swoim swoimi swoja swa swe nasze naszego naszych naszym twoje twojej wasze ich jego
through via considered regarded counted count counts deemed seen-as
jeden jedna jedno dwa dwie dwoch dwoma dwiema trzy trzech trzema one two three
whole entire cala cale calosc calym calej calego calkowicie single factor factors
grupy grupa grup groups group kategorie kategoria kategorii categories category
nikt nikogo nikomu nic niczego umie umiem umiesz umieja potrafi potrafie potrafia nobody anybody anyone someone somebody
robi robia robie robisz robic robione robiony robiona robienie zrobic zrobione zrobil zrobila zrobili dzieje dzialo
ma maja mamy macie miec mial miala mieli bedzie beda byly bywa bywaja zostac zostaje zostaja zostal zostala
ale tylko jeszcze teraz wlasnie bardziej mniej czesto zwykle np itd itp tzw ang inny inna inne innej innego innym
innych innemu trzeba musi musza musze niego niej nich siebie sobie samej samego samym sam skoro ogole ogol
ktorego ktorej ktorych ktorym ktora jakiego jakiej jakim taki taka takiego takiej najczesciej zazwyczaj czyms
kims czegos kogos wszystkie wszystkich wszystkim kazdy kazda kazde duzo malo troche wiele wielu mozliwe naprawde
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
when where which who whom will with would you your hey hi hello describe give quick quickly briefly question
want wanted wondering curious actually exactly kind sort thing stuff other others another often usually
over such same very anything something someone anyone every each both either neither only own
get gets got make makes made go goes went does done here there where while because since though although
refer refers referred happen happens happened tend tends wonder wondering heard think thought read
practice list lists listed mention mentions mentioned ordinary regular normal plain simple pls plz thx
wut wat whats ya u ur
involve involves involved involving entail entails entailed
toward towards onto upon among amongst across per
itself themselves himself herself yourself yourselves ourselves oneself myself
instead rather supposed keep keeps keeping kept
`;

/**
 * Chat around the question: greetings, slang, apologies, the occasion ("mam jutro kolosa"), and
 * words addressing the bot. People on Discord wrap clear questions in them; they never change
 * what is asked, in any knowledge base.
 */
const CHAT = `
hola siema siemka siemano elo elko yo hejo hejka hejcia witajcie ziomki ziomek ziomal ziomale mordo byku bracie
ogarnia ogarniam ogarniasz ogarniacie ogarnac ogarnie ogarnal kumam kuma kumasz czaje czaisz czai
nwm nie wiem wgl wgle xd xdd xddd lol lmao omg btw imo tbh serio kurde kurcze jejku ej hmm hm yyy eee
bocie botku bot bota botem sorki sorka sory sorry sry przepraszam dzieki dziekuje thx thanks thank ty
pls plz plis pliska prosze ok okej oki okey dobra spoko halo hello hey hi sup bro dude guys folks mate
kolos kolosa kolosie kolokwium kartkowka kartkowke kartkowki egzamin egzaminu egzaminie sprawdzian
sprawdzianu zaliczenie zaliczenia jutro pani pan nauczyciel nauczycielka wykladowca profesor szybko szybkie
pytanko pytankiem pytaniem glupie glupia dumb stupid silly quick quickly honestly basically literally
um uh uhm kinda sorta gonna wanna lemme confused lost noob newbie cz
`;

/**
 * Verbs that ask for an answer rather than name a topic ("wyjaśnij", "list", "podaj"); what kind of
 * answer they ask for is read from them before they are dropped.
 */
const REQUESTS = `
wyjasnij wyjasnisz wyjasnic wytlumacz wytlumaczysz wytlumaczyc objasnij powiedz powiesz powiedziec
opowiedz opisz opisac napisz przybliz przyblizysz wymien wymienisz wymienic wypisz wypiszesz podaj podasz
podac daj dasz pokaz pokazesz stresc streszcz streszczenie podsumuj podsumowanie zdefiniuj
explain tell describe give given list name show summarize summarise summary define clarify elaborate
`;

/** Hedges and intensifiers: they change the tone of a question, not its topic. */
const HEDGES = `
dokladnie konkretnie mniej wiecej generalnie zasadniczo najprosciej prosto prostymi slowami ogolnie
faktycznie realnie rzeczywiscie niby podobno chyba raczej bardziej najbardziej glownie przewaznie przede
constantly always mainly mostly largely
simply simple roughly generally actually really exactly precisely zupelnie completely totally utterly
`;

/**
 * Phrases about the text or the form of the answer: "according to the article", "w jednym zdaniu",
 * "autor pisze". Removed from the folded text before it is split into words. The nouns on their own
 * ("autor", "artykuł") stay: "who is the author" asks something the article may not say.
 */
export const STYLE_PHRASES: readonly RegExp[] = [
  /\b(?:wedlug|wg|zdaniem|w opinii) (?:tego |tej )?(?:autora|autorki|tekstu|artykulu|wpisu|materialu)\b/g,
  /\b(?:w|z|we|ze) (?:tym |tego |tej |calym )?(?:artykule|artykulu|tekscie|tekstu|wpisie|wpisu|materiale|fragmencie|tresci)\b/g,
  /\b(?:autor|autorka|tekst|artykul|wpis) (?:ten |tego )?(?:pisze|podaje|mowi|twierdzi|wspomina|stwierdza|uznaje|wymienia|opisuje|przytacza|uwaza|sugeruje|kaze|wskazuje|podkresla|definiuje|okresla|wyjasnia|tlumaczy|przedstawia|nazywa|uzasadnia|laczy|wiaze)\b/g,
  /\b(?:jak|co) (?:pisze|mowi|podaje) (?:autor|autorka|tekst|artykul)\b/g,
  /\b(?:autor|autorka|tekst|artykul)? ?(?:rozumie|rozumiec|rozumiemy) (?:sie )?(?:przez|pod)\b/g,
  /\b(?:per|by) the (?:author|article|text)\b/g,
  /\b(?:does|do|did) (?:the |this )?(?:author|article|text|writer) (?:define|describe|explain|justify|present|use|tie|link|connect)\b/g,
  /\b(?:z|ze) (?:artykulu|tekstu) wynika\b/g,
  // "Czy to prawda, że…", "is it correct that…": a fact check; what is checked is the topic.
  /\b(?:czy )?(?:to )?(?:prawda|prawdą|prawdziwe|slusznie|poprawne) ze\b/g,
  /\bis it (?:true|correct|right|accurate) that\b/g,
  /\b(?:does|do|did) (?:the |this )?(?:text|article|author) (?:really |actually |even )?(?:say|claim|state|mention|suggest) that\b/g,
  /\bw (?:jednym|dwoch|trzech|paru|kilku|1|2) (?:zdaniu|zdaniach|slowach|slowie)\b/g,
  /\b(?:jednym|dwoma|kilkoma|paroma) (?:zdaniem|zdaniami|slowem|slowami)\b/g,
  /\b(?:w skrocie|krotko mowiac|po ludzku|na chlopski rozum|w prostych slowach|prostymi slowami|w prosty sposob|tak najprosciej|najprosciej mowiac)\b/g,
  /\b(?:mam pytanie|szybkie pytanie|glupie pytanie|mam takie pytanie|mam problem|o co kaman|o co chodzi z|co jest grane z|ktos wie|czy ktos wie|kto wie|does anyone know|anyone know|jest mowa o|is there anything about)\b/g,
  /\b(?:in this context|in that context|in the context of|w tym kontekscie|w kontekscie|w tym miejscu|here|in general|generally speaking|w ogole|ogolnie mowiac)\b/g,
  /\b(?:pisze|podaje|mowi|wymienia|opisuje|podkresla|twierdzi|uwaza|wspomina) (?:autor|autorka|tekst|artykul)\b/g,
  /\baccording to (?:the |this )?(?:text|article|author|passage|piece|wiki|wikipedia|it)\b/g,
  /\b(?:in|from|of) (?:the|this) (?:text|article|passage|piece|post)\b/g,
  /\b(?:the |this )?(?:text|article|author|passage) (?:says|said|states|mentions|mentioned|claims|explains|describes|suggests|calls|lists|uses|gives|say|mention|state|claim)\b/g,
  /\bin (?:one|a|two|a single|1|2|simple|plain) (?:sentence|sentences|line|lines|word|words|terms|english)\b/g,
  /\b(?:in a nutshell|in short|tl dr|tldr|eli5|explain like i m 5|quick one|quick question|dumb question|sorry if this is a dumb question|sorry if dumb question)\b/g,
  // "this article", "ten tekst": the text itself, not a topic in it.
  /\b(?:ten|tego|tym|tej|ta|te|caly|calego|this|the|that) (?:tekst|tekstu|tekscie|artykul|artykulu|artykule|artykulem|wpis|wpisu|wpisie|text|article|post|passage|piece)\b/g,
];

/**
 * Stop words that decide whether a yes/no statement holds ("całą działalność" is not "część
 * działalności", "musi" is not "może", "poza siedzibą" is not "w siedzibie"), each with the concept
 * it stands for, so "muszą", "must" and "have to" compare as one. Kept when yes/no questions are
 * matched with statements.
 */
const POLARITY_CONCEPTS: Record<string, string> = {
  all: 'caly cala cale calej calego calym calosc wszystko wszystkie wszystkich wszystkim kazdy kazda kazde all whole entire entirely every everything',
  only: 'tylko wylacznie jedynie only solely just exclusively',
  always: 'zawsze always forever',
  must: 'musi musza musze musimy musisz trzeba must need needs have has required',
  can: 'mozna moze moga mozemy mozesz wolno da can could may possible',
  outside: 'poza zewnatrz outside away elsewhere offsite',
  part: 'czesc czesci czescia part partly some',
  same: 'samo same tozsame tozsamy tozsama identyczne identyczny identical equivalent rownoznaczne rownoznaczny synonim synonimem synonimy synonym synonyms',
};

export const POLARITY_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries(POLARITY_CONCEPTS).flatMap(([concept, words]) => words.split(' ').map((word) => [word, `~${concept}`] as const)),
);

/** Words that negate what follows them, in both languages (English contractions fold to "doesn t"). */
export const NEGATIONS: ReadonlySet<string> = new Set(
  'nie not never nigdy no isn aren doesn don didn wasn weren cant cannot shouldn wouldn hasn haven nor'.split(' '),
);

/**
 * Phrases that mean one word the knowledge base may use: "u siebie" is "wewnątrz" (in-house).
 * Rewritten in the folded text before it is split, on both the index and the question side.
 */
export const PHRASE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\b(?:u siebie|w srodku|we wlasnym zakresie|in house|within the company)\b/g, 'wewnatrz'],
  [/\bda sie\b/g, 'mozna'],
  // "główna siedziba" is the headquarters, not the most important thing.
  [/\bglown\w* (siedzib\w*)\b/g, '$1'],
  [/\b(?:main office|head office|head quarters)\b/g, 'headquarters'],
  [/\b(?:know how|knowhow)\b/g, 'wiedza'],
  // "zlecać na zewnątrz" is "zlecać": the direction adds nothing to the verb.
  [/\b((?:zlec|odda|odaj|przekaz|powierz|outsourc)\w*(?: \w+){0,3}?) na zewnatrz\b/g, '$1'],
  [/\b(?:a big deal|big deal|wielka sprawa|duza sprawa|wazna sprawa)\b/g, 'wazne'],
  [/\b(?:przede wszystkim|above all|first and foremost|first of all)\b/g, ' '],
  [/\b(?:third|outside|external) part(?:y|ies)\b/g, 'zewnetrzna firma'],
  [/\b(?:number one|no 1|nr 1|numer jeden)\b/g, 'najwazniejsze'],
  [/\b(?:when it comes to|as far as|jesli chodzi o|co do)\b/g, ' '],
  // "Tym samym co" is "the same as"; "na samym początku" is only "at the very beginning".
  [/\btym samym\b/g, 'samo'],
  // "PR" as spoken: "piar", "pi ar".
  [/\b(?:pi ar|piar|pijar)\b/g, 'pr'],
  // "Czy dobrze rozumiem", "am I right": asking to be corrected, not part of what is asked.
  [/\b(?:(?:nwm|nie wiem) )?(?:czy )?dobrze (?:rozumiem|mysle|kminie|kumam|ogarniam|zrozumialem|zrozumialam)\b/g, ' '],
  [/\b(?:ktos potwierdzi|mozesz potwierdzic|am i right|do i understand (?:it |this |that )?(?:right|correctly)|did i get (?:it|this|that) right)\b/g, ' '],
  [/\b(?:care|cares|cared) (?:the )?(?:most )?about\b/g, 'najwazniejsze'],
  [/\b(?:brings?|bringing|offers?) to the table\b/g, 'advantages'],
  [/\b(?:gra\w* pierwsze skrzypce|plays? first fiddle|matters? (?:the )?most|counts? (?:the )?most)\b/g, 'najwazniejsze'],
  [/\b(?:hand in hand|go together|ida w parze|w parze)\b/g, 'powiazane'],
  [/\b(?:w dzisiejszych czasach|w obecnych czasach|these days|this day and age)\b/g, 'dzis'],
  [/\b(?:somewhere else|somewhere other than|other than at|gdzie indziej|w innym miejscu|w miejscu innym niz)\b/g, 'elsewhere'],
  [/\b(?:have|has) to\b/g, 'must'],
  // Contractions typed without the apostrophe ("doesnt", "isnt") read as with it ("doesn t").
  [/\b(is|are|was|were|does|do|did|has|have|had|should|would|could|must|need)nt\b/g, '$1n t'],
  [/\bwont\b/g, 'won t'],
];

export const STOP_WORDS: ReadonlySet<string> = new Set(`${POLISH} ${ENGLISH} ${CHAT} ${REQUESTS} ${HEDGES}`.split(/\s+/).filter(Boolean));
