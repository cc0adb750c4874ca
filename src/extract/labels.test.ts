import { describe, expect, it } from 'vitest';
import { findLabels } from './labels.js';

describe('findLabels', () => {
  const roles = (s: string) => findLabels(s).map((h) => `${h.role}${h.strength < 1 ? `@${h.strength}` : ''}`);

  it.each([
    ['GRAND TOTAL : 20.00', ['total']],
    ['TOTAL : 15.00', ['total@0.8']],
    ['SUB TOTAL : 20.00', ['subtotal']],
    ['SUB-TOTAL (EX) 26.00', ['subtotal']],
    ['TOTAL SALES (EXCLUDING GST) : 80.91', ['subtotal']],
    ['TOTAL SALES (INCLUSIVE OF GST) : 80.90', ['total@0.85']],
    ['TOTAL INCL. GST@6% RM 71.90', ['total@0.85']],
    ['TOTAL QTY: 8', ['count']],
    ['TOTAL QTY TENDER : 2', ['count']],
    ['ITEM(S) : 5 QTY(S) : 13', ['count', 'count']],
    ['TOTAL GST : 0.00', ['tax']],
    ['GST @6%: $0.46', ['tax']],
    ['GST @6% INCLUDED IN TOTAL RM 1.58', ['tax']],
    ['GST ID: 000849813504', []],
    ['TAX INVOICE', []],
    ['ROUNDING ADJUSTMENT : 0.00', ['rounding']],
    ['TOTAL AMT ROUNDED 104.00', ['total']],
    ['CASH : 100.00', ['paid']],
    ['CASH RECEIVED: 50.00', ['paid']],
    ['CHANGE : 19.10', ['change']],
    ['CHANGE DUE : 0.00', ['change']],
    ['AMOUNT TO BE PAID: 26.80', ['total']],
    ['BALANCE DUE : 16.30', ['total']],
    ['NETT TOTAL: $8.20', ['total']],
    ['TOTAL PAYABLE: 58.86', ['total']],
    ['TOTAL 0% SUPPLIES: 0.00', ['part']],
    ['TOTAL DISCOUNT RM 0.00', ['discount']],
    ['TOTAL SAVING 1.20', ['discount']],
    ['Total HT : 46,68 €', ['subtotal']],
    ['TVA 20% : 9,34 €', ['tax']],
    ['Total TTC : 56,02 €', ['total']],
    ['Factuur totaal EUR 49,99', ['total']],
    ['Subtotaal € 593,36', ['subtotal']],
    ['মোট: ৳ ৪৫০', ['total@0.8']],
    ['সর্বমোট ১২৫০ টাকা', ['total']],
    ['ভ্যাট ১৫%: ৬০', ['tax']],
    ['নগদ ৫০০', ['paid']],
    ['ফেরত ৫০', ['change']],
    ['ছাড় ২০', ['discount']],
    ['CGST 9% 45.00', ['tax']],
  ])('%s → %j', (text, want) => {
    expect(roles(text)).toEqual(want);
  });

  it('reports offsets of the label text', () => {
    const [h] = findLabels('ITEM 1 GRAND TOTAL 20.00').filter((x) => x.role === 'total');
    expect(h.text).toBe('GRAND TOTAL');
    expect(h.start).toBe(7);
  });
});
