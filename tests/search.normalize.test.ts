import { describe, expect, it } from 'vitest';
import { contentKeys, foldText, isStopWordTypo, termKey, words } from '../src/search/normalize.ts';

describe('foldText', () => {
  it('folds case and every Polish diacritic, including ł which NFD does not decompose', () => {
    expect(foldText('ZAŻÓŁĆ GĘŚLĄ JAŹŃ')).toBe('zazolc gesla jazn');
  });
  it('removes zero-width and bidi characters and turns punctuation and odd spaces into single spaces', () => {
    expect(foldText('b\u200Bp\u200Do\uFEFF\u202E?!  back-office\u00A0\u2003front_office')).toBe('bpo back office front office');
  });
});

describe('termKey', () => {
  it('gives inflected Polish forms one key', () => {
    expect(new Set(['koszt', 'koszty', 'kosztów', 'kosztami'].map((w) => termKey(foldText(w))))).toHaveProperty('size', 1);
    expect(new Set(['usługi', 'usług', 'usługami'].map((w) => termKey(foldText(w))))).toHaveProperty('size', 1);
    expect(termKey('outsourcingu')).toBe(termKey('outsourcing'));
  });
  it('gives phonetic spellings the key of the real spelling', () => {
    expect(contentKeys('bak ofis')).toEqual(contentKeys('back office'));
    expect(contentKeys('koka kola')).toEqual(contentKeys('Coca-Cola'));
  });
  it('keeps different words apart', () => {
    expect(termKey('bpo')).not.toBe(termKey('kpo'));
    expect(termKey('front')).not.toBe(termKey('back'));
  });
});

describe('stop words', () => {
  it('drops question words and filler, keeping the topic', () => {
    expect(contentKeys('Co to właściwie jest BPO?')).toEqual(['bpo']);
    expect(contentKeys('What does BPO stand for?')).toEqual(['bpo', termKey('stand')]);
  });
  it('recognises misspelled stop words but not real topic words', () => {
    expect(isStopWordTypo('jst')).toBe(true);
    expect(isStopWordTypo('waht')).toBe(true);
    expect(isStopWordTypo('koszty')).toBe(false);
    expect(isStopWordTypo('kubernetes')).toBe(false);
  });
});

describe('words', () => {
  it('keeps an acronym written in capitals that would fold into a stop word, unless the whole message is shouted', () => {
    expect(words('Dział IT i serwery')).toContain('informatyka');
    expect(words('what is it')).not.toContain('informatyka');
    expect(words('WHAT IS IT ABOUT')).not.toContain('informatyka');
  });

  it('reads the words that name the text through one slip, so phrases about the text are found', () => {
    expect(words('front office acording to teh article')).toEqual(['front', 'office']);
    // Two slips are too many: "autora" is not "author".
    expect(words('the autora said', { keepStylePhrases: true })).toContain('autora');
  });
});
