import { describe, expect, it } from 'vitest';
import { decimalStyle, findAmounts, moneyLikelihood, parseAmount } from './money.js';

describe('parseAmount', () => {
  it.each([
    ['450', 450],
    ['450.00', 450],
    ['1,250.00', 1250],
    ['1.250,00', 1250],
    ['1,25,000', 125000],
    ['1,25,000.50', 125000.5],
    ['12,34,56,789', 123456789],
    ['1,250', 1250],
    ['12,50', 12.5],
    ['0,75', 0.75],
    ['.50', 0.5],
    ['1\'250.00', 1250],
    ['450/-', 450],
    ['450.-', 450],
    ['450=', 450],
    ['450/=', 450],
    ['৪৫০', 450],
    ['১,২৫০.০০', 1250],
    ['১২৫.৫০', 125.5],
    ['४५०.००', 450],
    ['٤٥٠', 450],
    ['1,000,000.00', 1000000],
    ['1.000.000', 1000000],
    ['80.91', 80.91],
    ['0.00', 0],
    ['3.5', 3.5],
  ])('%s → %d', (raw, want) => {
    expect(parseAmount(raw)).toBe(want);
  });

  it.each([
    ['1.250', '.', 1.25],
    ['1.250', ',', 1250],
    ['1,250', ',', 1.25],
    ['12,50', ',', 12.5],
    ['2.200', '.', 2.2],
  ] as const)('%s with decimal mark %s → %d', (raw, mark, want) => {
    expect(parseAmount(raw, mark)).toBe(want);
  });

  it.each([
    ['', null],
    ['abc', null],
    ['1,2,3', null],
    ['12,3456', null],
    ['1..5', null],
    ['1.', null],
    ['1234567890123', null],
    ['1,2345,678', null],
    ['1.250,00.5', null],
  ])('rejects %j', (raw, want) => {
    expect(parseAmount(raw)).toBe(want);
  });
});

describe('findAmounts', () => {
  const one = (s: string, opts = {}) => findAmounts(s, opts).map((m) => [m.value, m.currency]);

  it.each([
    ['Tk 450', [[450, 'BDT']]],
    ['Tk. 1,250.00', [[1250, 'BDT']]],
    ['TK 99', [[99, 'BDT']]],
    ['৳ ১২৫.৫০', [[125.5, 'BDT']]],
    ['৳১২০', [[120, 'BDT']]],
    ['৪৫০ টাকা', [[450, 'BDT']]],
    ['মূল্য: ৮৫ টাকা মাত্র', [[85, 'BDT']]],
    ['BDT 2,500', [[2500, 'BDT']]],
    ['450 BDT', [[450, 'BDT']]],
    ['Rs. 1,939', [[1939, 'INR']]],
    ['Rs 1939 x 1 Night', [[1939, 'INR']]],
    ['₹ 2,45,000.00', [[245000, 'INR']]],
    ['$ 42.00', [[42, 'USD']]],
    ['US$ 19.99', [[19.99, 'USD']]],
    ['USD 5', [[5, 'USD']]],
    ['€ 399,00', [[399, 'EUR']]],
    ['56,02 €', [[56.02, 'EUR']]],
    ['£3.50', [[3.5, 'GBP']]],
    ['RM39.00', [[39, 'MYR']]],
    ['RM 5.83', [[5.83, 'MYR']]],
    ['TOTAL: 26.82', [[26.82, null]]],
    ['ROUNDING ADJUSTMENT: -0.02', [[-0.02, null]]],
    ['DISCOUNT (5.00)', [[-5, null]]],
    ['CASH : 100.00', [[100, null]]],
    ['Tk 450/-', [[450, 'BDT']]],
    ['S$ 12.90', [[12.9, 'SGD']]],
  ])('%s', (text, want) => {
    expect(one(text)).toEqual(want);
  });

  it.each([
    ['GST @ 6%', []],
    ['500 g', []],
    ['1.5kg', []],
    ['6 pcs', []],
    ['২ কেজি', []],
    ['DATE: 25/12/2018', []],
    ['23-01-2019', []],
    ['TIME 12:31', []],
    ['E8318', []],
    ['INV/2023/03/0008', []],
    ['GST ID: 000849813504', []],
    ['BAT02201803120255', []],
    ['FARM 12', [[12, null]]],
  ])('does not read %s as money', (text, want) => {
    expect(one(text)).toEqual(want);
  });

  it.each([
    ['TOTAL RM 64. 15', [[64.15, 'MYR']], 'RM 64. 15'],
    ['Total Sales RM 64 13', [[64.13, 'MYR']], 'RM 64 13'],
    ['Total Amount: S8.20', [[8.2, 'USD']], 'S8.20'],
    ['NET 55. 00', [[55, null]], '55. 00'],
    ['Total Incl. GST <RM.34.80', [[34.8, 'MYR']], 'RM.34.80'],
    ['Tk.450.00', [[450, 'BDT']], 'Tk.450.00'],
  ])('repairs the OCR slip in %j', (text, want, raw) => {
    expect(one(text)).toEqual(want);
    expect(findAmounts(text)[0].raw).toBe(raw);
  });

  it('skips spans given in exclude', () => {
    expect(one('19 MAR 2018 18.20', { exclude: [[0, 11]] })).toEqual([[18.2, null]]);
  });

  it('keeps an amount followed by a one-letter tax code', () => {
    expect(one('80.91 G')).toEqual([[80.91, null]]);
  });

  it('reports raw text and decimals', () => {
    const [m] = findAmounts('TOTAL RM 64.15');
    expect(m.raw).toBe('RM 64.15');
    expect(m.decimals).toBe(2);
    expect(m.currencyCertainty).toBe(1);
  });
});

describe('decimalStyle', () => {
  it.each([
    ['Total 12,50 €\nTVA 2,10 €', ','],
    ['TOTAL 12.50\nGST 0.71', '.'],
    ['€ 1.250,00', ','],
    ['1,250.00', '.'],
    ['no numbers', '.'],
  ])('%j → %s', (text, want) => {
    expect(decimalStyle(text)).toBe(want);
  });
});

describe('moneyLikelihood', () => {
  it('ranks a currency amount with cents above a bare integer', () => {
    const [a] = findAmounts('RM 12.50');
    const [b] = findAmounts('12');
    expect(moneyLikelihood(a)).toBeGreaterThan(moneyLikelihood(b));
    expect(moneyLikelihood(b)).toBeLessThan(0.6);
  });
});
