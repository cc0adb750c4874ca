import { describe, expect, it } from 'vitest';
import { charset, normalizeLabel, scriptOf } from './text.js';

describe('normalizeLabel', () => {
  it.each([
    ['  TOTAL   31.00 ', 'TOTAL 31.00'],
    ['TAB\there', 'TAB here'],
    ['two\nlines\r\n', 'two lines'],
    ['zero\u200bwidth\ufeff', 'zero width'],
    ['Cafe\u0301', 'Café'],
    ['কী ক্ষ ৳ ১২০', 'কী ক্ষ ৳ ১২০'],
    ['র‍্যাব', 'র‍্যাব'],
    ['', ''],
  ])('%j → %j', (raw, want) => expect(normalizeLabel(raw)).toBe(want));
});

describe('scriptOf', () => {
  it.each([
    ['TOTAL RM 31.00', 'latin'],
    ['মোট টাকা', 'bengali'],
    ['৳ ১২০', 'bengali'],
    ['Rice চাল 5kg', 'mixed'],
    ['12.50 - 3 %', 'common'],
  ])('%j is %s', (text, want) => expect(scriptOf(text)).toBe(want));
});

describe('charset', () => {
  it('lists distinct code points sorted', () => {
    expect(charset(['BA', 'AC ', 'ক'])).toEqual([' ', 'A', 'B', 'C', 'ক']);
  });
});
