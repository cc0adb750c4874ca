import { describe, expect, it } from 'vitest';
import { plausibleName, repairNameWords, vocabularyWord } from './name-words.js';

describe('vocabularyWord', () => {
  it.each([
    ['NART', 'MART'], ['COMFANY', 'COMPANY'], ['HARDNARE', 'HARDWARE'], ['HARDHARE', 'HARDWARE'], ['ENTERPRlSE', 'ENTERPRISE'],
    ['MART', null], ['PART', null], ['LIAN', null], ['HING', null], ['BHD', null], ['TRAD1NG', 'TRADING'], ['Gmbh', null],
  ])('%s → %s', (word, want) => {
    expect(vocabularyWord(word)).toBe(want);
  });
});

describe('repairNameWords', () => {
  it.each([
    ['99 SPEED NART S/B', '99 SPEED MART S/B'],
    ['Speed Nart', 'Speed Mart'],
    ['SIN THYE & COMFANY', 'SIN THYE & COMPANY'],
    ['LIAN HING STATIONERY', 'LIAN HING STATIONERY'],
    ['Frischmarkt Lehmann GmbH', 'Frischmarkt Lehmann GmbH'],
  ])('%s → %s', (name, want) => {
    expect(repairNameWords(name)).toBe(want);
  });
});

describe('plausibleName', () => {
  it.each([
    ['XXX', false], ['*** ***', false], ['ABAB', false], ['-----', false], ['AA', false],
    ['99 SPEED MART S/B', true], ['S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.', true], ['রহিম স্টোর', true], ['Frischmarkt Lehmann GmbH', true],
  ])('%j → %s', (name, want) => {
    expect(plausibleName(name)).toBe(want);
  });
});
