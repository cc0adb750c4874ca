import { describe, expect, it } from 'vitest';
import { GS, gs1Date, gs1Decimal, parseGs1, parseGs1Bracketed, parseGs1DigitalLink, parseGs1Raw } from './gs1.js';

describe('parseGs1Raw', () => {
  it.each([
    ['0109501101530003' + '17261231' + '10AB-123', { '01': '09501101530003', '17': '261231', '10': 'AB-123' }],
    [`10ABC${GS}3103001250`, { '10': 'ABC', '3103': '001250' }],
    [`${GS}0109501101530003${GS}21XYZ${GS}`, { '01': '09501101530003', '21': 'XYZ' }],
    ['0109501101530003' + '3922' + '45000', { '01': '09501101530003', '3922': '45000' }],
    [']C10109501101530003', { '01': '09501101530003' }],
    ['00106141411234567893' + '4211234', { '00': '106141411234567893', '421': '1234' }],
    ['8101054321120021123456', {}],
  ])('%j', (text, ais) => {
    const r = parseGs1Raw(text);
    expect(r.ais).toEqual(ais);
    if (Object.keys(ais).length > 0) expect(r.error).toBeNull();
  });

  it.each([
    ['2312345', {}, 'unknown application identifier at "2312"'],
    ['01123', {}, 'AI 01 needs 14 characters'],
    ['17ABCDEF', {}, 'AI 17 value "ABCDEF" is malformed'],
    ['0109501101530003' + '10' + 'A'.repeat(21), { '01': '09501101530003' }, 'AI 10 needs 1..20 characters'],
    [`0109501101530003${GS}${GS}10`, { '01': '09501101530003' }, 'AI 10 needs 1..20 characters'],
  ])('%j → stops with %j', (text, ais, error) => {
    expect(parseGs1Raw(text)).toEqual({ ais, error });
  });
});

describe('parseGs1Bracketed', () => {
  it.each([
    ['(01)09501101530003(17)261231(10)AB-123', { '01': '09501101530003', '17': '261231', '10': 'AB-123' }],
    ['(10)ABC(3103)001250', { '10': 'ABC', '3103': '001250' }],
    ['(01)09501101530003(392 2)', null],
  ])('%j', (text, ais) => {
    const r = parseGs1Bracketed(text);
    if (ais === null) expect(r?.error).toBeTruthy();
    else expect(r).toEqual({ ais, error: null });
  });

  it.each([['0109501101530003'], ['hello (01)'], ['']])('%j is not bracketed', (text) => {
    expect(parseGs1Bracketed(text)).toBeNull();
  });
});

describe('parseGs1DigitalLink', () => {
  it.each([
    ['https://id.gs1.org/01/09501101530003/10/AB-123?17=261231', { '01': '09501101530003', '10': 'AB-123', '17': '261231' }],
    ['https://example.com/shop/01/9501101530003', { '01': '09501101530003' }],
    ['https://id.gs1.org/01/09501101530003/21/A%2FB', { '01': '09501101530003', '21': 'A/B' }],
  ])('%s', (text, ais) => {
    expect(parseGs1DigitalLink(text)).toEqual({ ais, error: null });
  });

  it.each([['https://example.com/'], ['https://id.gs1.org/01/ABC'], ['not a url'], ['ftp://x/01/09501101530003']])('%s is not one', (text) => {
    expect(parseGs1DigitalLink(text)).toBeNull();
  });
});

describe('parseGs1', () => {
  it('reads raw element strings only when the symbology says GS1', () => {
    expect(parseGs1('0109501101530003', ']C1')?.ais).toEqual({ '01': '09501101530003' });
    expect(parseGs1('0109501101530003', ']C0')).toBeNull();
    expect(parseGs1('0109501101530003')).toBeNull();
    expect(parseGs1('(01)09501101530003')?.ais).toEqual({ '01': '09501101530003' });
  });
});

describe('gs1Date', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  it.each([
    ['261231', '2026-12-31'],
    ['260200', '2026-02-28'],
    ['280200', '2028-02-29'],
    ['750101', '2075-01-01'],
    ['990101', '1999-01-01'],
    ['261301', null],
    ['260231', null],
    ['26123', null],
  ])('%s → %s', (v, iso) => {
    expect(gs1Date(v, now)).toBe(iso);
  });
});

describe('gs1Decimal', () => {
  it.each([
    ['3103', '001250', 1.25],
    ['3100', '000005', 5],
    ['3922', '45000', 450],
    ['3932', '050123450', 1234.5],
    ['01', '09501101530003', null],
    ['3103', '00A250', null],
  ])('%s %s → %s', (ai, v, n) => {
    expect(gs1Decimal(ai, v)).toBe(n);
  });
});
