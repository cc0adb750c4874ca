import { describe, expect, it } from 'vitest';
import { toAsciiDigits } from './digits.js';

describe('toAsciiDigits', () => {
  it.each([
    ['৳ ১২৫.৫০', '৳ 125.50'],
    ['০১২৩৪৫৬৭৮৯', '0123456789'],
    ['০১২৩৪৫৬৭৮৯ Tk', '0123456789 Tk'],
    ['৳১২৩', '৳123'],
    ['४५०', '450'],
    ['०१२', '012'],
    ['١٢٣', '123'],
    ['٣٤', '34'],
    ['１２３', '123'],
    ['abc', 'abc'],
    ['abc 123', 'abc 123'],
  ])('%j → %j, length kept', (s, want) => {
    expect(toAsciiDigits(s)).toBe(want);
    expect(toAsciiDigits(s).length).toBe(s.length);
  });
});
