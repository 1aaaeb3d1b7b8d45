import { words as foldedWords } from '../search/normalize.ts';

export type SmallTalk = 'greeting' | 'help';

const GREETINGS = new Set('hej hejka hejo hey hi hello helo siema siemka czesc witam witaj dzien dobry dobry wieczor elo yo hola morning evening good ok okej dzieki dziekuje thanks thank you'.split(' '));
const HELP = new Set('help pomoc pomocy pomoz pomozesz umiesz potrafisz wiesz komendy commands start menu tematy topics can do what you co'.split(' '));
const HELP_TRIGGERS = new Set(['help', 'pomoc', 'pomocy', 'pomoz', 'pomozesz', 'umiesz', 'potrafisz', 'komendy', 'commands', 'tematy', 'topics', 'menu', 'start']);

const HELP_PHRASES = new Set(['what can you do', 'what do you know', 'co umiesz', 'co potrafisz', 'co wiesz', 'jak dzialasz', 'how does this work']);

/** "How are you (doing today)?", "jak się masz?", "co słychać?": a greeting, whatever words it shares with a topic. */
const HOW_ARE_YOU = /^(?:how are (?:you|u|ya)(?: doing| going)?|how s it going|how is it going|how do you do|what s up|whats up|wassup|jak sie (?:masz|macie|czujesz)|jak leci|co slychac|co tam|co u ciebie|jak tam)(?: (?:today|dzis|dzisiaj|tam|bot|bocie|mate|bro))*$/;
/** Greetings and addresses that may come before it ("hey bot, …"). */
const ADDRESSES = new Set([...GREETINGS, 'bot', 'bocie', 'botku', 'bro', 'mate', 'there', 'all', 'everyone', 'wszystkim']);

/**
 * Greetings and requests for help, recognised only when the message is nothing else: "hej, co to BPO?"
 * is a question, "hej" or "co umiesz?" is not.
 */
export function detectSmallTalk(text: string): SmallTalk | undefined {
  return smallTalkOfWords(foldedWords(typeof text === 'string' ? text : ''));
}

/** The same from already folded words. */
export function smallTalkOfWords(tokens: readonly string[]): SmallTalk | undefined {
  if (HELP_PHRASES.has(tokens.join(' '))) return 'help';
  const start = tokens.findIndex((token) => !ADDRESSES.has(token));
  if (start >= 0 && HOW_ARE_YOU.test(tokens.slice(start).join(' '))) return 'greeting';
  if (tokens.length === 0 || tokens.length > 6) return undefined;
  if (tokens.some((token) => HELP_TRIGGERS.has(token)) && tokens.every((token) => HELP.has(token) || GREETINGS.has(token))) return 'help';
  if (tokens.every((token) => GREETINGS.has(token))) return 'greeting';
  return undefined;
}
