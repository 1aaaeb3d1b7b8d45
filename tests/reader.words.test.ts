import { describe, expect, it } from 'vitest';
import { foldText, MAX_WORD_LENGTH, MAX_WORDS, messageWords } from '../src/reader/words.ts';

describe('foldText', () => {
  it('folds case and every Polish diacritic, including ł which NFD does not decompose', () => {
    expect(foldText('ZAŻÓŁĆ gęślą jaźń Łódź')).toBe('zazolc gesla jazn lodz');
  });
  it('removes zero-width and bidi characters and turns punctuation and odd spaces into single spaces', () => {
    expect(foldText('b\u200Bp\u200Do\u202E?!  back\u00A0office…')).toBe('bpo back office');
  });
});

describe('messageWords', () => {
  it('leaves out Discord markup and links, which name people and places, never the topic', () => {
    expect(messageWords('<@123456789012345678> <@!1> <#2> <@&3> <:kekw:81234> <a:dance:5> @everyone co to https://example.com/x?y=1 bpo')).toEqual(['co', 'to', 'bpo', '?']);
  });
  it('marks a question mark with a word of its own, since asking tells something', () => {
    expect(messageWords('co to bpo')).toEqual(['co', 'to', 'bpo']);
    expect(messageWords('co to bpo？')).toEqual(['co', 'to', 'bpo', '?']);
    // A comma before "nie"/"not" sets an alternative against the claim: kept as a marker word.
    expect(messageWords('usługi, nie produkcja?')).toEqual(['uslugi', ',', 'nie', 'produkcja', '?']);
    expect(messageWords('services,not factories')).toEqual(['services', ',', 'not', 'factories']);
    expect(messageWords('nienawidzę, notatki')).toEqual(['nienawidze', 'notatki']);
  });
  it('cuts words and messages to a size no question has', () => {
    const words = messageWords(`${'x'.repeat(500)} ${'słowo '.repeat(500)}`);
    expect(words.length).toBe(MAX_WORDS);
    expect(words[0]).toHaveLength(MAX_WORD_LENGTH);
  });
});
