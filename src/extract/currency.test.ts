import { describe, expect, it } from 'vitest';
import { currencyOf, detectCurrency } from './currency.js';
import { hasBengali, keywordText, normalizeText } from './digits.js';

describe('currencyOf', () => {
  it.each([
    ['৳', 'BDT'], ['Tk', 'BDT'], ['Tk.', 'BDT'], ['TK', 'BDT'], ['tk', 'BDT'], ['BDT', 'BDT'], ['টাকা', 'BDT'],
    ['Rs', 'INR'], ['Rs.', 'INR'], ['₹', 'INR'], ['$', 'USD'], ['USD', 'USD'], ['usd', 'USD'], ['€', 'EUR'],
    ['EUR', 'EUR'], ['£', 'GBP'], ['RM', 'MYR'], ['S$', 'SGD'], ['¥', 'JPY'], ['฿', 'THB'],
  ])('%s → %s', (token, code) => {
    expect(currencyOf(token)?.code).toBe(code);
  });

  it.each([['rm'], ['rs'], ['XYZ'], ['']])('%j is no currency', (token) => {
    expect(currencyOf(token)).toBeNull();
  });
});

describe('detectCurrency', () => {
  it.each([
    ['TOTAL RM 12.00\nCASH RM 20.00', 'MYR'],
    ['মোট: ৳ ৪৫০\nনগদ ৫০০ টাকা', 'BDT'],
    ['Total TTC : 56,02 €', 'EUR'],
    ['AMOUNT($) 8.20\nUSD', 'USD'],
    ['Grand Total Rs 1939', 'INR'],
  ])('%j → %s', (text, code) => {
    expect(detectCurrency(text)?.value).toBe(code);
  });

  it('returns null without a currency and does not read words as codes', () => {
    expect(detectCurrency('TOTAL 12.00\nFARM FRESH')).toBeNull();
  });
});

describe('digits', () => {
  it('normalises dashes, spaces and keeps length', () => {
    const s = 'Tk\u00a0450\u2013500 × 2';
    expect(normalizeText(s)).toBe('Tk 450-500 x 2');
    expect(normalizeText(s).length).toBe(s.length);
  });

  it.each([
    ['INV0ICE No 42', 'INVOICE No 42'],
    ['T0TAL 10.00', 'TOTAL 10.00'],
    ['CASH1ER: 07', 'CASHIER: 07'],
    ['E8318 10.50', 'E8318 10.50'],
  ])('keywordText(%j) → %j', (s, want) => {
    expect(keywordText(s)).toBe(want);
  });

  it('tells Bengali text from Bengali digits', () => {
    expect(hasBengali('মোট ৪৫০')).toBe(true);
    expect(hasBengali('৪৫০')).toBe(false);
  });
});
