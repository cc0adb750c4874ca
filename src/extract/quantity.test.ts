import { describe, expect, it } from 'vitest';
import { findQuantities, fuzzyUnit, parseQuantity, unitOf } from './quantity.js';

describe('parseQuantity', () => {
  const q = (s: string) => {
    const m = parseQuantity(s);
    return m ? [m.value, m.unit, m.count ?? null] : null;
  };

  it.each([
    ['500 g', [500, 'g', null]],
    ['500g', [500, 'g', null]],
    ['500G', [500, 'g', null]],
    ['500 gm', [500, 'g', null]],
    ['250 gms', [250, 'g', null]],
    ['1 kg', [1, 'kg', null]],
    ['1.5kg', [1.5, 'kg', null]],
    ['2 KG', [2, 'kg', null]],
    ['5 Kgs', [5, 'kg', null]],
    ['2,5 kg', [2.5, 'kg', null]],
    ['1 L', [1, 'l', null]],
    ['1L', [1, 'l', null]],
    ['2 ltr', [2, 'l', null]],
    ['1.5 Litre', [1.5, 'l', null]],
    ['500 ml', [500, 'ml', null]],
    ['330ML', [330, 'ml', null]],
    ['250 mL', [250, 'ml', null]],
    ['100 mg', [100, 'mg', null]],
    ['6 pcs', [6, 'pcs', null]],
    ['12 PCS', [12, 'pcs', null]],
    ['1 pc', [1, 'pcs', null]],
    ['10 pieces', [10, 'pcs', null]],
    ['2 pack', [2, 'pack', null]],
    ['3 pkt', [3, 'pack', null]],
    ['1 dozen', [1, 'dozen', null]],
    ['2 doz', [2, 'dozen', null]],
    ['6 x 500 ml', [500, 'ml', 6]],
    ['6x500ml', [500, 'ml', 6]],
    ['24 X 250ML', [250, 'ml', 24]],
    ['4 × 1 L', [1, 'l', 4]],
    ['12 oz', [12, 'oz', null]],
    ['1 lb', [1, 'lb', null]],
    ['৫০০ গ্রাম', [500, 'g', null]],
    ['১ কেজি', [1, 'kg', null]],
    ['২.৫ কেজি', [2.5, 'kg', null]],
    ['২ লিটার', [2, 'l', null]],
    ['৫০০ মিলি', [500, 'ml', null]],
    ['১২ পিস', [12, 'pcs', null]],
    ['১ ডজন', [1, 'dozen', null]],
    ['২ হালি', [8, 'pcs', null]],
    ['৫ কে.জি.', [5, 'kg', null]],
    ['Net Wt. 400g', [400, 'g', null]],
    ['NET VOL 1L', [1, 'l', null]],
    ['নিট ওজন: ৫০০ গ্রাম', [500, 'g', null]],
    ['pack of 6', [6, 'pcs', null]],
    ['6-pack', [6, 'pcs', null]],
  ])('%s', (text, want) => {
    expect(q(text)).toEqual(want);
  });

  it.each([
    ['Tk 450'],
    ['GST 6%'],
    ['ROUNDING -0.01'],
    ['MRP 120'],
    ['kg'],
    ['Gallery'],
    ['5 long'],
    ['E8318'],
  ])('%s has no quantity', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });

  it('marks net-content labels and totals multipacks', () => {
    const [m] = findQuantities('Net Wt: 6 x 500 ml');
    expect(m.labelled).toBe(true);
    expect(m.total).toBe(3000);
    expect(m.raw).toBe('6 x 500 ml');
    expect(findQuantities('Rice 5 kg')[0].labelled).toBe(false);
  });

  it('finds several quantities in order', () => {
    expect(findQuantities('1 kg Rice, 500 g Sugar').map((m) => `${m.value}${m.unit}`)).toEqual(['1kg', '500g']);
  });
});

describe('fuzzyUnit', () => {
  it.each([
    ['pc', 'pcs'], ['po', 'pcs'], ['0z', 'oz'], ['1b', 'lb'], ['rnl', 'ml'], ['kq', 'kg'], ['xyz', null],
  ])('%s → %s', (word, want) => {
    expect(fuzzyUnit(word)?.unit ?? null).toBe(want);
  });
});

describe('unitOf', () => {
  it.each([
    ['KG', 'kg'],
    ['Ltr', 'l'],
    ['পিস', 'pcs'],
    ['xyz', null],
  ])('%s → %s', (spelling, want) => {
    expect(unitOf(spelling)?.unit ?? null).toBe(want);
  });
});
