import { describe, expect, it } from 'vitest';
import { toAsciiDigits } from './digits.js';

describe('toAsciiDigits', () => {
  it.each([
    ['৳ ১২৫.৫০', '৳ 125.50'],
    ['০১২৩৪৫৬৭৮৯', '0123456789'],
    ['४५०', '450'],
    ['١٢٣', '123'],
    ['１２３', '123'],
    ['abc', 'abc'],
  ])('%j → %j', (s, want) => {
    expect(toAsciiDigits(s)).toBe(want);
  });

  it.each([
    ['৳ ১২৫০', '৳ 1250'],
    ['०१२', '012'],
    ['٣٤', '34'],
    ['１２', '12'],
    ['abc 123', 'abc 123'],
    ['০১২৩৪৫৬৭৮৯ Tk', '0123456789 Tk'],
    ['৳১২৩', '৳123'],
  ])('%j → %j, length kept', (s, out) => {
    expect(toAsciiDigits(s)).toBe(out);
    expect(toAsciiDigits(s).length).toBe(s.length);
  });
});
