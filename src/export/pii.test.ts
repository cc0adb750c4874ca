import { describe, expect, it } from 'vitest';
import { detectPii, luhnValid } from './pii.js';

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['5500005555555559', true],
    ['378282246310005', true],
    ['4111111111111112', false],
    ['12a4', false],
  ])('%s → %s', (digits, want) => expect(luhnValid(digits)).toBe(want));
});

describe('detectPii', () => {
  it.each([
    ['E-mail: rahim.uddin@example.com', ['email']],
    ['যোগাযোগ: shop@zakpos.com.bd', ['email']],
    ['CARD 4111 1111 1111 1111', ['card']],
    ['VISA 5500-0055-5555-5559 APPROVED', ['card']],
    ['AMEX 3782 822463 10005', ['card']],
    ['Mobile: 01712-345678', ['phone']],
    ['০১৭১২৩৪৫৬৭৮', ['phone']],
    ['+880 1712 345678', ['phone']],
    ['8801712345678', ['phone']],
    ['TEL: 03- 55423228', ['phone']],
    ['Tel 03-5542 3228', ['phone']],
    ['(02) 9876543', ['phone']],
    ['Call +60 12-345 6789 now', ['phone']],
    ['ফোন: ০১৮১৯-১২৩৪৫৬', ['phone']],
  ])('%j → %j', (text, kinds) => expect(detectPii(text)).toEqual(kinds));

  it.each([
    'TOTAL 31.00',
    'Basmati Rice 5kg Tk 450.00',
    'DATE: 25/12/2018 10:32',
    '23-01-2019',
    'GST ID : 000781500416',
    'INVOICE No INV-2026-0042',
    'EAN 8941100500017',
    '4111 1111 1111 1112',
    '12 x 4.50 = 54.00',
    'মোট ৳ ১২৫০.৫০',
    'NO 122.124 JALAN DEDAP 13',
    'ROC NO: 538358-H',
    'INVOICE : 000-074020',
    '3068320113784',
    'SR-9556404118038',
    '4006381333931',
  ])('no personal data in %j', (text) => expect(detectPii(text)).toEqual([]));
});
