import { describe, expect, it } from 'vitest';
import type { AmountCandidate } from './totals.js';
import { type DerivedTotal, arithmeticTotal, derivedTotals, digitsContain, totalAlternatives } from './total-check.js';

const cand = (value: number, raw = String(value), role: AmountCandidate['role'] = 'total', strength = 0.8): AmountCandidate => ({
  role, strength, value, label: strength > 0 ? 'TOTAL' : '', rowIndex: 0, ocr: 0.9, inSummary: false, below: false,
  money: { value, currency: null, currencyCertainty: 0, raw, start: 0, end: raw.length, decimals: 2, negative: false },
});
const d = (value: number, source: DerivedTotal['source']): DerivedTotal => ({ value, source });

describe('digitsContain', () => {
  it.each([
    ['5417', 5.47, true], // a comma read as 1
    ['54,17', 5.47, true],
    ['5.47', 5.47, false], // the same digits are no misreading
    ['1296', 12.96, false],
    ['10067', 10.67, true],
    ['8,47', 5.47, false],
  ])('%s holds %d: %s', (raw, value, want) => {
    expect(digitsContain(raw, value)).toBe(want);
  });
});

describe('derivedTotals', () => {
  it('derives from payment, subtotal + tax, items (less discount) and rounding', () => {
    const out = derivedTotals({
      paid: cand(20, '20.00', 'paid'), change: cand(5.99, '5.99', 'change'), subtotal: cand(12, '12.00', 'subtotal'), tax: cand(2.01, '2.01', 'tax'),
      rounding: cand(-0.01, '-0.01', 'rounding'), discount: null, labelledTotals: [cand(14.02)], itemsSum: 14.01,
    });
    expect(out).toEqual([d(14.01, 'payment'), d(14, 'tax'), d(14.01, 'items'), d(14.01, 'rounding')]);
  });
});

describe('arithmeticTotal', () => {
  it.each<[string, AmountCandidate | null, DerivedTotal[], number | null]>([
    ['the chosen total agrees with one sum: kept', cand(14.01), [d(14.01, 'payment'), d(99, 'items')], null],
    ['cash rounding counts as agreement', cand(17.22), [d(17.2, 'payment')], null],
    ['two sums agree on another value: it wins', cand(5417, '5417'), [d(5.47, 'payment'), d(5.47, 'items')], 5.47],
    ['payment alone, and the printed digits misread it', cand(5417, '5417'), [d(5.47, 'payment')], 5.47],
    ['payment alone, unrelated digits: no repair', cand(100), [d(61.61, 'payment')], null],
    ['items alone never overrule', cand(100), [d(61.61, 'items')], null],
    ['nothing derived', cand(100), [], null],
  ])('%s', (_name, chosen, derived, want) => {
    expect(arithmeticTotal(chosen, derived)?.value ?? null).toBe(want);
  });
});

describe('totalAlternatives', () => {
  it('lists the replaced total first, then other labelled values once each', () => {
    const chosen = cand(5.47, '5,47');
    const out = totalAlternatives(chosen, [cand(5417, '5417'), cand(5.47), cand(9.99, '9,99'), cand(9.99, '9,99'), cand(3, '3', 'total', 0)], cand(5417, '5417'));
    expect(out).toEqual([{ value: 5417, raw: 'TOTAL 5417', reason: 'arithmetic' }, { value: 9.99, raw: 'TOTAL 9,99', reason: 'ranked' }]);
  });
});
