/**
 * Hostile text for property tests: the fragments that break bots (mentions, Markdown and
 * code-block injection, fuse.js operators, invisible and bidirectional characters, null bytes,
 * lone surrogates, emoji) mixed with fast-check's own strings, at every length up to well past
 * Discord's 2,000-character message limit.
 */
import fc from 'fast-check';

export const MENTIONS = ['@everyone', '@here', '<@1300000000000000009>', '<@!1300000000000000009>', '<@&1200000000000000007>', '<#1200000000000000002>'];

const FRAGMENTS = [
  ...MENTIONS,
  // Mentions split or disguised: they must not come back joined.
  '@', 'every', 'one', '<@', '>', '@\u200beveryone', '＠everyone', '@@everyone',
  // Markdown and code-block injection.
  '```', '```js\n', '`', '**', '__', '~~', '||', '> ', '>>> ', '# ', '-# ', '[x](https://example.com)', '\\', '*', '_', '\n',
  // fuse.js extended-search operators (kept off, but they must mean nothing either way).
  "'", '!', '^', '=', '|', '$', "'bpo", '!outsourcing', '^back', 'office$', '=BPO', 'back | front',
  // Invisible, bidirectional and control characters.
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad', '\0', '\u0007', '\r', '\t', '\u2028',
  // Lone surrogates (not valid UTF-16 on their own).
  '\ud800', '\udbff', '\udc00', '\udfff',
  // Emoji, flags, ZWJ sequences, combining marks.
  '😀', '👨‍👩‍👧‍👦', '🇵🇱', '🏳️‍🌈', 'é', 'e\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  // Other scripts and right-to-left text.
  'عربي', 'עברית', '中文', 'ąęłńóśźż', 'ŁÓDŹ', 'ß', 'İ',
  // Things that mean something to the bot or to JavaScript.
  'BPO', 'co to jest', 'what is', 'back office', 'bpo-definition', 'topic:back-office:pl', '__proto__', 'constructor', 'toString', '${x}', '%s', 'null',
  ' ', '   ', '.', '?', '…',
];

export const fragment = fc.constantFrom(...FRAGMENTS);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** One piece: a known-bad fragment, or random text of any kind of character. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fragment },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 1, arbitrary: loneSurrogate },
);

/** Short hostile text (up to a few hundred characters): what a user may really type. */
export const nastyText = fc.array(piece, { maxLength: 25 }).map((pieces) => pieces.join(''));

/**
 * A long one: hostile text repeated to around the 300-character question limit, or past Discord's
 * 2,000-character message limit like a pasted wall of text.
 */
const longLength = fc.oneof(fc.integer({ min: 295, max: 305 }), fc.integer({ min: 306, max: 1999 }), fc.integer({ min: 2000, max: 4500 }));
const longText = fc.tuple(nastyText, longLength).map(([text, length]) => {
  const unit = text === '' ? '@everyone ' : text;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
});

/** Any of the above, including the empty string and whitespace only. */
export const nastyString = fc.oneof(
  { weight: 6, arbitrary: nastyText },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t ', '\u200b\u200b', '\0', '😀😀😀', '```', '@everyone', '<@&1200000000000000007>') },
);

/** Discord's mention syntax, which must never reach a message unescaped. */
export const RAW_MENTION = /@everyone|@here|<@[!&]?\d+>/;
